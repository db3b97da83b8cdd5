package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
)

// SourceUsageStatus is the API's SourceUsageStatus model.
type SourceUsageStatus struct {
	// Status is COMPLETE, INCOMPLETE, or any value the API adds later; nil when the answer
	// had no status field or a null one.
	Status *string `json:"status"`
}

// Usage is one monthly row of usage: the API's SourceUsage and AccountUsage models, which
// differ only in what count counts.
type Usage struct {
	// Date is the first day of the month the row aggregates, as the API wrote it; nil when
	// missing or null.
	Date *string `json:"date"`
	// Count is, for a source, the average number of days its accounts were active that
	// month; for an account, the whole days it was active. It is kept as the exact decimal
	// text the API sent (never through a binary float); nil when missing or null.
	Count *json.Number `json:"count"`
}

// Source is the API's Source model, reduced to what the provider shows. The API guarantees no
// field, so each is nil when the answer left it out or sent null.
type Source struct {
	ID             *string   `json:"id"`
	Name           *string   `json:"name"`
	Description    *string   `json:"description"`
	Type           *string   `json:"type"`
	ConnectorName  *string   `json:"connectorName"`
	ConnectionType *string   `json:"connectionType"`
	Category       *string   `json:"category"`
	Authoritative  *bool     `json:"authoritative"`
	Healthy        *bool     `json:"healthy"`
	Status         *string   `json:"status"`
	Since          *string   `json:"since"`
	Created        *string   `json:"created"`
	Modified       *string   `json:"modified"`
	Owner          *Ref      `json:"owner"`
	Cluster        *Ref      `json:"cluster"`
	Features       *[]string `json:"features"`
}

// Account is the API's Account model, reduced to what the provider shows, as a SLIM list
// answers it. The API guarantees no field: each is nil when the answer left it out or sent
// null (an uncorrelated account has neither identityId nor identity).
type Account struct {
	ID                 *string `json:"id"`
	Name               *string `json:"name"`
	NativeIdentity     *string `json:"nativeIdentity"`
	UUID               *string `json:"uuid"`
	SourceID           *string `json:"sourceId"`
	SourceName         *string `json:"sourceName"`
	IdentityID         *string `json:"identityId"`
	Identity           *Ref    `json:"identity"`
	Disabled           *bool   `json:"disabled"`
	Locked             *bool   `json:"locked"`
	Uncorrelated       *bool   `json:"uncorrelated"`
	ManuallyCorrelated *bool   `json:"manuallyCorrelated"`
	HasEntitlements    *bool   `json:"hasEntitlements"`
	IsMachine          *bool   `json:"isMachine"`
	Origin             *string `json:"origin"`
	Created            *string `json:"created"`
	Modified           *string `json:"modified"`
}

// IsUncorrelated reports whether the account is correlated to no identity: its uncorrelated
// field, or, where the API leaves that out, whether it names no identity.
func (a Account) IsUncorrelated() bool {
	if a.Uncorrelated != nil {
		return *a.Uncorrelated
	}
	return (a.IdentityID == nil || *a.IdentityID == "") && (a.Identity == nil || a.Identity.ID == nil || *a.Identity.ID == "")
}

// Ref is the API's reference to another object: an owner, a cluster.
type Ref struct {
	Type *string `json:"type"`
	ID   *string `json:"id"`
	Name *string `json:"name"`
}

// Counts beyond these bounds are refused rather than read: a count is an average number of
// days (0 to 31), and a decimal exponent in the millions would make exact arithmetic on it
// take minutes while showing nothing a float could hold.
const (
	maxCountLength   = 64
	maxCountExponent = 300
)

// decodeUsages decodes a summaries page. Unknown fields are accepted and missing or null
// fields stay nil; a count that is not a number within bounds is an error naming its row.
func decodeUsages(body []byte) ([]Usage, error) {
	var rows []struct {
		Date  *string         `json:"date"`
		Count json.RawMessage `json:"count"`
	}
	if err := decodeJSON(body, '[', "an array", &rows); err != nil {
		return nil, err
	}
	out := make([]Usage, len(rows))
	for i, r := range rows {
		out[i].Date = r.Date
		count := string(r.Count)
		if count == "" || count == "null" {
			continue
		}
		if err := checkCount(count); err != nil {
			return nil, fmt.Errorf("row %d (date %s): count %s %w", i, deref(r.Date, "missing"), trimBody(r.Count), err)
		}
		n := json.Number(count)
		out[i].Count = &n
	}
	return out, nil
}

// checkCount accepts a JSON number within the bounds above.
func checkCount(s string) error {
	if s[0] != '-' && (s[0] < '0' || s[0] > '9') {
		return errors.New("is not a number")
	}
	if len(s) > maxCountLength {
		return fmt.Errorf("has more than %d characters", maxCountLength)
	}
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		exp, err := strconv.Atoi(strings.TrimPrefix(s[i+1:], "+"))
		if err != nil || exp > maxCountExponent || exp < -maxCountExponent {
			return fmt.Errorf("has an exponent beyond ±%d", maxCountExponent)
		}
	}
	return nil
}

func deref(s *string, missing string) string {
	if s == nil {
		return missing
	}
	return *s
}

// decodeJSON unmarshals body into v after checking that it starts with the JSON value kind the
// API publishes: json.Unmarshal alone turns "null" into an empty result, which would present a
// broken answer as "no data".
func decodeJSON(body []byte, open byte, kind string, v any) error {
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) == 0 {
		return errors.New("the body is empty; expected " + kind)
	}
	if trimmed[0] != open {
		return fmt.Errorf("expected %s, got %s", kind, describeJSONStart(trimmed))
	}
	if err := json.Unmarshal(trimmed, v); err != nil {
		return explainJSONError(err, trimmed)
	}
	return nil
}

// isJSON reports whether body is one JSON value.
func isJSON(body []byte) bool { return json.Valid(body) }

// describeInvalidJSON says what is wrong with a body isJSON rejected.
func describeInvalidJSON(body []byte) error {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return errors.New("the body is empty")
	}
	var v any
	return explainJSONError(json.Unmarshal(trimmed, &v), trimmed)
}

// explainJSONError turns encoding/json's errors about body into words.
func explainJSONError(err error, body []byte) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &syntaxErr) && cutOff(body):
		return errors.New("the JSON ends early (the body was cut off)")
	case errors.As(err, &syntaxErr):
		return fmt.Errorf("invalid JSON at byte %d: %v", syntaxErr.Offset, err) //nolint:errorlint // message only
	case errors.As(err, &typeErr):
		return fmt.Errorf("field %q has a JSON %s where %s was expected", typeErr.Field, typeErr.Value, describeGoType(typeErr.Type))
	case err == nil:
		return errors.New("invalid JSON")
	}
	return err
}

// cutOff reports whether body is the start of a JSON value that ends too soon. Unmarshal
// cannot tell that from a bad last byte (both report the offset of the end); a streaming
// decoder can.
func cutOff(body []byte) bool {
	var v any
	return errors.Is(json.NewDecoder(bytes.NewReader(body)).Decode(&v), io.ErrUnexpectedEOF)
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

func describeGoType(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Slice:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Int, reflect.Int64, reflect.Float64, reflect.Float32:
		return "a number"
	}
	return "another type"
}
