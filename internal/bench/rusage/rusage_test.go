package rusage

import (
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestAppendAndReadFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "plugins.jsonl")
	recs := []Record{
		{Event: EventStart, Name: "terraform-provider-sailpoint", PID: 10},
		{Event: EventExit, Name: "terraform-provider-sailpoint", PID: 10, User: 30 * time.Millisecond, System: 5 * time.Millisecond, MaxRSSKiB: 41000, Wall: time.Second, WrapperCPU: 2 * time.Millisecond},
	}
	for _, r := range recs {
		if err := Append(path, r); err != nil {
			t.Fatal(err)
		}
	}
	got, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, recs) {
		t.Fatalf("read back %+v, want %+v", got, recs)
	}
}

func TestReadFileMissingIsEmpty(t *testing.T) {
	got, err := ReadFile(filepath.Join(t.TempDir(), "none"))
	if err != nil || len(got) != 0 {
		t.Fatalf("got %v, %v; want no records and no error", got, err)
	}
}

func TestReadErrors(t *testing.T) {
	for name, text := range map[string]string{
		"not json":      "{\"event\":\"start\"}\nnot json\n",
		"unknown event": "{\"event\":\"start\"}\n{\"event\":\"paused\"}\n",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Read(strings.NewReader(text))
			if err == nil || !strings.Contains(err.Error(), "line 2") {
				t.Fatalf("got %v, want an error about line 2", err)
			}
		})
	}
}

func TestSummarize(t *testing.T) {
	recs := []Record{
		{Event: EventStart, PID: 1},
		{Event: EventStart, PID: 2},
		{Event: EventExit, PID: 1, User: 10 * time.Millisecond, System: 2 * time.Millisecond, MaxRSSKiB: 30000, WrapperCPU: time.Millisecond},
		{Event: EventStart, PID: 3},
		{Event: EventExit, PID: 3, User: 100 * time.Millisecond, System: 20 * time.Millisecond, MaxRSSKiB: 52000, WrapperCPU: time.Millisecond, ExitCode: 2},
	}
	s := Summarize(recs)
	if s.Processes != 2 {
		t.Errorf("Processes = %d, want 2", s.Processes)
	}
	if want := 132 * time.Millisecond; s.CPU != want {
		t.Errorf("CPU = %s, want %s", s.CPU, want)
	}
	if want := 2 * time.Millisecond; s.WrapperCPU != want {
		t.Errorf("WrapperCPU = %s, want %s", s.WrapperCPU, want)
	}
	// Peaks of processes that ran one after another do not add up.
	if s.MaxRSSKiB != 52000 {
		t.Errorf("MaxRSSKiB = %d, want 52000", s.MaxRSSKiB)
	}
	if !slices.Equal(s.Unfinished, []int{2}) {
		t.Errorf("Unfinished = %v, want [2]", s.Unfinished)
	}
	if !slices.Equal(s.Failed, []int{3}) {
		t.Errorf("Failed = %v, want [3]", s.Failed)
	}
}

func TestFromRusage(t *testing.T) {
	ru := &syscall.Rusage{
		Utime:  syscall.Timeval{Sec: 1, Usec: 250000},
		Stime:  syscall.Timeval{Sec: 0, Usec: 5000},
		Maxrss: 65536,
	}
	user, sys, rss := FromRusage(ru)
	if user != 1250*time.Millisecond || sys != 5*time.Millisecond || rss != 65536 {
		t.Fatalf("got %s, %s, %d", user, sys, rss)
	}
	if u, s, r := FromRusage(nil); u != 0 || s != 0 || r != 0 {
		t.Fatalf("nil rusage gave %s, %s, %d", u, s, r)
	}
}
