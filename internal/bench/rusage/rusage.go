// Package rusage records the resource usage of a Terraform provider process, as measured by
// the plugintimer wrapper that Terraform starts in the provider's place, and reads it back in
// the bench program.
//
// Terraform starts a provider as a child plugin process (several times per plan: once for
// its schema, once per graph walk), so the bench program cannot wait for it itself. The
// wrapper waits for the real provider, takes its rusage from wait4, and appends one JSON
// line per process to the file named by EnvFile. Appending whole lines with O_APPEND keeps
// concurrent writers from interleaving.
package rusage

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
	"time"
)

// EnvFile names the environment variable that holds the path of the record file. When it is
// unset the wrapper records nothing and only passes the provider through.
const EnvFile = "BENCH_RUSAGE_FILE"

// Events of a Record.
const (
	// EventStart is written when the provider process has started, so that a process that
	// never reports its exit (killed with the wrapper) is noticed rather than silently missed.
	EventStart = "start"
	// EventExit is written after the provider process has been waited for.
	EventExit = "exit"
)

// Record is one line of the record file.
type Record struct {
	Event string `json:"event"`
	// Name is the base name of the provider binary, e.g. terraform-provider-sailpoint.
	Name string `json:"name"`
	// PID is the provider's process id, which pairs a start with its exit.
	PID int `json:"pid"`
	// The fields below are set on exit only.

	// User and System are the provider's CPU times (wait4 rusage of the child).
	User   time.Duration `json:"user_ns,omitempty"`
	System time.Duration `json:"sys_ns,omitempty"`
	// MaxRSSKiB is the provider's peak resident set size in KiB (ru_maxrss on Linux).
	MaxRSSKiB int64 `json:"maxrss_kib,omitempty"`
	// Wall is how long the provider process lived.
	Wall time.Duration `json:"wall_ns,omitempty"`
	// WrapperCPU is the CPU the wrapper itself used (user+system), so that the bench program
	// can tell Terraform's own CPU from its plugins'.
	WrapperCPU time.Duration `json:"wrapper_cpu_ns,omitempty"`
	// ExitCode is the provider's exit code; -1 when a signal ended it.
	ExitCode int `json:"exit_code,omitempty"`
}

// CPU is the provider's user plus system time.
func (r Record) CPU() time.Duration { return r.User + r.System }

// FromRusage converts a Linux rusage. ru_maxrss is in KiB on Linux.
func FromRusage(ru *syscall.Rusage) (user, system time.Duration, maxRSSKiB int64) {
	if ru == nil {
		return 0, 0, 0
	}
	return time.Duration(ru.Utime.Nano()), time.Duration(ru.Stime.Nano()), ru.Maxrss
}

// Append writes rec as one line to the file at path, creating it if needed.
func Append(path string, rec Record) error {
	line, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	// One write call per line: with O_APPEND the kernel places it atomically at the end.
	_, werr := f.Write(append(line, '\n'))
	cerr := f.Close()
	return errors.Join(werr, cerr)
}

// Summary adds up the records of one Terraform run.
type Summary struct {
	// Processes counts the provider processes that exited and reported.
	Processes int
	// CPU is the provider processes' total user+system time.
	CPU time.Duration
	// WrapperCPU is the wrappers' own total CPU time.
	WrapperCPU time.Duration
	// MaxRSSKiB is the largest peak RSS of any one provider process: the processes of one
	// plan run one after another, so their peaks do not add up.
	MaxRSSKiB int64
	// Unfinished lists the pids that started but never reported an exit.
	Unfinished []int
	// Failed lists the pids that exited with a non-zero code.
	Failed []int
}

// Summarize adds up recs.
func Summarize(recs []Record) Summary {
	var s Summary
	started := map[int]bool{}
	var order []int
	for _, r := range recs {
		switch r.Event {
		case EventStart:
			if !started[r.PID] {
				order = append(order, r.PID)
			}
			started[r.PID] = true
		case EventExit:
			delete(started, r.PID)
			s.Processes++
			s.CPU += r.CPU()
			s.WrapperCPU += r.WrapperCPU
			s.MaxRSSKiB = max(s.MaxRSSKiB, r.MaxRSSKiB)
			if r.ExitCode != 0 {
				s.Failed = append(s.Failed, r.PID)
			}
		}
	}
	for _, pid := range order {
		if started[pid] {
			s.Unfinished = append(s.Unfinished, pid)
		}
	}
	return s
}

// Read parses the lines of a record file. Empty lines are skipped; any other line that is
// not a record is an error that names its line number.
func Read(r io.Reader) ([]Record, error) {
	var recs []Record
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var rec Record
		if err := json.Unmarshal(line, &rec); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		if rec.Event != EventStart && rec.Event != EventExit {
			return nil, fmt.Errorf("line %d: unknown event %q", n, rec.Event)
		}
		recs = append(recs, rec)
	}
	return recs, sc.Err()
}

// ReadFile is Read on the file at path. A missing file holds no records.
func ReadFile(path string) ([]Record, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	recs, err := Read(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return recs, nil
}
