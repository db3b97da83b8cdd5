package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// SourceUsageStatus is the API's SourceUsageStatus model.
type SourceUsageStatus struct {
	// Status is COMPLETE, INCOMPLETE, or any value the API adds later; nil when the response
	// had no status field or a null one.
	Status *string `json:"status"`
}

// SourceUsage is one row of the API's SourceUsage model.
type SourceUsage struct {
	// Date is the first day of the month the row aggregates, as the API wrote it; nil when
	// missing or null.
	Date *string `json:"date"`
	// Count is the average number of days accounts were active that month, kept as the exact
	// decimal text the API sent (never through a 32-bit float); nil when missing or null.
	Count *json.Number `json:"count"`
}

// CountFloat64 returns Count as the float64 nearest to its decimal text.
func (u SourceUsage) CountFloat64() (float64, bool) {
	if u.Count == nil {
		return 0, false
	}
	f, err := strconv.ParseFloat(u.Count.String(), 64)
	return f, err == nil
}

// DecodeStatus decodes a status response body. Unknown fields are accepted; a body that is
// not a JSON object is an error.
func DecodeStatus(body []byte) (SourceUsageStatus, error) {
	var s SourceUsageStatus
	if err := decodeJSON(body, '{', "an object", &s); err != nil {
		return SourceUsageStatus{}, err
	}
	return s, nil
}

// DecodeUsages decodes a summaries page. Unknown fields are accepted, missing or null fields
// stay nil, and every count must fit a float64.
func DecodeUsages(body []byte) ([]SourceUsage, error) {
	var rows []SourceUsage
	if err := decodeJSON(body, '[', "an array", &rows); err != nil {
		return nil, err
	}
	for i, r := range rows {
		if r.Count == nil {
			continue
		}
		if _, err := strconv.ParseFloat(r.Count.String(), 64); err != nil {
			return nil, fmt.Errorf("row %d: count %s cannot be represented as a 64-bit number", i, r.Count.String())
		}
	}
	if rows == nil {
		rows = []SourceUsage{}
	}
	return rows, nil
}

// decodeJSON unmarshals body into v after checking that it starts with the JSON value kind
// the API publishes: json.Unmarshal alone happily turns "null" into an empty result, which
// would present a broken response as "no data".
func decodeJSON(body []byte, open byte, kind string, v any) error {
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) == 0 {
		return errors.New("the body is empty; expected " + kind)
	}
	if trimmed[0] != open {
		return fmt.Errorf("expected %s, got %s", kind, describeJSONStart(trimmed))
	}
	if err := json.Unmarshal(trimmed, v); err != nil {
		return explainJSONError(err)
	}
	return nil
}

// explainJSONError turns encoding/json's errors into words about the body.
func explainJSONError(err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case strings.Contains(err.Error(), "unexpected end of JSON input"):
		return errors.New("the JSON ends early (the body was cut off)")
	case strings.Contains(err.Error(), "into Number"):
		return errors.New("a count is not a number")
	case errors.As(err, &typeErr):
		return fmt.Errorf("field %q has a JSON %s where %s was expected", typeErr.Field, typeErr.Value, describeGoType(typeErr.Type.String()))
	case errors.As(err, &syntaxErr):
		return fmt.Errorf("invalid JSON at byte %d: %v", syntaxErr.Offset, err) //nolint:errorlint // message only
	}
	return err
}

// describeInvalidJSON says what is wrong with a body that json.Valid rejected.
func describeInvalidJSON(body []byte) error {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return errors.New("the body is empty")
	}
	var v any
	if err := json.Unmarshal(trimmed, &v); err != nil {
		return explainJSONError(err)
	}
	return errors.New("invalid JSON")
}

func describeJSONStart(b []byte) string {
	switch b[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 'n':
		return "null"
	case 't', 'f':
		return "a boolean"
	case '<':
		return "HTML or XML"
	}
	if b[0] == '-' || (b[0] >= '0' && b[0] <= '9') {
		return "a number"
	}
	return "text that is not JSON"
}

func describeGoType(t string) string {
	switch t {
	case "string", "*string":
		return "a string"
	case "json.Number", "*json.Number":
		return "a number"
	}
	return "another type"
}
