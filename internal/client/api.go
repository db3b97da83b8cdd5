package client

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Ceilings on the pages of a collection: far above any real answer (a source has about 12
// monthly rows; a tenant has tens to a few thousand sources), low enough that a server which
// ignores offset is stopped in seconds.
const (
	maxSummaryPages = 40  // 10,000 rows
	maxSourcePages  = 400 // 100,000 sources
	maxAccountPages = 400 // 100,000 accounts: a source has up to tens of thousands

	// MaxSummaryRows, MaxSources and MaxAccounts are the largest limits the calls accept.
	MaxSummaryRows = maxSummaryPages * pageSize
	MaxSources     = maxSourcePages * pageSize
	MaxAccounts    = maxAccountPages * pageSize
)

// apiURL returns the URL of a service's path under the configured API version: the
// per-service form /{service}/v1/... for v1, /{version}/{service}/... for the others. Each
// segment is escaped as one path segment, whatever it holds.
func (c *Client) apiURL(service string, segments ...string) string {
	u := c.cfg.BaseURL
	if c.cfg.APIVersion == VersionV1 {
		u += "/" + service + "/v1"
	} else {
		u += "/" + c.cfg.APIVersion + "/" + service
	}
	for _, s := range segments {
		u += "/" + url.PathEscape(s)
	}
	return u
}

// ValidateID rejects ids that are empty or would change the meaning of the request path:
// servers and proxies resolve "." and ".." as path steps. Everything else is escaped.
func ValidateID(id string) error {
	switch id {
	case "":
		return fmt.Errorf("the id is empty")
	case ".", "..":
		return fmt.Errorf("%q is not an id", id)
	}
	return nil
}

// get reads one object.
func get[T any](ctx context.Context, c *Client, op Op, u string, open byte, kind string) (T, error) {
	var v T
	r := &request{op: op, method: http.MethodGet, url: u}
	body, _, err := c.do(ctx, r)
	if err != nil {
		return v, err
	}
	if err := decodeJSON(body, open, kind, &v); err != nil {
		return v, &Error{Op: op, Kind: KindDecode, Method: r.method, Target: r.target(), Err: err, Body: trimBody(body)}
	}
	return v, nil
}

// GetSourceUsageStatus reads whether usage insights are set up for a source.
func (c *Client) GetSourceUsageStatus(ctx context.Context, sourceID string) (SourceUsageStatus, error) {
	if err := ValidateID(sourceID); err != nil {
		return SourceUsageStatus{}, err
	}
	return get[SourceUsageStatus](ctx, c, OpUsageStatus, c.apiURL("source-usages", sourceID, "status"), '{', "an object")
}

// UsagesOptions are the optional parameters of ListSourceUsages and ListAccountUsages.
type UsagesOptions struct {
	Sorters string // passed to the API as is, e.g. "-date"
	Limit   int    // the most rows to return, at most MaxSummaryRows; 0 returns every row
}

// ListSourceUsages reads the monthly usage summaries of a source, every page of them.
func (c *Client) ListSourceUsages(ctx context.Context, sourceID string, opts UsagesOptions) ([]Usage, error) {
	return c.listUsages(ctx, OpUsageSummaries, "source-usages", sourceID, opts)
}

// ListAccountUsages reads the monthly usage summaries of an account, every page of them.
func (c *Client) ListAccountUsages(ctx context.Context, accountID string, opts UsagesOptions) ([]Usage, error) {
	return c.listUsages(ctx, OpAccountUsages, "account-usages", accountID, opts)
}

// listUsages reads the summaries of a source or an account: the same collection, rows and
// parameters under another service.
func (c *Client) listUsages(ctx context.Context, op Op, service, id string, opts UsagesOptions) ([]Usage, error) {
	if err := ValidateID(id); err != nil {
		return nil, err
	}
	if opts.Limit < 0 || opts.Limit > MaxSummaryRows {
		return nil, fmt.Errorf("limit must be between 0 (every row) and %d, got %d", MaxSummaryRows, opts.Limit)
	}
	q := url.Values{}
	if opts.Sorters != "" {
		q.Set("sorters", opts.Sorters)
	}
	return readAll(ctx, c, collection[Usage]{op: op, url: c.apiURL(service, id, "summaries"),
		query: q, maxPages: maxSummaryPages, decode: decodeUsages}, opts.Limit)
}

// SourcesOptions are the parameters of ListSources, each passed to the API as is when set,
// but Sorters, which always ends up sorting on id (see stableSorters).
type SourcesOptions struct {
	Filters          string // SailPoint's filter grammar, e.g. type eq "Active Directory"
	Sorters          string // e.g. "type,-modified"
	ForSubadmin      string // "me" or an identity id
	IncludeIDNSource bool
	Limit            int // the most sources to return, at most MaxSources; 0 returns every source
}

// ListSources reads the tenant's sources, every page of them.
func (c *Client) ListSources(ctx context.Context, opts SourcesOptions) ([]Source, error) {
	if opts.Limit < 0 || opts.Limit > MaxSources {
		return nil, fmt.Errorf("limit must be between 0 (every source) and %d, got %d", MaxSources, opts.Limit)
	}
	q := url.Values{"sorters": {stableSorters(opts.Sorters)}}
	for k, v := range map[string]string{"filters": opts.Filters, "for-subadmin": opts.ForSubadmin} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if opts.IncludeIDNSource {
		q.Set("includeIDNSource", "true")
	}
	return readAll(ctx, c, collection[Source]{op: OpListSources, url: c.apiURL("sources"), query: q, maxPages: maxSourcePages,
		decode: decodeArray[Source]}, opts.Limit)
}

// decodeArray decodes a page of a list.
func decodeArray[T any](body []byte) ([]T, error) {
	var page []T
	err := decodeJSON(body, '[', "an array", &page)
	return page, err
}

// AccountsOptions are the parameters of ListAccounts, each passed to the API as is when set,
// but Sorters, which always ends up sorting on id (see stableSorters).
type AccountsOptions struct {
	Filters string // SailPoint's filter grammar, e.g. sourceId eq "2c91..."
	Sorters string
	Limit   int // the most accounts to return, at most MaxAccounts; 0 returns every account
}

// ListAccounts reads accounts, every page of them, at detailLevel SLIM: a FULL account carries
// every aggregated attribute, often kilobytes, none of which the provider shows.
func (c *Client) ListAccounts(ctx context.Context, opts AccountsOptions) ([]Account, error) {
	if opts.Limit < 0 || opts.Limit > MaxAccounts {
		return nil, fmt.Errorf("limit must be between 0 (every account) and %d, got %d", MaxAccounts, opts.Limit)
	}
	q := url.Values{"sorters": {stableSorters(opts.Sorters)}, "detailLevel": {"SLIM"}}
	if opts.Filters != "" {
		q.Set("filters", opts.Filters)
	}
	return readAll(ctx, c, collection[Account]{op: OpListAccounts, url: c.apiURL("accounts"), query: q, maxPages: maxAccountPages,
		decode: decodeArray[Account]}, opts.Limit)
}

// GetAccount reads one account by id.
func (c *Client) GetAccount(ctx context.Context, id string) (Account, error) {
	if err := ValidateID(id); err != nil {
		return Account{}, err
	}
	return get[Account](ctx, c, OpGetAccount, c.apiURL("accounts", id), '{', "an object")
}

// FilterString is s as a string literal of SailPoint's filter grammar: double-quoted, with
// the grammar's only escapes, \" and \\. The client URL-encodes the whole filter.
func FilterString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// stableSorters makes a list's order total: it appends id to sorters unless they sort on id
// already. A list is read by offset, and a server may order rows that tie on the sort key
// differently from one page to the next, which repeats some rows and drops others.
func stableSorters(sorters string) string {
	for field := range strings.SplitSeq(sorters, ",") {
		if strings.TrimPrefix(field, "-") == "id" {
			return sorters
		}
	}
	if sorters == "" {
		return "id"
	}
	return sorters + ",id"
}

// GetSource reads one source by id.
func (c *Client) GetSource(ctx context.Context, id string) (Source, error) {
	if err := ValidateID(id); err != nil {
		return Source{}, err
	}
	return get[Source](ctx, c, OpGetSource, c.apiURL("sources", id), '{', "an object")
}
