package fakeisc

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"
)

// connectors are the kinds of source the demo and the generated sources are made of:
// type, connector, connectorName and connectionType as ISC reports them.
var connectors = [][4]string{
	{"Active Directory", "active-directory", "Active Directory", "direct"},
	{"Workday", "workday", "Workday", "direct"},
	{"Salesforce", "salesforce", "Salesforce", "direct"},
	{"ServiceNow", "servicenow", "ServiceNow", "direct"},
	{"DelimitedFile", "delimited-file", "Delimited File", "file"},
	{"Okta", "okta", "Okta", "direct"},
	{"GitHub", "github", "GitHub", "direct"},
}

// newSource returns a healthy source of the given kind (an index into connectors).
func newSource(id, name string, kind int, owner *Ref) Source {
	c := connectors[kind]
	return Source{ID: id, Name: name, Type: c[0], Connector: c[1], ConnectorName: c[2], ConnectionType: c[3],
		Owner: owner, Healthy: new(true), Status: "SOURCE_STATE_HEALTHY"}
}

// hexID returns a stable 32-hex id, like ISC's, derived from key.
func hexID(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:16])
}

// monthlyRows returns a row for each of the 12 months before the month of now, oldest
// first, with counts (two decimals) spread deterministically around level by key.
func monthlyRows(key string, now time.Time, level float64) []Usage {
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	rows := make([]Usage, 12)
	for i := range rows {
		month := first.AddDate(0, i-12, 0)
		sum := sha256.Sum256([]byte(key + "/" + month.Format(time.DateOnly)))
		spread := float64(binary.BigEndian.Uint32(sum[:4])%1000)/1000*0.4 + 0.8 // 0.8 to 1.2
		rows[i] = Row(month.Format(time.DateOnly), fmt.Sprintf("%.2f", level*spread))
	}
	return rows
}

// GeneratedSourceID returns the id of generated source n (0-based): the first 32 hex
// characters of a SHA-256 of n, so tests and benchmarks can name sources without asking
// the fake.
func GeneratedSourceID(n int) string {
	return hexID("fakeisc/generated-source/" + strconv.Itoa(n))
}

// WithGeneratedSources adds generated sources 0 to n-1, for tests and benchmarks that need
// many sources. Everything about them is deterministic. Source i has the id
// GeneratedSourceID(i), the name "Generated Source %04d" (i), the kinds of the connectors
// in rotation, and usage insights for 30 % of them: it is COMPLETE when i%10 < 3, with 12
// monthly rows for 2024, and INCOMPLETE with no rows otherwise.
func WithGeneratedSources(n int) Option {
	owner := &Ref{Type: "IDENTITY", ID: hexID("fakeisc/identity/Generated Owner"), Name: "Generated Owner"}
	end := time.Date(2025, time.January, 1, 0, 0, 0, 0, time.UTC)
	return func(t *Tenant) {
		for i := range max(n, 0) {
			src := newSource(GeneratedSourceID(i), fmt.Sprintf("Generated Source %04d", i), i%len(connectors), owner)
			src.UsageStatus = "INCOMPLETE"
			if i%10 < 3 {
				src.UsageStatus, src.Usages = "COMPLETE", monthlyRows(src.ID, end, 15)
			}
			t.sources[src.ID] = src
		}
	}
}

// WithDemoSources adds the demo catalogue, which looks like a real tenant's: a few sources
// of the usual kinds, one with its health in error, one without usage insights, one
// unused, and the tenant's own IdentityNow source. Sources with insights have one usage
// row for each of the 12 months before the tenant's clock reads now. Their ids are stable,
// their dates follow the clock: find them by name or type.
func WithDemoSources() Option {
	return func(t *Tenant) {
		now := t.now().UTC().Truncate(time.Second)
		ago := func(d time.Duration) string { return now.Add(-d).Format(time.RFC3339) }
		day := 24 * time.Hour
		owner := func(name string) *Ref {
			return &Ref{Type: "IDENTITY", ID: hexID("fakeisc/identity/" + name), Name: name}
		}
		cluster := &Ref{Type: "CLUSTER", ID: hexID("fakeisc/cluster/Corporate"), Name: "Corporate Cluster"}
		for _, d := range []struct {
			name, description string
			kind              int
			owner             string
			usage             float64 // the level of the monthly counts; < 0: no insights
			edit              func(*Source)
		}{
			{"Corporate Active Directory", "Employee accounts and groups, US and APAC", 0, "Dana Whitfield", 14, func(s *Source) {
				s.Cluster = cluster
				s.Features = []string{"AUTHENTICATE", "ENABLE", "MANAGER_LOOKUP", "SEARCH", "UNLOCK", "PROVISIONING", "PASSWORD"}
			}},
			{"EMEA Active Directory", "Employee accounts and groups, Europe", 0, "Dana Whitfield", 11, func(s *Source) {
				s.Cluster = cluster
				s.Healthy, s.Status = new(false), "SOURCE_STATE_ERROR_SOURCE"
			}},
			{"Workday", "HR system of record", 1, "Priya Raman", -1, func(s *Source) { s.Authoritative = new(true) }},
			{"Salesforce", "Sales and service CRM", 2, "Marco Bianchi", 17.5, nil},
			{"ServiceNow", "IT service management", 3, "Marco Bianchi", 9, nil},
			{"Okta", "Workforce single sign-on", 5, "Dana Whitfield", 19, nil},
			{"GitHub Enterprise", "Source code hosting", 6, "Priya Raman", 0, nil},
			{"Contractors", "Contractor roster, uploaded weekly", 4, "Priya Raman", -1, nil},
			{"IdentityNow", "The tenant's own source", 0, "Dana Whitfield", -1, func(s *Source) {
				s.Type, s.Connector, s.ConnectorName, s.IdentityNow = "IdentityNowConnector", "identitynow", "IdentityNow", true
			}},
		} {
			src := newSource(hexID("fakeisc/demo/"+d.name), d.name, d.kind, owner(d.owner))
			src.Description, src.Authoritative = d.description, new(false)
			src.Created, src.Modified, src.Since = ago(400*day+time.Duration(len(d.name))*time.Hour), ago(3*day), ago(17*time.Minute)
			src.UsageStatus = "INCOMPLETE"
			if d.usage >= 0 {
				src.UsageStatus, src.Usages = "COMPLETE", monthlyRows(src.ID, now, d.usage)
			}
			if d.edit != nil {
				d.edit(&src)
			}
			t.sources[src.ID] = src
		}
	}
}
