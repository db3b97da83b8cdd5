package usagestats

import (
	"encoding/json"
	"math/big"
	"strings"
	"testing"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/client"
)

func row(date, count string) client.Usage {
	var r client.Usage
	if date != "" {
		r.Date = &date
	}
	if count != "" {
		n := json.Number(count)
		r.Count = &n
	}
	return r
}

// hcl is the number HCL makes of a literal: what a user compares the provider's numbers with.
func hcl(literal string) *big.Float {
	f, _, err := big.ParseFloat(literal, 10, 512, big.ToNearestEven)
	if err != nil {
		panic(err)
	}
	return f
}

func TestNumberIsWhatHCLMeans(t *testing.T) {
	for _, lit := range []string{"10.45", "12.3", "0.1", "7.7", "0", "31", "1e2", "-3.25", "12.345678901234567890123"} {
		got := Number(json.Number(lit))
		if got == nil || got.Cmp(hcl(lit)) != 0 || got.Prec() != precision {
			t.Errorf("Number(%s) = %v (prec %d), want HCL's %s", lit, got, got.Prec(), hcl(lit).Text('f', -1))
		}
		// What Terraform receives (terraform-plugin-go sends an inexact number as this text)
		// reads back as the same literal.
		if text := got.Text('f', -1); hcl(text).Cmp(hcl(lit)) != 0 {
			t.Errorf("Number(%s) travels as %s", lit, text)
		}
	}
	// The float64 nearest to 10.45 is not HCL's 10.45: that was the bug.
	if f := new(big.Float).SetPrec(precision).SetFloat64(10.45); f.Cmp(hcl("10.45")) == 0 {
		t.Fatal("float64(10.45) equals HCL's 10.45 at 512 bits; this test cannot see the bug it guards")
	}
	if Number("not a number") != nil {
		t.Error("Number of garbage is not nil")
	}
}

func TestSummarize(t *testing.T) {
	s := func(v string) *string { return &v }
	tests := []struct {
		name                string
		rows                []client.Usage
		latestDate          *string
		latest, average, mx *big.Float
	}{
		{name: "no rows"},
		{name: "one row", rows: []client.Usage{row("2024-01-01", "10.45")},
			latestDate: s("2024-01-01"), latest: hcl("10.45"), average: hcl("10.45"), mx: hcl("10.45")},
		{name: "latest whatever the order",
			rows:       []client.Usage{row("2024-03-01", "3"), row("2024-12-01", "12"), row("2024-01-01", "1")},
			latestDate: s("2024-12-01"), latest: hcl("12"), average: hcl("5.3333"), mx: hcl("12")},
		{name: "exact average", rows: []client.Usage{row("2024-01-01", "0.1"), row("2024-02-01", "0.2")},
			latestDate: s("2024-02-01"), latest: hcl("0.2"), average: hcl("0.15"), mx: hcl("0.2")},
		{name: "tie keeps the first", rows: []client.Usage{row("2024-05-01", "5"), row("2024-05-01", "6")},
			latestDate: s("2024-05-01"), latest: hcl("5"), average: hcl("5.5"), mx: hcl("6")},
		{name: "latest row without count", rows: []client.Usage{row("2024-01-01", "2"), row("2024-02-01", "")},
			latestDate: s("2024-02-01"), average: hcl("2"), mx: hcl("2")},
		{name: "no dates", rows: []client.Usage{row("", "2"), row("not a date", "4")},
			average: hcl("3"), mx: hcl("4")},
		{name: "no counts", rows: []client.Usage{row("2024-01-01", "")}, latestDate: s("2024-01-01")},
		{name: "timestamps and negatives",
			rows:       []client.Usage{row("2024-01-01T00:00:00Z", "-1"), row("2024-01-01T00:00:01Z", "-3")},
			latestDate: s("2024-01-01T00:00:01Z"), latest: hcl("-3"), average: hcl("-2"), mx: hcl("-1")},
		{name: "many digits",
			rows:       []client.Usage{row("2024-01-01", "12.345678901234567890123"), row("2024-02-01", "1e2")},
			latestDate: s("2024-02-01"), latest: hcl("100"), average: hcl("56.1728"), mx: hcl("100")},
		{name: "twelve months, the demo's Active Directory",
			rows: []client.Usage{row("2024-01-01", "12.30"), row("2024-02-01", "11.87"), row("2024-03-01", "10.45"),
				row("2024-04-01", "13.02"), row("2024-05-01", "14.50"), row("2024-06-01", "9.95"), row("2024-07-01", "8.40"),
				row("2024-08-01", "10.10"), row("2024-09-01", "15.25"), row("2024-10-01", "16.00"), row("2024-11-01", "14.75"),
				row("2024-12-01", "13.60")},
			latestDate: s("2024-12-01"), latest: hcl("13.6"), average: hcl("12.5158"), mx: hcl("16")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Summarize(tt.rows)
			if (got.LatestDate == nil) != (tt.latestDate == nil) || (got.LatestDate != nil && *got.LatestDate != *tt.latestDate) {
				t.Errorf("LatestDate = %v, want %v", got.LatestDate, tt.latestDate)
			}
			eqNumber(t, "LatestCount", got.LatestCount, tt.latest)
			eqNumber(t, "AverageCount", got.AverageCount, tt.average)
			eqNumber(t, "MaxCount", got.MaxCount, tt.mx)
		})
	}
}

// An average is rounded once, half to even, to four decimal places, and is then exactly the
// number HCL makes of that decimal literal.
func TestRound(t *testing.T) {
	for _, tt := range []struct {
		num, den int64
		want     string
	}{
		{1, 3, "0.3333"}, {2, 3, "0.6667"}, {4, 12, "0.3333"}, {15019, 1200, "12.5158"}, {16, 3, "5.3333"},
		{5, 100000, "0"}, {15, 100000, "0.0002"}, {25, 100000, "0.0002"}, {35, 100000, "0.0004"}, // half to even
		{-15, 100000, "-0.0002"}, {-25, 100000, "-0.0002"}, {-7, 100000, "-0.0001"}, {-5, 100000, "0"},
		{1999995, 100000, "20"}, {0, 1, "0"}, {31, 1, "31"}, {1045, 100, "10.45"},
	} {
		got := Round(big.NewRat(tt.num, tt.den))
		if got.Cmp(hcl(tt.want)) != 0 || got.Prec() != precision {
			t.Errorf("Round(%d/%d) = %s, want %s", tt.num, tt.den, text(got), tt.want)
		}
	}
}

func eqNumber(t *testing.T, name string, got, want *big.Float) {
	t.Helper()
	if (got == nil) != (want == nil) || (got != nil && got.Cmp(want) != 0) {
		t.Errorf("%s = %s, want %s", name, text(got), text(want))
	}
}

func text(f *big.Float) string {
	if f == nil {
		return "<nil>"
	}
	return f.Text('f', -1)
}

func TestNewest(t *testing.T) {
	rows := []client.Usage{row("2024-02-01", "2"), row("", "9"), row("2024-12-01", "12"), row("2024-07-01", "7"), row("bad", "8")}
	tests := []struct {
		n    int
		want []string
	}{
		{1, []string{"2024-12-01"}},
		{2, []string{"2024-12-01", "2024-07-01"}},
		{24, []string{"2024-12-01", "2024-07-01", "2024-02-01"}},
	}
	for _, tt := range tests {
		got := Newest(rows, tt.n)
		var dates []string
		for _, r := range got {
			dates = append(dates, *r.Date)
		}
		if len(dates) != len(tt.want) {
			t.Fatalf("Newest(%d) = %v, want %v", tt.n, dates, tt.want)
		}
		for i := range dates {
			if dates[i] != tt.want[i] {
				t.Errorf("Newest(%d) = %v, want %v", tt.n, dates, tt.want)
			}
		}
	}
}

func TestAnyAtLeast(t *testing.T) {
	rows := []client.Usage{row("2024-01-01", "0.5"), row("2024-02-01", ""), row("2024-03-01", "0.99")}
	tests := []struct {
		threshold string
		want      bool
	}{
		{"1", false},
		{"0.99", true}, // exactly at the threshold counts as used
		{"0.990000000000000000000001", false},
		{"0", true},
	}
	for _, tt := range tests {
		if got := AnyAtLeast(rows, hcl(tt.threshold)); got != tt.want {
			t.Errorf("AnyAtLeast(%s) = %v, want %v", tt.threshold, got, tt.want)
		}
	}
	if AnyAtLeast(nil, hcl("0")) {
		t.Error("no rows reach any threshold")
	}
}

// FuzzSummarize: for any rows of JSON numbers (of the size the client's decoder lets
// through), the aggregates are consistent: the average lies between the smallest and the
// largest count, the maximum is the largest count, and the latest date is one of the dates.
func FuzzSummarize(f *testing.F) {
	for _, s := range []string{
		`[]`, `[{"date":"2024-01-01","count":10.45}]`, `[{"date":"2024-01-01","count":0.1},{"date":"2024-02-01","count":0.2}]`,
		`[{"date":null,"count":1},{"date":"2024-13-01","count":-5},{"date":"2024-02-30"}]`,
		`[{"date":"2024-01-01T00:00:00Z","count":1e300},{"date":"2024-01-02","count":1e-300}]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var rows []client.Usage
		if json.Unmarshal(body, &rows) != nil {
			return
		}
		for _, r := range rows {
			if r.Count != nil && (len(*r.Count) > 64 || strings.ContainsAny(string(*r.Count), "eE")) {
				return // the decoder refuses these; exact arithmetic on them could take minutes
			}
		}
		s := Summarize(rows)
		var counts []*big.Float
		dates := map[string]bool{}
		for _, r := range rows {
			if r.Count != nil {
				c := Number(*r.Count)
				if c == nil {
					t.Fatalf("the decoder accepted count %s, which Number cannot read", *r.Count)
				}
				counts = append(counts, c)
			}
			if r.Date != nil {
				dates[*r.Date] = true
			}
		}
		if (s.AverageCount == nil) != (len(counts) == 0) || (s.MaxCount == nil) != (len(counts) == 0) {
			t.Fatalf("aggregates %+v for %d counts", s, len(counts))
		}
		if len(counts) > 0 {
			lo, hi := counts[0], counts[0]
			for _, c := range counts {
				if c.Cmp(lo) < 0 {
					lo = c
				}
				if c.Cmp(hi) > 0 {
					hi = c
				}
			}
			if s.MaxCount.Cmp(hi) != 0 {
				t.Fatalf("max %s is not the largest count %s", text(s.MaxCount), text(hi))
			}
			if s.AverageCount.Cmp(lo) < 0 || s.AverageCount.Cmp(hi) > 0 {
				t.Fatalf("average %s outside [%s, %s]", text(s.AverageCount), text(lo), text(hi))
			}
		}
		if s.LatestDate != nil && !dates[*s.LatestDate] {
			t.Fatalf("latest date %q is not a row's date", *s.LatestDate)
		}
	})
}
