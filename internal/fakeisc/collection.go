package fakeisc

import (
	"errors"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Collection parameters of the summaries operation (V3 standard collection parameters).
const (
	maxLimit      = 250 // the default and the cap of limit
	sortableField = "date"
)

// collection is the parsed paging and sorting of a summaries call.
type collection struct {
	limit, offset int
	count         bool // fill X-Total-Count
	sort          int  // 0 unsorted (API order), +1 ascending, -1 descending
}

// paramError is a bad query parameter, answered 400 with its message.
type paramError struct{ msg string }

func (e *paramError) Error() string { return e.msg }

// parseCollection reads limit, offset, count and sorters. Other parameters are ignored,
// as the real API ignores them.
func parseCollection(q url.Values) (collection, error) {
	c := collection{limit: maxLimit}
	var err error
	if c.limit, err = nonNegative(q, "limit", maxLimit); err != nil {
		return c, err
	}
	// A limit above the maximum is served as the maximum, not refused.
	c.limit = min(c.limit, maxLimit)
	if c.offset, err = nonNegative(q, "offset", 0); err != nil {
		return c, err
	}
	if raw, ok := first(q, "count"); ok {
		if c.count, err = strconv.ParseBool(raw); err != nil {
			return c, &paramError{"Invalid value '" + raw + "' for query parameter 'count': must be true or false."}
		}
	}
	if raw, ok := first(q, "sorters"); ok && raw != "" {
		if c.sort, err = parseSorters(raw); err != nil {
			return c, err
		}
	}
	return c, nil
}

// first returns the first value of a query parameter and whether it was given.
func first(q url.Values, name string) (string, bool) {
	v, ok := q[name]
	if !ok || len(v) == 0 {
		return "", false
	}
	return v[0], true
}

// offsetOf returns the offset parameter of q, 0 when absent, -1 when invalid. Faults use
// it to select a page.
func offsetOf(q url.Values) int {
	n, err := nonNegative(q, "offset", 0)
	if err != nil {
		return -1
	}
	return n
}

// nonNegative parses an integer parameter that must not be negative. A present but empty
// value is invalid. A value too large for an int is taken as the largest int: it is a
// valid (if silly) request, served as "past the end" or "as many as allowed".
func nonNegative(q url.Values, name string, def int) (int, error) {
	raw, ok := first(q, name)
	if !ok {
		return def, nil
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	switch {
	case errors.Is(err, strconv.ErrRange) && !strings.HasPrefix(raw, "-"):
		return math.MaxInt, nil
	case err != nil || n < 0:
		return 0, &paramError{"Invalid value '" + raw + "' for query parameter '" + name + "': must be a non-negative integer."}
	}
	return int(min(n, int64(math.MaxInt))), nil // min: 32-bit platforms
}

// parseSorters reads a comma-separated sorters value; "-" before a field means
// descending. Only date is sortable, so the first entry decides the order.
func parseSorters(raw string) (int, error) {
	order := 0
	for entry := range strings.SplitSeq(raw, ",") {
		entry = strings.TrimSpace(entry)
		dir := 1
		if field, ok := strings.CutPrefix(entry, "-"); ok {
			entry, dir = field, -1
		}
		if entry != sortableField {
			return 0, &paramError{"Sort field '" + entry + "' is not supported. Supported fields: " + sortableField}
		}
		if order == 0 {
			order = dir
		}
	}
	return order, nil
}

// page sorts (when asked) and slices rows. It never changes the caller's rows and never
// returns nil, so an empty page is written as [].
//
// Sorting is stable and compares dates as text, which is chronological for YYYY-MM-DD.
// A row without a date (null or missing) sorts as if later than every date: after the
// dated rows in ascending order, before them in descending order (as SQL's NULLS LAST /
// NULLS FIRST defaults do). Rows with equal dates, or none, keep their API order.
func (c collection) page(rows []Usage) []Usage {
	if c.sort != 0 {
		rows = slices.Clone(rows)
		slices.SortStableFunc(rows, func(a, b Usage) int { return c.sort * compareDates(a, b) })
	}
	if c.offset >= len(rows) {
		return []Usage{}
	}
	rows = rows[c.offset:]
	if c.limit < len(rows) {
		rows = rows[:c.limit]
	}
	return rows
}

// compareDates orders rows by date, undated rows last.
func compareDates(a, b Usage) int {
	ad, aok := a.dated()
	bd, bok := b.dated()
	switch {
	case aok && bok:
		return strings.Compare(ad, bd)
	case aok:
		return -1
	case bok:
		return 1
	}
	return 0
}
