package fakeisc

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
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

// pick returns a number from 0 to n-1 (n > 0) derived from key: a deterministic spread.
func pick(key string, n uint32) int {
	sum := sha256.Sum256([]byte(key))
	return int(binary.BigEndian.Uint32(sum[:4]) % n)
}

// monthlyRows returns a row for each of the 12 months before the month of now, oldest
// first, with counts (two decimals) spread deterministically around level by key.
func monthlyRows(key string, now time.Time, level float64) []Usage {
	return dayRows(now, "", func(_ int, month string) string {
		spread := float64(pick(key+"/"+month, 1000))/1000*0.4 + 0.8 // 0.8 to 1.2
		return fmt.Sprintf("%.2f", level*spread)
	})
}

// dayRows returns a row for each of the 12 months before the month of now, oldest first,
// but none for months before the one created (RFC 3339, UTC) falls in. count gives the count
// of month number m (0 is the oldest) that starts on the date month.
func dayRows(now time.Time, created string, count func(m int, month string) string) []Usage {
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	var rows []Usage
	for m := range 12 {
		month := first.AddDate(0, m-12, 0).Format(time.DateOnly)
		if created[:min(len(created), 7)] <= month[:7] {
			rows = append(rows, Row(month, count(m, month)))
		}
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

// GeneratedAccountID returns the id of generated account i (0-based) of a source: 32 hex
// characters derived from both, so tests and benchmarks can name accounts without asking
// the fake.
func GeneratedAccountID(sourceID string, i int) string {
	return hexID("fakeisc/generated-account/" + sourceID + "/" + strconv.Itoa(i))
}

// WithGeneratedAccounts adds generated accounts 0 to n-1 on the source sourceID (say
// GeneratedSourceID(k), COMPLETE when k%10 < 3). Everything about them is deterministic.
// Account i has the id GeneratedAccountID(sourceID, i), the name and native identity
// "user%05d" (i), origin AGGREGATED, entitlements, an attribute displayName, and 12 monthly
// rows for 2024, served while the source is COMPLETE:
//
//   - i%5 == 0: disabled (20 %); the others are enabled;
//   - i%3 == 2: dormant, every count 0; the others are busy, counting 10 + (i+m)%13 days
//     (10 to 22) in month m, 1 to 12;
//   - i%10 == 3: uncorrelated, without identity; the others are correlated to the
//     identity "Generated User %05d" (i).
func WithGeneratedAccounts(sourceID string, n int) Option {
	return func(t *Tenant) {
		for i := range max(n, 0) {
			user, identity := fmt.Sprintf("user%05d", i), fmt.Sprintf("Generated User %05d", i)
			a := Account{ID: GeneratedAccountID(sourceID, i), Name: user, NativeIdentity: user, SourceID: sourceID,
				IdentityID: hexID("fakeisc/identity/" + identity), IdentityName: identity, Disabled: i%5 == 0,
				Uncorrelated: new(false), HasEntitlements: true, Origin: "AGGREGATED", Modified: "2024-12-31T00:00:00Z",
				Created: time.Date(2023, time.January, 1, 0, i, 0, 0, time.UTC).Format(time.RFC3339), Attributes: map[string]any{"displayName": identity}}
			if i%10 == 3 {
				a.IdentityID, a.IdentityName, a.Uncorrelated = "", "", new(true)
			}
			a.Usages = dayRows(time.Date(2025, time.January, 1, 0, 0, 0, 0, time.UTC), "", func(m int, _ string) string {
				if i%3 == 2 {
					return "0"
				}
				return strconv.Itoa(10 + (i+m+1)%13) // m is 0 to 11
			})
			t.accounts[a.ID] = a
		}
	}
}

// demoPeople are the demo company's staff, login and name. Each has one identity, which
// their accounts on every source share; three of them own the sources.
var demoPeople = [][2]string{
	{"jdoe", "John Doe"}, {"a.kowalski", "Anna Kowalski"}, {"dwhitfield", "Dana Whitfield"}, {"praman", "Priya Raman"},
	{"mbianchi", "Marco Bianchi"}, {"lchen", "Li Chen"}, {"s.okafor", "Samuel Okafor"}, {"mgarcia", "Maria Garcia"},
	{"tnguyen", "Thanh Nguyen"}, {"e.schmidt", "Eva Schmidt"}, {"rpatel", "Ravi Patel"}, {"kbrennan", "Kate Brennan"},
	{"h.tanaka", "Hiro Tanaka"}, {"ljohansson", "Lars Johansson"}, {"fdubois", "Fleur Dubois"}, {"amensah", "Ama Mensah"},
	{"jsilva", "Joao Silva"}, {"nkowalczyk", "Nina Kowalczyk"}, {"bwright", "Ben Wright"}, {"yel-amin", "Yasmin El-Amin"},
}

// demoAccounts returns the accounts of demo source number k, one for each letter of
// kinds: B busy (18 to 22 days a month), L light (2 to 8), D dormant (5 to 15 days in the
// oldest 4 of the 12 months, 0 since), N never used, X disabled and dormant, O orphan
// (uncorrelated, 3 to 12), S machine (uncorrelated, 20 to 23: working days), R recent
// (provisioned 40 to 58 days ago, 5 to 15 days a month since). People's accounts are
// named in the source's style, and share each person's identity across sources. Only
// sources with insights give usage.
func demoAccounts(src Source, k int, kinds string, now time.Time) []Account {
	ago := func(days int) string { return now.AddDate(0, 0, -days).Format(time.RFC3339) }
	accounts := make([]Account, len(kinds))
	for i, kind := range kinds {
		p := demoPeople[(5*k+i)%len(demoPeople)]
		display, mail := p[1], strings.ToLower(strings.ReplaceAll(p[1], " ", "."))+"@acme.example"
		a := Account{SourceID: src.ID, Name: p[0], IdentityID: hexID("fakeisc/identity/" + p[1]), IdentityName: p[1],
			Disabled: kind == 'X', IsMachine: kind == 'S', SystemAccount: src.IdentityNow, HasEntitlements: kind != 'N',
			Origin: "AGGREGATED", Created: ago(500 + 23*i), Modified: ago(2 + i%5), Attributes: map[string]any{"mail": mail}}
		if name, ok := map[rune]string{'O': []string{"temp.admin", "test01", "jsmith.old", "scanner", "vendor.support"}[(k+i)%5],
			'S': []string{"svc-backup", "svc-reporting", "svc-integration"}[k%3]}[kind]; ok {
			a.Name, a.IdentityID, a.IdentityName, display, a.Attributes = name, "", "", name, map[string]any{}
		} else if styled, ok := map[string]string{"workday": strconv.Itoa(100200 + 37*i + 101*k), "salesforce": mail,
			"okta": mail, "servicenow": mail, "github": p[0] + "-acme"}[src.Connector]; ok {
			a.Name = styled
		}
		if kind == 'R' {
			a.Origin, a.Created = "PROVISIONED", ago(40+(6*i)%19)
		}
		a.ID, a.NativeIdentity, a.Uncorrelated = hexID("fakeisc/demo/account/"+src.Name+"/"+a.Name), a.Name, new(a.IdentityID == "")
		a.UUID, a.Attributes["displayName"] = "{"+a.ID[:8]+"-"+a.ID[8:12]+"-"+a.ID[12:16]+"-"+a.ID[16:20]+"-"+a.ID[20:]+"}", display
		if src.Connector == "active-directory" {
			a.NativeIdentity = "CN=" + display + ",OU=Users,DC=acme,DC=example"
		}
		days := map[rune][2]uint32{'B': {18, 22}, 'L': {2, 8}, 'D': {5, 15}, 'X': {5, 15}, 'O': {3, 12}, 'S': {20, 23}, 'R': {5, 15}}[kind]
		if src.UsageStatus == "COMPLETE" {
			a.Usages = dayRows(now, a.Created, func(m int, month string) string {
				if m >= 4 && (kind == 'D' || kind == 'X') {
					return "0"
				}
				return strconv.Itoa(int(days[0]) + pick(a.ID+"/"+month, days[1]-days[0]+1))
			})
		}
		accounts[i] = a
	}
	return accounts
}

// WithDemoSources adds the demo catalogue, which looks like a real tenant's: a few sources
// of the usual kinds, one with its health in error, one without usage insights, one
// unused, and the tenant's own IdentityNow source. Sources with insights have one usage
// row for each of the 12 months before the tenant's clock reads now. Their ids are stable,
// their dates follow the clock: find them by name or type.
//
// Every source has accounts (see demoAccounts): the sources with insights a mix of busy,
// dormant, disabled, orphan, machine and recent ones, with usage; "Corporate Active
// Directory" the most, 18, for the demo's dormant-accounts table; the others a few.
func WithDemoSources() Option {
	return func(t *Tenant) {
		now := t.now().UTC().Truncate(time.Second)
		ago := func(d time.Duration) string { return now.Add(-d).Format(time.RFC3339) }
		day := 24 * time.Hour
		owner := func(name string) *Ref {
			return &Ref{Type: "IDENTITY", ID: hexID("fakeisc/identity/" + name), Name: name}
		}
		cluster := &Ref{Type: "CLUSTER", ID: hexID("fakeisc/cluster/Corporate"), Name: "Corporate Cluster"}
		for k, d := range []struct {
			name, description string
			kind              int
			owner             string
			usage             float64 // the level of the monthly counts; < 0: no insights
			accounts          string  // their kinds, see demoAccounts
			edit              func(*Source)
		}{
			{"Corporate Active Directory", "Employee accounts and groups, US and APAC", 0, "Dana Whitfield", 14, "BBBBBLLDDDNXXOOSRR", func(s *Source) {
				s.Cluster = cluster
				s.Features = []string{"AUTHENTICATE", "ENABLE", "MANAGER_LOOKUP", "SEARCH", "UNLOCK", "PROVISIONING", "PASSWORD"}
			}},
			{"EMEA Active Directory", "Employee accounts and groups, Europe", 0, "Dana Whitfield", 11, "BBLDXOS", func(s *Source) {
				s.Cluster = cluster
				s.Healthy, s.Status = new(false), "SOURCE_STATE_ERROR_SOURCE"
			}},
			{"Workday", "HR system of record", 1, "Priya Raman", -1, "BBBX", func(s *Source) { s.Authoritative = new(true) }},
			{"Salesforce", "Sales and service CRM", 2, "Marco Bianchi", 17.5, "BBBLDNO", nil},
			{"ServiceNow", "IT service management", 3, "Marco Bianchi", 9, "BBLDS", nil},
			{"Okta", "Workforce single sign-on", 5, "Dana Whitfield", 19, "BBBBLDXR", nil},
			{"GitHub Enterprise", "Source code hosting", 6, "Priya Raman", 0, "NNNN", nil},
			{"Contractors", "Contractor roster, uploaded weekly", 4, "Priya Raman", -1, "LLO", nil},
			{"IdentityNow", "The tenant's own source", 0, "Dana Whitfield", -1, "BB", func(s *Source) {
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
			for _, a := range demoAccounts(src, k, d.accounts, now) {
				t.accounts[a.ID] = a
			}
		}
	}
}
