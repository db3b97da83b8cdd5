package fakeisc

import (
	"net/url"
	"strings"
	"testing"
)

// filterSources are sources whose fields the filter tests pick apart, by id.
func filterSources() []Source {
	return []Source{
		{ID: "a", Name: "Active Directory", Type: "Active Directory", Description: "Corp directory",
			Owner: &Ref{ID: "o1", Name: "Ann"}, Features: []string{"AUTHENTICATE", "SEARCH"}, Authoritative: new(false),
			Healthy: new(true), Status: "SOURCE_STATE_HEALTHY", Created: "2024-01-01T00:00:00Z",
			ConnectorName: "Active Directory", ConnectionType: "direct"},
		{ID: "b", Name: `Quote "q" \ back`, Type: "Workday", Authoritative: new(true), Created: "2024-06-01T02:00:00.000+02:00",
			Features: []string{"search"}, ManagementWorkgroup: &Ref{ID: "wg"}},
		{ID: "c", Name: "Ünïcode #&% été", Type: "ServiceNow", Category: "CredentialProvider"},
		{ID: "d", Name: "ServiceNow Dev", Type: "servicenow"},
	}
}

func TestFilters(t *testing.T) {
	tests := []struct {
		filter, want string // want: the matching ids, in id order
	}{
		{``, "a b c d"},
		{`name eq "active directory"`, "a"},
		{`name eq "Quote \"q\" \\ back"`, "b"},
		{`name eq "ÜNÏCODE #&% ÉTÉ"`, "c"},
		{`name co "#&%"`, "c"},
		{`name sw "servicenow"`, "d"},
		{`name co "DEV"`, "d"},
		{`name in ("Active Directory","ServiceNow Dev")`, "a d"},
		{`name isnull`, ""},
		{`type in ("Workday", "ServiceNow")`, "b c d"},
		{`type ne "Workday"`, "a c d"},
		{`type ge "S"`, "b c d"},
		{`id lt "c"`, "a b"},
		{`id le "c"`, "a b c"},
		{`id gt "b"`, "c d"},
		{`authoritative eq true`, "b"},
		{`authoritative eq false`, "a"},
		{`authoritative ne true`, "a c d"},
		{`authoritative isnull`, "c d"},
		{`healthy isnull`, "b c d"},
		{`features co "search"`, "a b"},
		{`features ca ("AUTHENTICATE","SEARCH")`, "a"},
		{`features ca ("search")`, "a b"},
		{`created gt 2024-03-01T00:00:00Z`, "b"},
		{`created ge 2024-01-01T00:00:00.000Z`, "a b"},
		{`created eq 2024-06-01T00:00:00Z`, "b"}, // the same instant, written another way
		{`created isnull`, "c d"},
		{`owner.id eq "o1"`, "a"},
		{`owner.id isnull`, "b c d"},
		{`managementWorkgroup.id eq "WG"`, "b"},
		{`description sw "corp"`, "a"},
		{`status eq "source_state_healthy"`, "a"},
		{`connectorName eq "active directory" and connectionType eq "direct"`, "a"},
		{`category co "credential"`, "c"},
		{`not type eq "Workday"`, "a c d"},
		{`type eq "Workday" or name sw "Active"`, "a b"},
		// and binds tighter than or, not tighter than and.
		{`type eq "ServiceNow" and name co "dev" or authoritative eq true`, "b d"},
		{`type eq "ServiceNow" and (name co "dev" or authoritative eq true)`, "d"},
		{`not type eq "ServiceNow" and not authoritative eq true`, "a"},
		{`not (type eq "Workday" or type eq "ServiceNow")`, "a"},
		{`( ( id eq "a" ) )`, "a"},
	}
	srcs := filterSources()
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			match, err := compileFilter(tt.filter, sourceFilters)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for i := range srcs {
				if match(&srcs[i]) {
					got = append(got, srcs[i].ID)
				}
			}
			if strings.Join(got, " ") != tt.want {
				t.Errorf("matched %v, want %s", got, tt.want)
			}
		})
	}
}

func TestFilterErrors(t *testing.T) {
	tests := []struct {
		filter, wantText string
	}{
		{`nme eq "x"`, "Filtering is not supported for field 'nme'."},
		{`owner.name eq "x"`, "Filtering is not supported for field 'owner.name'."},
		{`description co "x"`, "Filter operator 'co' is not supported for field 'description'. Supported operators: eq sw."},
		{`healthy eq true`, "Filter operator 'eq' is not supported for field 'healthy'."},
		{`name EQ "x"`, "Filter operator 'EQ' is not supported for field 'name'."},
		{`name pr`, "Filter operator 'pr' is not supported for field 'name'."},
		{`authoritative eq "true"`, "Invalid value true for field 'authoritative'."},
		{`name eq true`, "Invalid value true for field 'name'."},
		{`features ca (true)`, "Invalid value true for field 'features'."},
		{`name in "x"`, "Filter operator 'in' needs a list of values"},
		{`features ca "x"`, "Filter operator 'ca' needs a list of values"},
		{`name eq ("a", "b")`, "Filter operator 'eq' needs one value"},
		{`name eq`, "Filter operator 'eq' needs one value"},
		{`name isnull "x"`, "Filter operator 'isnull' takes no value"},
		// Syntax errors name the filter and the place.
		{`name eq "x" AND type eq "y"`, `Invalid filter "name eq \"x\" AND type eq \"y\"": 1:13: unexpected token "AND"`},
		{`name eq x`, `Invalid filter "name eq x": 1:9: unexpected token "x"`},
		{`name eq "x`, `Invalid filter "name eq \"x": 1:9: lexer: invalid input text`},
		{`name eq "bad \n escape"`, `Invalid filter`},
		{`(name eq "x"`, `Invalid filter`},
		{`name eq "x" or`, `Invalid filter`},
		{`name in ()`, `Invalid filter`},
		{`not`, `Invalid filter`},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			if _, err := compileFilter(tt.filter, sourceFilters); err == nil || !strings.Contains(err.Error(), tt.wantText) {
				t.Errorf("error %v, want one containing %q", err, tt.wantText)
			}
		})
	}
}

// Over HTTP: a filter is read from the query string exactly, escapes and all, and a bad
// one is answered 400 with an ErrorResponseDto that names the problem.
func TestFiltersOverHTTP(t *testing.T) {
	tenant := New(WithSources(filterSources()...))
	token := tenant.IssueToken(DefaultClientID, 0)
	for _, name := range []string{`Quote "q" \ back`, "Ünïcode #&% été"} {
		filter := `name eq "` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(name) + `"`
		w := get(t, tenant, token, apiPath("v2025", OpListSources, "")+"?filters="+url.QueryEscape(filter))
		if got := names(t, w.Body.Bytes()); w.Code != 200 || got != name {
			t.Errorf("%s: %d %s", filter, w.Code, got)
		}
		if e := lastRequest(t, tenant); e.Query.Get("filters") != filter {
			t.Errorf("logged filters %q, want %q", e.Query.Get("filters"), filter)
		}
	}
	w := get(t, tenant, token, apiPath("v2025", OpListSources, "")+"?filters="+url.QueryEscape(`type co "x"`))
	if w.Code != 400 {
		t.Fatalf("status = %d", w.Code)
	}
	checkErrorDto(t, w.Body.Bytes(), detailBadRequest, "Filter operator 'co' is not supported for field 'type'.")
}

// FuzzFilter checks that any filter either fails to compile or tests every source
// without a panic.
func FuzzFilter(f *testing.F) {
	for _, seed := range []string{`name eq "a\"b"`, `not (type in ("x", "y") or authoritative eq true) and created gt 2024-01-01T00:00:00Z`,
		`features ca ("SEARCH")`, `healthy isnull`, `name eq`, `((`, `"`, `name co "\\"`} {
		f.Add(seed)
	}
	srcs := filterSources()
	f.Fuzz(func(t *testing.T, filter string) {
		match, err := compileFilter(filter, sourceFilters)
		if err != nil {
			return
		}
		for i := range srcs {
			match(&srcs[i])
		}
	})
}
