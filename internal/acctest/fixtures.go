package acctest

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/fakeisc"
)

// The ids of the fixture sources every NewFake serves. They are 32 lowercase hex
// characters, like real ISC ids; the first is the example id of the official spec.
const (
	// SourceActiveDirectory, "Active Directory", has every field of the Sources API set
	// (see FixtureSources), and is COMPLETE with 12 monthly rows for 2024, counts with two
	// decimals: 12.30, 11.87, 10.45 (the spec's example value), 13.02, 14.50, 9.95, 8.40,
	// 10.10, 15.25, 16.00, 14.75, 13.60.
	SourceActiveDirectory = "2c9180835d191a86015d28455b4a2329"
	// SourceWorkday, "Workday", is authoritative, unhealthy, and INCOMPLETE with no rows:
	// no activity data source is set up.
	SourceWorkday = "2c91808b6ef1d43e016efba0ce470904"
	// SourceSalesforce, "Salesforce", is COMPLETE with 300 daily rows from 2024-01-01,
	// more than one page of 250, so clients must page to see them all.
	SourceSalesforce = "2c91808c7d0e6f1a017d1b2c3d4e5f60"
	// SourceServiceNow, "ServiceNow", has no Sources API field but its id and name. It is
	// COMPLETE with 12 monthly rows for 2024 returned newest first, the June one with a
	// field the spec does not define ("region"), as a newer API might.
	SourceServiceNow = "2c9180877a9e3c5f017aa1b2c3d4e5f6"
	// SourceIdentityNow, "IdentityNow", is the tenant's own source, which lists show only
	// with includeIDNSource=true. It is INCOMPLETE.
	SourceIdentityNow = "2c91808a7b1c2d3e4f5a6b7c8d9e0f1a"
)

// The ids of the fixture accounts every NewFake serves, with their exact data. Rows are
// monthly, 2024-01-01 to 2024-12-01, in that order unless said otherwise, with whole-day
// counts listed January first. Unless said otherwise an account is enabled, unlocked,
// correlated (uncorrelated false, not manually), AGGREGATED, not a machine or system
// account, has entitlements, was created 2023-03-05T09:00:00Z and modified
// 2024-12-02T08:15:00Z, has a native identity equal to its name, and has the attributes
// displayName (its identity's name, or its own name) and, when correlated, mail (such as
// "john.doe@example.com"). See FixtureAccounts.
const (
	// AccountBusy, "jdoe" on Active Directory (native identity
	// "CN=John Doe,OU=Users,DC=example,DC=com", uuid "{6f1c9f3e-2b7a-4d8e-9c1a-5e3b7d2f4a01}"),
	// belongs to John Doe (IdentityJohnDoe) and has the attribute memberOf, a list of two
	// groups. Rows: 20 18 21 19 22 20 17 21 19 20 18 21.
	AccountBusy = "2c91808a7d3b1a0e017d3b2c4e5fa001"
	// AccountDormant, "mlopez" on Active Directory, belongs to Maria Lopez. Rows: twelve 0.
	AccountDormant = "2c91808a7d3b1a0e017d3b2c4e5fa002"
	// AccountNoUsage, "pnguyen" on Active Directory, belongs to Peter Nguyen. It was
	// PROVISIONED on 2024-12-20T10:00:00Z and has no rows at all: its usage is [].
	AccountNoUsage = "2c91808a7d3b1a0e017d3b2c4e5fa003"
	// AccountThreshold, "kobrien" on Active Directory, belongs to Kate OBrien. Its best
	// month is exactly 1 day, 2024-03-01, and every other month is 0; its 12 rows come in
	// this order: 07 03 12 01 10 05 09 02 11 06 04 08 (months of 2024), so a client cannot
	// rely on the API's order.
	AccountThreshold = "2c91808a7d3b1a0e017d3b2c4e5fa004"
	// AccountDisabledDormant, "a.kowalski" on Active Directory, belongs to Anna Kowalski;
	// disabled and locked. Rows: twelve 0.
	AccountDisabledDormant = "2c91808a7d3b1a0e017d3b2c4e5fa005"
	// AccountDisabledBusy, "rpatel" on Active Directory, belongs to Ravi Patel; disabled.
	// Rows: 15 16 14 17 15 16 18 15 14 16 17 15.
	AccountDisabledBusy = "2c91808a7d3b1a0e017d3b2c4e5fa006"
	// AccountOrphan, "temp.admin" on Active Directory, is uncorrelated (uncorrelated true,
	// no identityId, no identity) and active. Rows: 9 8 10 7 9 11 8 9 10 12 9 8.
	AccountOrphan = "2c91808a7d3b1a0e017d3b2c4e5fa007"
	// AccountNoCorrelationField, "svc-legacy" on Active Directory, is a machine account
	// (isMachine true) that the API sends without the uncorrelated field and without an
	// identity: clients must take it as having none. Rows: 22 21 23 22 21 22 23 22 21 23 22 20.
	AccountNoCorrelationField = "2c91808a7d3b1a0e017d3b2c4e5fa008"
	// AccountDeleted, "old.contractor" on Active Directory, belongs to Lee Hart. Lists show
	// it, but its get and usage calls answer 404 (deleted after the list). Rows: twelve 10.
	AccountDeleted = "2c91808a7d3b1a0e017d3b2c4e5fa009"
	// AccountWorkday, "100234" on Workday (INCOMPLETE), belongs to John Doe. It has twelve
	// rows of 10, which the API does not serve because Workday has no usage insights: its
	// usage is [].
	AccountWorkday = "2c91808a7d3b1a0e017d3b2c4e5fb001"
	// AccountWorkdayDisabled, "100871" on Workday, belongs to Maria Lopez; disabled, no rows.
	AccountWorkdayDisabled = "2c91808a7d3b1a0e017d3b2c4e5fb002"
	// AccountServiceNow, "john.doe" on ServiceNow (COMPLETE), belongs to John Doe and was
	// correlated manually (manuallyCorrelated true). Its rows come newest first, December
	// first: 5 6 0 4 7 8 6 5 4 3 2 3 (so January is 3).
	AccountServiceNow = "2c91808a7d3b1a0e017d3b2c4e5fc001"

	// IdentityJohnDoe is the identity of John Doe, who has AccountBusy, AccountWorkday and
	// AccountServiceNow. Every other identity id is "2c9180a46faadee4016fb4e018c2" plus 4
	// hex characters: b002 Maria Lopez, b003 Peter Nguyen, b004 Kate OBrien, b005 Anna
	// Kowalski, b006 Ravi Patel, b009 Lee Hart.
	IdentityJohnDoe = "2c9180a46faadee4016fb4e018c2b001"
)

// FixtureAccounts returns the fixture accounts, freshly built so the caller may change
// them. Their data is fixed (see AccountBusy and the constants after it).
func FixtureAccounts() []fakeisc.Account {
	rows := func(counts ...int) []fakeisc.Usage {
		out := make([]fakeisc.Usage, len(counts))
		for i, c := range counts {
			out[i] = fakeisc.Row(fmt.Sprintf("2024-%02d-01", i+1), strconv.Itoa(c))
		}
		return out
	}
	zeros := func() []fakeisc.Usage { return rows(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0) }
	account := func(id, source, name, identity, identityID string, usages []fakeisc.Usage) fakeisc.Account {
		a := fakeisc.Account{ID: id, Name: name, NativeIdentity: name, SourceID: source, IdentityName: identity,
			Uncorrelated: new(identity == ""), HasEntitlements: true, Origin: "AGGREGATED", Created: "2023-03-05T09:00:00Z",
			Modified: "2024-12-02T08:15:00Z", Attributes: map[string]any{"displayName": name}, Usages: usages}
		if identity != "" {
			a.IdentityID = "2c9180a46faadee4016fb4e018c2" + identityID
			a.Attributes = map[string]any{"displayName": identity, "mail": strings.ToLower(strings.ReplaceAll(identity, " ", ".")) + "@example.com"}
		}
		return a
	}
	const ad = SourceActiveDirectory

	busy := account(AccountBusy, ad, "jdoe", "John Doe", "b001", rows(20, 18, 21, 19, 22, 20, 17, 21, 19, 20, 18, 21))
	busy.NativeIdentity, busy.UUID = "CN=John Doe,OU=Users,DC=example,DC=com", "{6f1c9f3e-2b7a-4d8e-9c1a-5e3b7d2f4a01}"
	busy.Attributes["memberOf"] = []string{"CN=Staff,OU=Groups,DC=example,DC=com", "CN=VPN Users,OU=Groups,DC=example,DC=com"}

	noUsage := account(AccountNoUsage, ad, "pnguyen", "Peter Nguyen", "b003", nil)
	noUsage.Origin, noUsage.Created, noUsage.Modified = "PROVISIONED", "2024-12-20T10:00:00Z", "2024-12-20T10:00:00Z"

	threshold := account(AccountThreshold, ad, "kobrien", "Kate OBrien", "b004", nil)
	for _, m := range []int{7, 3, 12, 1, 10, 5, 9, 2, 11, 6, 4, 8} {
		count := "0"
		if m == 3 {
			count = "1" // the best month, and the last with any use
		}
		threshold.Usages = append(threshold.Usages, fakeisc.Row(fmt.Sprintf("2024-%02d-01", m), count))
	}

	disabledDormant := account(AccountDisabledDormant, ad, "a.kowalski", "Anna Kowalski", "b005", zeros())
	disabledDormant.Disabled, disabledDormant.Locked = true, true
	disabledBusy := account(AccountDisabledBusy, ad, "rpatel", "Ravi Patel", "b006", rows(15, 16, 14, 17, 15, 16, 18, 15, 14, 16, 17, 15))
	disabledBusy.Disabled = true

	noField := account(AccountNoCorrelationField, ad, "svc-legacy", "", "", rows(22, 21, 23, 22, 21, 22, 23, 22, 21, 23, 22, 20))
	noField.Uncorrelated, noField.IsMachine = nil, true

	deleted := account(AccountDeleted, ad, "old.contractor", "Lee Hart", "b009", rows(10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10))
	deleted.Deleted = true

	wdDisabled := account(AccountWorkdayDisabled, SourceWorkday, "100871", "Maria Lopez", "b002", nil)
	wdDisabled.Disabled = true

	sn := account(AccountServiceNow, SourceServiceNow, "john.doe", "John Doe", "b001", rows(3, 2, 3, 4, 5, 6, 8, 7, 4, 0, 6, 5))
	slices.Reverse(sn.Usages)
	sn.ManuallyCorrelated = true

	return []fakeisc.Account{busy, account(AccountDormant, ad, "mlopez", "Maria Lopez", "b002", zeros()), noUsage, threshold,
		disabledDormant, disabledBusy, account(AccountOrphan, ad, "temp.admin", "", "", rows(9, 8, 10, 7, 9, 11, 8, 9, 10, 12, 9, 8)),
		noField, deleted, account(AccountWorkday, SourceWorkday, "100234", "John Doe", "b001", rows(10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10)),
		wdDisabled, sn}
}

// FixtureSources returns the fixture sources, freshly built so the caller may change
// them. Their data is fixed, so tests can assert exact values.
func FixtureSources() []fakeisc.Source {
	month := func(m int) string {
		return time.Date(2024, time.Month(m), 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
	}
	owner := &fakeisc.Ref{Type: "IDENTITY", ID: "2c9180a46faadee4016fb4e018c20639", Name: "Dana Whitfield"}

	ad := fakeisc.Source{
		ID:                  SourceActiveDirectory,
		Name:                "Active Directory",
		Description:         "Employee accounts and groups",
		Owner:               owner,
		Cluster:             &fakeisc.Ref{Type: "CLUSTER", ID: "2c9180866166b5b0016167c32ef31a66", Name: "Corporate Cluster"},
		Features:            []string{"AUTHENTICATE", "ENABLE", "SEARCH", "UNLOCK"},
		Type:                "Active Directory",
		Connector:           "active-directory",
		Authoritative:       new(false),
		ManagementWorkgroup: &fakeisc.Ref{Type: "GOVERNANCE_GROUP", ID: "2c91808568c529c60168cca6f90c2222", Name: "Directory Admins"},
		Healthy:             new(true),
		Status:              "SOURCE_STATE_HEALTHY",
		Since:               "2024-12-31T23:45:00.123Z",
		ConnectorName:       "Active Directory",
		ConnectionType:      "direct",
		Created:             "2023-03-01T09:30:00Z",
		Modified:            "2024-11-15T14:05:27.5Z",
		Category:            "CredentialProvider",
		UsageStatus:         "COMPLETE",
	}
	for i, count := range []string{"12.30", "11.87", "10.45", "13.02", "14.50", "9.95", "8.40", "10.10", "15.25", "16.00", "14.75", "13.60"} {
		ad.Usages = append(ad.Usages, fakeisc.Row(month(i+1), count))
	}

	wd := fakeisc.Source{
		ID: SourceWorkday, Name: "Workday", Description: "HR system of record", Owner: owner,
		Type: "Workday", Connector: "workday", ConnectorName: "Workday", ConnectionType: "direct",
		Authoritative: new(true), Healthy: new(false), Status: "SOURCE_STATE_ERROR_SOURCE",
		Created: "2023-03-02T10:00:00Z", Modified: "2024-10-01T08:00:00Z", UsageStatus: "INCOMPLETE",
	}

	sf := fakeisc.Source{
		ID: SourceSalesforce, Name: "Salesforce", Owner: owner,
		Type: "Salesforce", Connector: "salesforce", ConnectorName: "Salesforce", UsageStatus: "COMPLETE",
	}
	for day := range 300 {
		hundredths := (day*1237 + 500) % 3100 // any deterministic spread within 0..30.99
		date := time.Date(2024, time.January, 1+day, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
		sf.Usages = append(sf.Usages, fakeisc.Row(date, fmt.Sprintf("%d.%02d", hundredths/100, hundredths%100)))
	}

	sn := fakeisc.Source{ID: SourceServiceNow, Name: "ServiceNow", UsageStatus: "COMPLETE"}
	for i, count := range []string{"4.25", "3.90", "0", "5.10", "6.75", "7", "6.20", "5.55", "4.80", "3.35", "2.95", "3.05"} {
		row := fakeisc.Row(month(12-i), count)
		if 12-i == 6 {
			row = row.WithExtra("region", `"emea"`)
		}
		sn.Usages = append(sn.Usages, row)
	}

	idn := fakeisc.Source{
		ID: SourceIdentityNow, Name: "IdentityNow", Owner: owner, Type: "IdentityNowConnector", Connector: "identitynow",
		ConnectorName: "IdentityNow", IdentityNow: true, UsageStatus: "INCOMPLETE",
	}
	return []fakeisc.Source{ad, wd, sf, sn, idn}
}
