package usagereport

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/client"
)

// accountTenant is an in-memory AccountsClient: one source and its accounts.
type accountTenant struct {
	*tenant
	accounts []fakeAccount
	usage404 bool // every usage call answers 404, as from a gateway that does not serve the path
	getFails int  // GetAccount answers this status instead

	mu      sync.Mutex
	filters []string
	usages  []string
	gets    []string
}

type fakeAccount struct {
	id                string
	disabled, deleted bool
	uncorrelated      *bool  // nil: left out
	identity          string // "": none
	counts            []string
}

func (f *accountTenant) ListAccounts(_ context.Context, opts client.AccountsOptions) ([]client.Account, error) {
	f.mu.Lock()
	f.filters = append(f.filters, opts.Filters)
	f.mu.Unlock()
	var out []client.Account
	for _, a := range f.accounts {
		acc := client.Account{ID: ptr(a.id), Name: ptr("name-" + a.id), Disabled: &a.disabled, Uncorrelated: a.uncorrelated}
		if a.identity != "" {
			acc.IdentityID = ptr(a.identity)
		}
		out = append(out, acc)
	}
	return out, nil
}

func (f *accountTenant) account(id string) (fakeAccount, error) {
	for _, a := range f.accounts {
		if a.id == id && !a.deleted {
			return a, nil
		}
	}
	return fakeAccount{}, &client.Error{Kind: client.KindStatus, StatusCode: http.StatusNotFound}
}

func (f *accountTenant) GetAccount(_ context.Context, id string) (client.Account, error) {
	f.mu.Lock()
	f.gets = append(f.gets, id)
	f.mu.Unlock()
	if f.getFails != 0 {
		return client.Account{}, &client.Error{Kind: client.KindStatus, StatusCode: f.getFails}
	}
	_, err := f.account(id)
	return client.Account{ID: ptr(id)}, err
}

func (f *accountTenant) ListAccountUsages(_ context.Context, id string, opts client.UsagesOptions) ([]client.Usage, error) {
	f.mu.Lock()
	f.usages = append(f.usages, id)
	f.mu.Unlock()
	if opts.Sorters != "-date" {
		return nil, fmt.Errorf("the report asks for newest first, got sorters %q", opts.Sorters)
	}
	a, err := f.account(id)
	if err != nil || f.usage404 {
		return nil, &client.Error{Kind: client.KindStatus, StatusCode: http.StatusNotFound}
	}
	var rows []client.Usage
	for i := len(a.counts) - 1; i >= 0; i-- {
		n := json.Number(a.counts[i])
		rows = append(rows, client.Usage{Date: ptr(time.Date(2025, time.Month(12-len(a.counts)+i+1), 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)), Count: &n})
	}
	return rows, nil
}

func accountsTenant(status string) *accountTenant {
	yes, no := true, false
	return &accountTenant{
		tenant: &tenant{sources: []fakeSource{{id: "src", name: "AD", status: status}}},
		accounts: []fakeAccount{
			{id: "a-busy", identity: "i1", uncorrelated: &no, counts: []string{"20", "18", "21"}},
			{id: "b-dormant", identity: "i2", uncorrelated: &no, counts: []string{"0", "0", "0"}},
			{id: "c-norows", identity: "i3", uncorrelated: &no},
			{id: "d-edge", identity: "i4", uncorrelated: &no, counts: []string{"1", "0", "0"}},
			{id: "e-disabled", identity: "i5", uncorrelated: &no, disabled: true, counts: []string{"0"}},
			{id: "f-orphan", uncorrelated: &yes, counts: []string{"9"}},
			{id: "g-nofield", counts: []string{"0"}},          // no uncorrelated field, no identity: an orphan
			{id: "h-nofield-id", identity: "i8", counts: nil}, // no field, an identity: correlated
			{id: "i-deleted", identity: "i9", uncorrelated: &no, deleted: true},
			{id: "j-disabled-orphan", uncorrelated: &yes, disabled: true, counts: []string{"5"}},
		},
	}
}

func TestAccountsMixed(t *testing.T) {
	f := accountsTenant("COMPLETE")
	r, err := Accounts(context.Background(), f, AccountsOptions{SourceID: "src", Filters: `name sw "a"`, Criteria: Criteria{UnusedBelow: one()}})
	if err != nil {
		t.Fatal(err)
	}
	eqIDs(t, "Unused", r.Unused, "b-dormant", "c-norows", "g-nofield", "h-nofield-id")
	eqIDs(t, "Disabled", r.Disabled, "e-disabled", "j-disabled-orphan")
	eqIDs(t, "Uncorrelated", r.Uncorrelated, "f-orphan", "g-nofield", "j-disabled-orphan")
	eqIDs(t, "Missing", r.Missing, "i-deleted")
	var read, skipped []string
	for _, a := range r.Accounts {
		if a.Read {
			read = append(read, *a.ID)
		} else {
			skipped = append(skipped, *a.ID)
		}
	}
	eqIDs(t, "skipped", skipped, "e-disabled", "j-disabled-orphan")
	if len(read) != 7 || *r.SourceName != "AD" {
		t.Errorf("read %v, source name %v", read, r.SourceName)
	}
	// No usage call for a disabled account; one lookup for the deleted one.
	slices.Sort(f.usages)
	eqIDs(t, "usage calls", f.usages, "a-busy", "b-dormant", "c-norows", "d-edge", "f-orphan", "g-nofield", "h-nofield-id", "i-deleted")
	eqIDs(t, "account lookups", f.gets, "i-deleted")
	eqIDs(t, "filters", f.filters, `sourceId eq "src" and (name sw "a")`)
	if edge := r.Accounts[3]; *edge.ID != "d-edge" || edge.Unused || len(edge.Rows) != 3 {
		t.Errorf("d-edge = %+v: a month exactly at the threshold counts as used", edge)
	}

	// include_disabled reads them too, and months narrows the rows: d-edge's 1 is its oldest.
	f = accountsTenant("COMPLETE")
	r, err = Accounts(context.Background(), f, AccountsOptions{SourceID: "src", IncludeDisabled: true, Criteria: Criteria{Months: 2, UnusedBelow: one()}})
	if err != nil {
		t.Fatal(err)
	}
	eqIDs(t, "Unused with disabled, 2 months", r.Unused, "b-dormant", "c-norows", "d-edge", "e-disabled", "g-nofield", "h-nofield-id")
	eqIDs(t, "filters", f.filters, `sourceId eq "src"`)
	if len(f.usages) != 10 {
		t.Errorf("%d usage calls with include_disabled, want 10", len(f.usages))
	}
}

// A source without usage insights cannot have its accounts judged: the report fails, naming
// it and its status, before any account call. A source that does not exist fails likewise.
func TestAccountsNeedInsights(t *testing.T) {
	f := accountsTenant("INCOMPLETE")
	_, err := Accounts(context.Background(), f, AccountsOptions{SourceID: "src", Criteria: Criteria{UnusedBelow: one()}})
	var ni *NoInsightsError
	if !errors.As(err, &ni) || ni.SourceID != "src" || *ni.Name != "AD" || *ni.Status != "INCOMPLETE" {
		t.Fatalf("err = %v, want a NoInsightsError for src (AD), INCOMPLETE", err)
	}
	if len(f.filters)+len(f.usages)+len(f.gets) != 0 {
		t.Errorf("account calls for a source without insights: %v %v %v", f.filters, f.usages, f.gets)
	}
	_, err = Accounts(context.Background(), f, AccountsOptions{SourceID: "nope", Criteria: Criteria{UnusedBelow: one()}})
	if !client.IsNotFound(err) {
		t.Errorf("unknown source: err = %v, want its 404", err)
	}
}

// Fail closed, as the source report: a usage 404 for an account the Accounts API still has,
// or a lookup that fails for another reason, fails the read, naming the account.
func TestAccountsFailClosed(t *testing.T) {
	f := accountsTenant("COMPLETE")
	f.usage404 = true
	f.rps = 0.001
	_, err := Accounts(context.Background(), f, AccountsOptions{SourceID: "src", Criteria: Criteria{UnusedBelow: one()}})
	var unf *UsageNotFoundError
	var ae *AccountError
	if !errors.As(err, &unf) || !errors.As(err, &ae) || ae.Name == nil {
		t.Fatalf("err = %v, want an AccountError holding a UsageNotFoundError", err)
	}
	f = accountsTenant("COMPLETE")
	f.getFails = http.StatusForbidden
	_, err = Accounts(context.Background(), f, AccountsOptions{SourceID: "src", Criteria: Criteria{UnusedBelow: one()}})
	var ce *client.Error
	if !errors.As(err, &ae) || ae.ID != "i-deleted" || !errors.As(err, &ce) || ce.StatusCode != http.StatusForbidden {
		t.Fatalf("err = %v, want i-deleted's lookup 403", err)
	}
}
