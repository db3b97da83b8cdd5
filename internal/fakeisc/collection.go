package fakeisc

import (
	"errors"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// maxLimit is the default and the cap of the limit parameter.
const maxLimit = 250

// collection is the paging and sorting of a list call (SailPoint's standard collection
// parameters limit, offset, count and sorters). Other parameters are left to the caller.
type collection struct {
	query         url.Values
	limit, offset int
	count         bool // fill X-Total-Count
	sorters       []sorter
}

// sorter is one entry of the sorters parameter.
type sorter struct {
	field string
	desc  bool
}

// parseCollection reads the collection parameters of a raw query; sortable lists the
// fields that may be sorted on.
func parseCollection(rawQuery string, sortable ...string) (collection, error) {
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return collection{}, badRequest("The query string is not valid: " + err.Error())
	}
	c := collection{query: q}
	if c.limit, err = nonNegative(q, "limit", maxLimit); err != nil {
		return c, err
	}
	// A limit above the maximum is served as the maximum, not refused.
	c.limit = min(c.limit, maxLimit)
	if c.offset, err = nonNegative(q, "offset", 0); err != nil {
		return c, err
	}
	if c.count, err = boolParam(q, "count"); err != nil {
		return c, err
	}
	if raw := q.Get("sorters"); raw != "" {
		for entry := range strings.SplitSeq(raw, ",") {
			field, desc := strings.CutPrefix(strings.TrimSpace(entry), "-")
			if !slices.Contains(sortable, field) {
				return c, badRequest("Sort field '" + field + "' is not supported. Supported fields: " + strings.Join(sortable, ", "))
			}
			c.sorters = append(c.sorters, sorter{field, desc})
		}
	}
	return c, nil
}

// boolParam parses a boolean parameter, false when absent.
func boolParam(q url.Values, name string) (bool, error) {
	if !q.Has(name) {
		return false, nil
	}
	b, err := strconv.ParseBool(q.Get(name))
	if err != nil {
		return false, badRequest("Invalid value '" + q.Get(name) + "' for query parameter '" + name + "': must be true or false.")
	}
	return b, nil
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
	if !q.Has(name) {
		return def, nil
	}
	raw := q.Get(name)
	n, err := strconv.ParseInt(raw, 10, 64)
	switch {
	case errors.Is(err, strconv.ErrRange) && !strings.HasPrefix(raw, "-"):
		return math.MaxInt, nil
	case err != nil || n < 0:
		return 0, badRequest("Invalid value '" + raw + "' for query parameter '" + name + "': must be a non-negative integer.")
	}
	return int(min(n, int64(math.MaxInt))), nil // min: 32-bit platforms
}

// sortList sorts the rows of a list by c's sorters, then by id, the API's default order,
// without changing the caller's slice. key returns a row's value of a field, "id"
// included.
//
// With unstable set (WithUnstableTies) and sorters that do not include id, rows the
// sorters tie on come instead in an order that changes with the offset asked for, as on
// a real server that runs an unstable sort again for every page: a client paging by
// offset then sees some rows twice and misses others.
func sortList[T any](rows []T, c collection, unstable bool, key func(T, string) any) []T {
	id := func(r T) string { s, _ := key(r, "id").(string); return s }
	tie := id
	if unstable && len(c.sorters) > 0 && !slices.ContainsFunc(c.sorters, func(s sorter) bool { return s.field == "id" }) {
		tie = func(r T) string { return hexID(strconv.Itoa(c.offset) + "/" + id(r)) }
	}
	return sortRows(rows, c.sorters, key, tie)
}

// sortRows returns rows sorted by the sorters, the first deciding, then by tie unless it
// is nil, without changing the caller's slice; rows that tie on all keep their order. key
// returns a row's value of a field (see compareValues). Each row's keys are read once,
// as a sort compares every row many times.
func sortRows[T any](rows []T, sorters []sorter, key func(T, string) any, tie func(T) string) []T {
	if len(sorters) == 0 && tie == nil {
		return rows
	}
	keys, ties, order := make([][]any, len(rows)), make([]string, len(rows)), make([]int, len(rows))
	for i, r := range rows {
		order[i] = i
		for _, s := range sorters {
			keys[i] = append(keys[i], sortKey(key(r, s.field)))
		}
		if tie != nil {
			ties[i] = tie(r)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int {
		for j, s := range sorters {
			if c := compareKeys(keys[a][j], keys[b][j]); c != 0 {
				if s.desc {
					return -c
				}
				return c
			}
		}
		return strings.Compare(ties[a], ties[b])
	})
	sorted := make([]T, len(rows))
	for i, o := range order {
		sorted[i] = rows[o]
	}
	return sorted
}

// compareValues orders two field values: RFC 3339 date-times as instants, other strings
// case-insensitively (which is chronological for the API's dates), false before true, and
// a missing value (nil) after every other, as SQL's NULLS LAST does; descending order
// reverses all of it.
func compareValues(a, b any) int { return compareKeys(sortKey(a), sortKey(b)) }

// sortKey returns a field value in the form compareKeys orders: a date-time as UTC text
// with every digit of nanoseconds, whose order is the instants', another string
// lowercased, anything else as it is.
func sortKey(v any) any {
	s, ok := v.(string)
	if !ok {
		return v
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC().Format("2006-01-02T15:04:05.000000000Z")
	}
	return strings.ToLower(s)
}

// compareKeys orders two sort keys (see compareValues).
func compareKeys(a, b any) int {
	if a == nil || b == nil {
		return boolInt(a == nil) - boolInt(b == nil)
	}
	if a, ok := a.(bool); ok {
		b, _ := b.(bool)
		return boolInt(a) - boolInt(b)
	}
	as, _ := a.(string)
	bs, _ := b.(string)
	return strings.Compare(as, bs)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// writePage answers 200 with the page of rows c asks for, never null, and X-Total-Count
// when c asks for it.
func writePage[T any](w http.ResponseWriter, c collection, rows []T) {
	if c.count {
		w.Header().Set(headerTotalCount, strconv.Itoa(len(rows)))
	}
	rows = rows[min(c.offset, len(rows)):]
	rows = rows[:min(c.limit, len(rows))]
	if rows == nil {
		rows = []T{}
	}
	writeJSON(w, http.StatusOK, rows)
}
