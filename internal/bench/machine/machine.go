// Package machine describes the machine a benchmark ran on and how busy it was meanwhile,
// from Linux's /proc: CPU model, cores, memory, kernel, load averages, and the CPU time
// spent by the whole machine against the CPU time of the benchmark's own processes. On a
// shared machine the difference is what everyone else used, which is what a reader needs to
// judge the figures.
package machine

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Info describes the machine.
type Info struct {
	CPUModel    string `json:"cpuModel"`
	Cores       int    `json:"cores"` // logical CPUs the benchmark may use
	MemTotalMiB int64  `json:"memTotalMiB"`
	Kernel      string `json:"kernel"`
	OS          string `json:"os"` // GOOS/GOARCH
}

// Describe reads Info. Fields it cannot read stay empty; a benchmark should not fail for
// lack of a description.
func Describe() Info {
	info := Info{Cores: runtime.NumCPU(), OS: runtime.GOOS + "/" + runtime.GOARCH}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		info.CPUModel = CPUModel(string(b))
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		info.MemTotalMiB = MemTotalKiB(string(b)) / 1024
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		info.Kernel = strings.TrimSpace(string(b))
	}
	return info
}

// CPUModel returns the first "model name" of a /proc/cpuinfo text.
func CPUModel(cpuinfo string) string {
	for line := range strings.SplitSeq(cpuinfo, "\n") {
		k, v, ok := strings.Cut(line, ":")
		if ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// MemTotalKiB returns MemTotal of a /proc/meminfo text, in KiB.
func MemTotalKiB(meminfo string) int64 {
	for line := range strings.SplitSeq(meminfo, "\n") {
		if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				n, _ := strconv.ParseInt(f[0], 10, 64)
				return n
			}
		}
	}
	return 0
}

// LoadAvg is the 1, 5 and 15 minute load averages.
type LoadAvg [3]float64

// ParseLoadAvg parses /proc/loadavg.
func ParseLoadAvg(text string) (LoadAvg, error) {
	f := strings.Fields(text)
	if len(f) < 3 {
		return LoadAvg{}, fmt.Errorf("unexpected /proc/loadavg %q", text)
	}
	var l LoadAvg
	for i := range l {
		v, err := strconv.ParseFloat(f[i], 64)
		if err != nil {
			return LoadAvg{}, fmt.Errorf("unexpected /proc/loadavg %q", text)
		}
		l[i] = v
	}
	return l, nil
}

// CPUTimes are the machine-wide counters of the "cpu" line of /proc/stat, in clock ticks.
type CPUTimes struct {
	Busy, Total uint64
	// CPUs counts the per-CPU lines: the machine's CPUs, which may be more than the
	// benchmark is allowed to use.
	CPUs int
}

// ParseCPUTimes reads the aggregate "cpu" line of /proc/stat and counts the per-CPU lines.
// Idle time is idle plus iowait; guest time is already part of user time, so it is not added
// again.
func ParseCPUTimes(r io.Reader) (CPUTimes, error) {
	var t CPUTimes
	found := false
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) > 0 && strings.HasPrefix(f[0], "cpu") && len(f[0]) > 3 {
			t.CPUs++
			continue
		}
		if len(f) == 0 || f[0] != "cpu" {
			continue
		}
		if len(f) < 5 {
			return CPUTimes{}, errors.New("short cpu line in /proc/stat")
		}
		var v [8]uint64 // user nice system idle iowait irq softirq steal
		for i := 0; i < len(v) && i+1 < len(f); i++ {
			n, err := strconv.ParseUint(f[i+1], 10, 64)
			if err != nil {
				return CPUTimes{}, fmt.Errorf("cpu line of /proc/stat: %w", err)
			}
			v[i] = n
		}
		for _, n := range v {
			t.Total += n
		}
		t.Busy = t.Total - v[3] - v[4]
		found = true
	}
	if err := sc.Err(); err != nil {
		return CPUTimes{}, err
	}
	if !found {
		return CPUTimes{}, errors.New("no cpu line in /proc/stat")
	}
	return t, nil
}

// Load is how busy the machine was over one phase of a benchmark, in cores: 1.0 is one core
// busy for the whole phase.
type Load struct {
	Wall time.Duration `json:"wall"`
	// Machine is the CPU the whole machine used, on average, from /proc/stat.
	Machine float64 `json:"machineCores"`
	// Own is the CPU of the benchmark process and every child it waited for (Terraform,
	// providers, the fake tenant, go test), from getrusage.
	Own float64 `json:"ownCores"`
	// Others is Machine minus Own: what other users of the machine took, never below zero.
	Others float64 `json:"othersCores"`
	// LoadAvgStart and LoadAvgEnd are /proc/loadavg at the start and end of the phase.
	LoadAvgStart LoadAvg `json:"loadAvgStart"`
	LoadAvgEnd   LoadAvg `json:"loadAvgEnd"`
}

// Meter measures the Load of one phase. Start it, run the phase, and Stop it once every
// child process of the phase has been waited for (the CPU of a child counts only then).
type Meter struct {
	start    time.Time
	cpu      CPUTimes
	own      time.Duration
	loadAvg  LoadAvg
	cores    int
	readStat func() (CPUTimes, error)
	readLoad func() (LoadAvg, error)
	ownCPU   func() time.Duration
}

// StartMeter starts measuring.
func StartMeter() (*Meter, error) {
	m := &Meter{cores: runtime.NumCPU(), readStat: readProcStat, readLoad: readLoadAvg, ownCPU: ownCPU}
	return m, m.begin(time.Now())
}

func (m *Meter) begin(now time.Time) error {
	cpu, err := m.readStat()
	if err != nil {
		return err
	}
	m.start, m.cpu, m.own = now, cpu, m.ownCPU()
	m.loadAvg, _ = m.readLoad() // informative only
	return nil
}

// Stop ends the measurement.
func (m *Meter) Stop() (Load, error) { return m.end(time.Now()) }

func (m *Meter) end(now time.Time) (Load, error) {
	cpu, err := m.readStat()
	if err != nil {
		return Load{}, err
	}
	l := Load{Wall: now.Sub(m.start), LoadAvgStart: m.loadAvg}
	l.LoadAvgEnd, _ = m.readLoad()
	cores := m.cores
	if cpu.CPUs > 0 {
		cores = cpu.CPUs
	}
	if total := cpu.Total - m.cpu.Total; total > 0 {
		l.Machine = float64(cpu.Busy-m.cpu.Busy) / float64(total) * float64(cores)
	}
	if l.Wall > 0 {
		l.Own = (m.ownCPU() - m.own).Seconds() / l.Wall.Seconds()
	}
	l.Others = max(l.Machine-l.Own, 0)
	return l, nil
}

func readProcStat() (CPUTimes, error) {
	f, err := os.Open("/proc/stat")
	if err != nil {
		return CPUTimes{}, err
	}
	defer func() { _ = f.Close() }()
	return ParseCPUTimes(f)
}

func readLoadAvg() (LoadAvg, error) {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return LoadAvg{}, err
	}
	return ParseLoadAvg(string(b))
}

// ownCPU is the user+system time of this process and its waited-for descendants.
func ownCPU() time.Duration {
	var total time.Duration
	for _, who := range []int{syscall.RUSAGE_SELF, syscall.RUSAGE_CHILDREN} {
		var ru syscall.Rusage
		if syscall.Getrusage(who, &ru) == nil {
			total += time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		}
	}
	return total
}
