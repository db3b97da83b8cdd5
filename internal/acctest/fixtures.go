package acctest

import (
	"fmt"
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
