package fakeisc

import (
	"slices"
	"strings"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// SailPoint's filter grammar ("standard collection parameters"): field op value, with
// and, or, not and parentheses; not binds tighter than and, and tighter than or.
// Operators and keywords are lowercase only. Strings are double-quoted with \" and \\ as
// the only escapes; date-times are RFC 3339 and unquoted; booleans are true and false.
type orExpr struct {
	And []*andExpr `parser:"@@ ( 'or' @@ )*"`
}

type andExpr struct {
	Terms []*term `parser:"@@ ( 'and' @@ )*"`
}

type term struct {
	Not   *term       `parser:"  'not' @@"`
	Group *orExpr     `parser:"| '(' @@ ')'"`
	Cmp   *comparison `parser:"| @@"`
}

type comparison struct {
	Field string     `parser:"@Ident"`
	Op    string     `parser:"@Ident"`
	List  []*literal `parser:"( '(' @@ ( ',' @@ )* ')'"`
	Value *literal   `parser:"| @@ )?"`
}

type literal struct {
	String   *string `parser:"  @String"`
	Bool     *string `parser:"| @('true' | 'false')"`
	DateTime *string `parser:"| @DateTime"`
}

var filterParser = participle.MustBuild[orExpr](
	participle.Lexer(lexer.MustSimple([]lexer.SimpleRule{
		{Name: "String", Pattern: `"(\\["\\]|[^"\\])*"`},
		{Name: "DateTime", Pattern: `\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})`},
		{Name: "Ident", Pattern: `[A-Za-z_][A-Za-z0-9_.]*`},
		{Name: "Punct", Pattern: `[(),]`},
		{Name: "Space", Pattern: `\s+`},
	})),
	participle.Elide("Space"),
)

// fielded is what a filter tests: a source or an account, whose value returns a field as
// filters and sorters see it (a string, a bool, a []string, or nil when absent).
type fielded interface{ value(field string) any }

// predicate reports whether an object matches a filter.
type predicate func(fielded) bool

// filterable is one API's table of filterable fields: the operators of each (the spec's
// table, space-separated), and the fields whose values are booleans.
type filterable struct {
	ops      map[string]string
	booleans []string
}

// compileFilter parses a filters parameter ("" matches everything) and checks its fields,
// operators and values against fields. Its errors are the messages of the 400 the API
// answers.
func compileFilter(text string, fields filterable) (predicate, error) {
	if strings.TrimSpace(text) == "" {
		return func(fielded) bool { return true }, nil
	}
	expr, err := filterParser.ParseString("", text)
	if err != nil {
		return nil, badRequestf("Invalid filter %q: %v", text, err)
	}
	return expr.compile(fields)
}

func (e *orExpr) compile(fields filterable) (predicate, error) {
	ps, err := compileAll(e.And, fields, (*andExpr).compile)
	return func(o fielded) bool { return slices.ContainsFunc(ps, func(p predicate) bool { return p(o) }) }, err
}

func (e *andExpr) compile(fields filterable) (predicate, error) {
	ps, err := compileAll(e.Terms, fields, (*term).compile)
	return func(o fielded) bool { return !slices.ContainsFunc(ps, func(p predicate) bool { return !p(o) }) }, err
}

func compileAll[T any](parts []T, fields filterable, compile func(T, filterable) (predicate, error)) ([]predicate, error) {
	ps := make([]predicate, len(parts))
	for i, part := range parts {
		var err error
		if ps[i], err = compile(part, fields); err != nil {
			return nil, err
		}
	}
	return ps, nil
}

func (t *term) compile(fields filterable) (predicate, error) {
	switch {
	case t.Not != nil:
		p, err := t.Not.compile(fields)
		return func(o fielded) bool { return !p(o) }, err
	case t.Group != nil:
		return t.Group.compile(fields)
	}
	return t.Cmp.compile(fields)
}

// compile checks the comparison against the API's table of filterable fields and builds
// its test. A missing value matches only isnull and ne; strings compare ignoring case,
// and date-times as instants (see compareValues).
func (c *comparison) compile(fields filterable) (predicate, error) {
	ops, ok := fields.ops[c.Field]
	if !ok {
		return nil, badRequestf("Filtering is not supported for field '%s'.", c.Field)
	}
	if !slices.Contains(strings.Fields(ops), c.Op) {
		return nil, badRequestf("Filter operator '%s' is not supported for field '%s'. Supported operators: %s.", c.Op, c.Field, ops)
	}
	values := make([]any, len(c.List))
	for i, l := range c.List {
		values[i] = l.value()
	}
	switch {
	case c.Op == "isnull" && (c.Value != nil || c.List != nil):
		return nil, badRequestf("Filter operator 'isnull' takes no value (field '%s').", c.Field)
	case (c.Op == "in" || c.Op == "ca") && c.List == nil:
		return nil, badRequestf("Filter operator '%s' needs a list of values such as (\"a\", \"b\") (field '%s').", c.Op, c.Field)
	case c.Op != "isnull" && c.Op != "in" && c.Op != "ca":
		if c.Value == nil {
			return nil, badRequestf("Filter operator '%s' needs one value (field '%s').", c.Op, c.Field)
		}
		values = []any{c.Value.value()}
	}
	boolean := slices.Contains(fields.booleans, c.Field)
	for _, v := range values {
		if _, isBool := v.(bool); isBool != boolean {
			return nil, badRequestf("Invalid value %v for field '%s'.", v, c.Field)
		}
	}

	return func(o fielded) bool {
		got := o.value(c.Field)
		if list, ok := got.([]string); ok { // features: co and ca test its elements
			has := func(want any) bool {
				return slices.ContainsFunc(list, func(e string) bool { return compareValues(e, want) == 0 })
			}
			if c.Op == "ca" {
				return !slices.ContainsFunc(values, func(v any) bool { return !has(v) })
			}
			return has(values[0])
		}
		switch c.Op {
		case "isnull":
			return got == nil
		case "ne":
			return got == nil || compareValues(got, values[0]) != 0
		}
		return got != nil && slices.ContainsFunc(values, func(want any) bool { return matches(c.Op, got, want) })
	}, nil
}

// matches applies a comparison operator (eq, in, gt, ge, lt, le, sw or co) to a present
// value.
func matches(op string, got, want any) bool {
	c := compareValues(got, want)
	switch op {
	case "sw":
		return strings.HasPrefix(fold(got), fold(want))
	case "co":
		return strings.Contains(fold(got), fold(want))
	case "gt":
		return c > 0
	case "ge":
		return c >= 0
	case "lt":
		return c < 0
	case "le":
		return c <= 0
	}
	return c == 0
}

// value returns a literal as a Go value: a string (a date-time stays text) or a bool.
func (l *literal) value() any {
	switch {
	case l.String != nil:
		return strings.NewReplacer(`\"`, `"`, `\\`, `\`).Replace((*l.String)[1 : len(*l.String)-1])
	case l.Bool != nil:
		return *l.Bool == "true"
	}
	return *l.DateTime
}

// fold returns a string value for case-insensitive matching.
func fold(v any) string {
	s, _ := v.(string)
	return strings.ToLower(s)
}
