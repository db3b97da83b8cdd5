package fakeisc

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
)

// Presence says whether a field of a Usage row is written, and how. The spec marks no
// property of Usage as required, so clients must cope with all three forms.
type Presence uint8

const (
	Present Presence = iota // the field with its value
	Null                    // the field as JSON null
	Missing                 // no field
)

// Usage is one row of the summaries response (the spec's Usage), described
// precisely enough to reproduce whatever the real API may send.
//
// The zero value, like Row("", ""), is written as {"date":"","count":0}.
type Usage struct {
	Date string // a JSON string; rows are sorted by comparing dates as text
	// Count is written verbatim, so "10.45" goes out as 10.45 and a value with more
	// digits than a float64 holds keeps every one of them. It must be a JSON number; as
	// in encoding/json, an empty Count is written as 0.
	Count   json.Number
	DateIs  Presence
	CountIs Presence
	// Extra holds members the spec does not know (for example "region": "emea"),
	// written after date and count in key order, each value verbatim. A key "date" or
	// "count" is written only when that field is Missing, which lets a test send a
	// wrongly typed value such as "count":"10.45".
	Extra map[string]json.RawMessage
}

// Row returns a normal summaries row, {"date":date,"count":count}, with count written
// exactly as given (for example Row("2024-01-01", "10.45")).
func Row(date, count string) Usage {
	return Usage{Date: date, Count: json.Number(count)}
}

// WithNullDate returns a copy of u whose date is written as null.
func (u Usage) WithNullDate() Usage { u.DateIs = Null; return u }

// WithoutDate returns a copy of u without a date field.
func (u Usage) WithoutDate() Usage { u.DateIs = Missing; return u }

// WithNullCount returns a copy of u whose count is written as null.
func (u Usage) WithNullCount() Usage { u.CountIs = Null; return u }

// WithoutCount returns a copy of u without a count field.
func (u Usage) WithoutCount() Usage { u.CountIs = Missing; return u }

// WithExtra returns a copy of u with one more member, name, whose value is the JSON
// text raw (for example WithExtra("region", `"emea"`)). The copy does not share its
// Extra map with u, so rows built from one another stay independent.
func (u Usage) WithExtra(name, raw string) Usage {
	extra := make(map[string]json.RawMessage, len(u.Extra)+1)
	maps.Copy(extra, u.Extra)
	extra[name] = json.RawMessage(raw)
	u.Extra = extra
	return u
}

// MarshalJSON writes the row as described by its fields. It fails, rather than write
// invalid JSON, when Count is not a JSON number or an Extra value is not JSON: a test
// that wants a broken body should inject a fault instead.
func (u Usage) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	first := true
	member := func(name string, value []byte) {
		if !first {
			buf.WriteByte(',')
		}
		first = false
		key, _ := json.Marshal(name) // marshalling a string cannot fail
		buf.Write(key)
		buf.WriteByte(':')
		buf.Write(value)
	}

	switch u.DateIs {
	case Present:
		date, _ := json.Marshal(u.Date)
		member("date", date)
	case Null:
		member("date", []byte("null"))
	}
	switch u.CountIs {
	case Present:
		count, err := json.Marshal(u.Count)
		if err != nil {
			return nil, fmt.Errorf("fakeisc: usage count %q: %w", string(u.Count), err)
		}
		member("count", count)
	case Null:
		member("count", []byte("null"))
	}

	for _, name := range slices.Sorted(maps.Keys(u.Extra)) {
		if (name == "date" && u.DateIs != Missing) || (name == "count" && u.CountIs != Missing) {
			continue
		}
		raw := u.Extra[name]
		if !json.Valid(raw) {
			return nil, fmt.Errorf("fakeisc: usage extra field %q is not valid JSON: %q", name, string(raw))
		}
		member(name, raw)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// clone returns a deep copy, so a Tenant never shares memory with its caller.
func (u Usage) clone() Usage {
	if u.Extra != nil {
		extra := make(map[string]json.RawMessage, len(u.Extra))
		for k, v := range u.Extra {
			extra[k] = slices.Clone(v)
		}
		u.Extra = extra
	}
	return u
}

// sourceUsageStatus is the spec's SourceUsageStatus. An empty status is left out, so a
// test can send an object without the field.
type sourceUsageStatus struct {
	Status string `json:"status,omitempty"`
}

// serveUsages answers a status or summaries call that the gateway admitted.
func (t *Tenant) serveUsages(w http.ResponseWriter, r *http.Request, rt route) {
	src, ok := byID(t, w, t.sources, "source", rt.sourceID)
	if !ok {
		return
	}
	if rt.op == OpStatus {
		writeJSON(w, http.StatusOK, sourceUsageStatus{Status: src.UsageStatus})
		return
	}

	writeSummaries(w, r, src.Usages)
}

// writeSummaries answers a summaries call, of a source or of an account, with its rows.
func writeSummaries(w http.ResponseWriter, r *http.Request, rows []Usage) {
	c, err := parseCollection(r.URL.RawQuery, "date")
	if err != nil {
		writeErrorDto(w, http.StatusBadRequest, detailBadRequest, err.Error())
		return
	}
	// A row without a date sorts as if later than every date.
	writePage(w, c, sortRows(rows, c.sorters, func(u Usage, _ string) any {
		if u.DateIs != Present {
			return nil
		}
		return u.Date
	}, nil))
}
