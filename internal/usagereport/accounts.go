package usagereport

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/client"
)

// AccountsClient is what an account report needs of the ISC client: what a source report
// needs, and the Accounts and Account Usages APIs.
type AccountsClient interface {
	Client
	ListAccounts(ctx context.Context, opts client.AccountsOptions) ([]client.Account, error)
	GetAccount(ctx context.Context, id string) (client.Account, error)
	ListAccountUsages(ctx context.Context, id string, opts client.UsagesOptions) ([]client.Usage, error)
}

// AccountsOptions say which accounts of which source an account report covers, and what
// counts as unused.
type AccountsOptions struct {
	SourceID string
	// Filters, when set, narrows the source's accounts (SailPoint's filter grammar); the report
	// sends it ANDed with sourceId eq "SourceID".
	Filters string
	// IncludeDisabled reads the usage of disabled accounts too; otherwise they cost no usage
	// request and are not judged.
	IncludeDisabled bool
	Criteria
	Progress Progress
}

// Account is one account of the report.
type Account struct {
	client.Account
	// Read says whether its usage was read: false for a disabled account left out by
	// IncludeDisabled, about which nothing is claimed.
	Read   bool
	Rows   []client.Usage // the rows that count, see Criteria.Months; nil unless Read
	Unused bool           // meaningful only when Read
}

// AccountReport is the answer. Its id lists are sorted.
type AccountReport struct {
	SourceName *string
	Accounts   []Account // by id, missing accounts left out
	Unused     []string  // read, and no counted row reaches UnusedBelow
	Disabled   []string  // every listed disabled account, read or not
	// Uncorrelated are the orphan accounts: uncorrelated, or, where the API leaves that out,
	// correlated to no identity (client.Account.IsUncorrelated).
	Uncorrelated []string
	// Missing are listed accounts that no longer exist: their usage call answered 404, and so
	// did GET /accounts/{id} (deleted while the report was read).
	Missing []string
}

// NoInsightsError is a source whose usage status is not COMPLETE: no activity data source is
// set up, so there is no usage to judge any of its accounts by.
type NoInsightsError struct {
	SourceID string
	Name     *string
	Status   *string
}

func (e *NoInsightsError) Error() string {
	status := "none"
	if e.Status != nil {
		status = *e.Status
	}
	return fmt.Sprintf("source %s has usage status %s", e.SourceID, status)
}

// AccountError is a failure to read one account.
type AccountError struct {
	ID   string
	Name *string
	Err  error
}

func (e *AccountError) Error() string { return fmt.Sprintf("account %s: %v", e.ID, e.Err) }
func (e *AccountError) Unwrap() error { return e.Err }

// Accounts builds an account report: the source and its usage status (a source without
// insights fails the report before any account call), the source's accounts, every page, and
// one usage request per account, except disabled ones unless IncludeDisabled.
func Accounts(ctx context.Context, c AccountsClient, opts AccountsOptions) (*AccountReport, error) {
	src, err := c.GetSource(ctx, opts.SourceID)
	if err != nil {
		return nil, err
	}
	st, err := c.GetSourceUsageStatus(ctx, opts.SourceID)
	if err != nil {
		// A 404 is the source's only if it is gone now; otherwise the usage API is not answering.
		isGone, goneErr := gone(ctx, err, confirmSource(c, opts.SourceID), sourceExists)
		if isGone {
			return nil, err
		}
		return nil, goneErr
	}
	if st.Status == nil || *st.Status != statusComplete {
		return nil, &NoInsightsError{SourceID: opts.SourceID, Name: src.Name, Status: st.Status}
	}

	filter := "sourceId eq " + client.FilterString(opts.SourceID)
	if opts.Filters != "" {
		filter += " and (" + opts.Filters + ")"
	}
	listed, err := c.ListAccounts(ctx, client.AccountsOptions{Filters: filter, Sorters: "id"})
	if err != nil {
		return nil, err
	}
	listed = slices.DeleteFunc(listed, func(a client.Account) bool { return a.ID == nil })
	slices.SortFunc(listed, func(a, b client.Account) int { return strings.Compare(*a.ID, *b.ID) })
	listed = slices.CompactFunc(listed, func(a, b client.Account) bool { return *a.ID == *b.ID })

	results := make([]Account, len(listed))
	vanished := make([]bool, len(listed))
	var toRead []int
	for i, a := range listed {
		results[i].Account = a
		if opts.IncludeDisabled || a.Disabled == nil || !*a.Disabled {
			toRead = append(toRead, i)
		}
	}
	err = readEach(ctx, c, len(toRead), opts.Progress, func(ctx context.Context, n int) error {
		i := toRead[n]
		id := *listed[i].ID
		rows, err := c.ListAccountUsages(ctx, id, client.UsagesOptions{Sorters: "-date"})
		if err != nil {
			isGone, err := gone(ctx, err, func(ctx context.Context) error { _, err := c.GetAccount(ctx, id); return err },
				"the Accounts API has this account (GET /accounts/{id} answered 200 OK)")
			if err != nil {
				return &AccountError{ID: id, Name: listed[i].Name, Err: err}
			}
			vanished[i] = isGone
			return nil
		}
		results[i].Read = true
		results[i].Rows, results[i].Unused = opts.judge(rows)
		return nil
	})
	if err != nil {
		return nil, err
	}

	r := &AccountReport{SourceName: src.Name}
	for i, a := range results {
		id := *a.ID
		if vanished[i] {
			r.Missing = append(r.Missing, id)
			continue
		}
		r.Accounts = append(r.Accounts, a)
		if a.Read && a.Unused {
			r.Unused = append(r.Unused, id)
		}
		if a.Disabled != nil && *a.Disabled {
			r.Disabled = append(r.Disabled, id)
		}
		if a.IsUncorrelated() {
			r.Uncorrelated = append(r.Uncorrelated, id)
		}
	}
	return r, nil
}
