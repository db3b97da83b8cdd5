package machine

import (
	"math"
	"strings"
	"testing"
	"time"
)

func TestCPUModelAndMemory(t *testing.T) {
	cpuinfo := "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B13\n\nprocessor\t: 1\nmodel name\t: AMD EPYC 7B13\n"
	if got := CPUModel(cpuinfo); got != "AMD EPYC 7B13" {
		t.Errorf("CPUModel = %q", got)
	}
	if got := CPUModel("processor : 0\n"); got != "" {
		t.Errorf("CPUModel without a model = %q", got)
	}
	if got := MemTotalKiB("MemTotal:       24683904 kB\nMemFree:  1 kB\n"); got != 24683904 {
		t.Errorf("MemTotalKiB = %d", got)
	}
}

func TestParseLoadAvg(t *testing.T) {
	l, err := ParseLoadAvg("1.17 1.22 1.24 1/83 29401\n")
	if err != nil || l != (LoadAvg{1.17, 1.22, 1.24}) {
		t.Fatalf("got %v, %v", l, err)
	}
	if _, err := ParseLoadAvg("1.0 x"); err == nil {
		t.Fatal("accepted a short line")
	}
}

func TestParseCPUTimes(t *testing.T) {
	stat := "cpu  100 5 50 800 40 3 2 0 10 0\ncpu0 50 2 25 400 20 1 1 0 5 0\ncpu1 50 3 25 400 20 2 1 0 5 0\nintr 1 2 3\n"
	got, err := ParseCPUTimes(strings.NewReader(stat))
	if err != nil {
		t.Fatal(err)
	}
	// total = 100+5+50+800+40+3+2+0 (guest is inside user); idle = 800+40.
	if got != (CPUTimes{Busy: 160, Total: 1000, CPUs: 2}) {
		t.Fatalf("got %+v", got)
	}
	if _, err := ParseCPUTimes(strings.NewReader("intr 1\n")); err == nil {
		t.Fatal("accepted a text without a cpu line")
	}
}

func TestMeter(t *testing.T) {
	stats := []CPUTimes{{Busy: 1000, Total: 10000, CPUs: 2}, {Busy: 1900, Total: 11000, CPUs: 2}}
	own := []time.Duration{2 * time.Second, 5 * time.Second}
	m := &Meter{
		cores:    1, // the machine's CPU count comes from /proc/stat
		readStat: func() (CPUTimes, error) { s := stats[0]; stats = stats[1:]; return s, nil },
		readLoad: func() (LoadAvg, error) { return LoadAvg{1, 2, 3}, nil },
		ownCPU:   func() time.Duration { d := own[0]; own = own[1:]; return d },
	}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := m.begin(t0); err != nil {
		t.Fatal(err)
	}
	l, err := m.end(t0.Add(5 * time.Second))
	if err != nil {
		t.Fatal(err)
	}
	// 900 of 1000 ticks busy on 2 cores = 1.8 cores; we used 3 s in 5 s = 0.6 cores.
	if math.Abs(l.Machine-1.8) > 1e-9 || math.Abs(l.Own-0.6) > 1e-9 || math.Abs(l.Others-1.2) > 1e-9 {
		t.Fatalf("load %+v", l)
	}
	if l.Wall != 5*time.Second || l.LoadAvgStart != (LoadAvg{1, 2, 3}) {
		t.Fatalf("load %+v", l)
	}
}

func TestDescribeOnThisMachine(t *testing.T) {
	info := Describe()
	if info.Cores < 1 || info.OS == "" {
		t.Fatalf("Describe = %+v", info)
	}
}
