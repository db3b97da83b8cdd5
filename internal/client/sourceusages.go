package client

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Operations of the Source Usages API.
const (
	OpStatus    = "status"
	OpSummaries = "summaries"
)

// SourceUsagesPath returns the escaped request path of op for sourceID under version. The id
// is one path segment whatever it contains: "/", "?", "#", "%" and spaces are percent-encoded,
// so no id can address another endpoint. "." and ".." are refused because servers and proxies
// resolve them as path steps.
func SourceUsagesPath(version, sourceID, op string) (string, error) {
	if err := ValidateSourceID(sourceID); err != nil {
		return "", err
	}
	id := url.PathEscape(sourceID)
	if version == VersionV1 {
		return "/source-usages/v1/" + id + "/" + op, nil
	}
	return "/" + version + "/source-usages/" + id + "/" + op, nil
}

// ValidateSourceID rejects ids that cannot be a source id or that would change the meaning of
// the request path.
func ValidateSourceID(id string) error {
	switch id {
	case "":
		return fmt.Errorf("the source id is empty")
	case ".", "..":
		return fmt.Errorf("%q is not a source id", id)
	}
	return nil
}

// GetSourceUsageStatus reads whether usage insights are set up for a source.
func (c *Client) GetSourceUsageStatus(ctx context.Context, sourceID string) (SourceUsageStatus, error) {
	path, err := SourceUsagesPath(c.cfg.APIVersion, sourceID, OpStatus)
	if err != nil {
		return SourceUsageStatus{}, err
	}
	resp, err := c.get(ctx, path, nil)
	if err != nil {
		return SourceUsageStatus{}, err
	}
	s, err := DecodeStatus(resp.body)
	if err != nil {
		return SourceUsageStatus{}, &DecodeError{Method: http.MethodGet, Path: resp.target, Err: err, Body: trimBody(resp.body)}
	}
	return s, nil
}

// UsagesOptions are the optional parameters of ListSourceUsages.
type UsagesOptions struct {
	// Sorters is passed to the API as is, e.g. "-date".
	Sorters string
	// Limit is the most rows to return; 0 returns every row.
	Limit int
}

// ListSourceUsages reads the monthly usage summaries of a source, every page of them.
func (c *Client) ListSourceUsages(ctx context.Context, sourceID string, opts UsagesOptions) ([]SourceUsage, error) {
	path, err := SourceUsagesPath(c.cfg.APIVersion, sourceID, OpSummaries)
	if err != nil {
		return nil, err
	}
	if opts.Limit < 0 {
		return nil, fmt.Errorf("limit must be 0 (every row) or more, got %d", opts.Limit)
	}
	return ReadAllPages(ctx, path, opts.Limit, func(ctx context.Context, offset, limit int, withTotal bool) (Page[SourceUsage], error) {
		q := url.Values{}
		q.Set("limit", strconv.Itoa(limit))
		q.Set("offset", strconv.Itoa(offset))
		if withTotal {
			q.Set("count", "true")
		}
		if s := strings.TrimSpace(opts.Sorters); s != "" {
			q.Set("sorters", s)
		}
		resp, err := c.get(ctx, path, q)
		if err != nil {
			return Page[SourceUsage]{}, err
		}
		rows, err := DecodeUsages(resp.body)
		if err != nil {
			return Page[SourceUsage]{}, &DecodeError{Method: http.MethodGet, Path: resp.target, Err: err, Body: trimBody(resp.body)}
		}
		page := Page[SourceUsage]{Items: rows}
		if v := resp.header.Get("X-Total-Count"); v != "" {
			if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n >= 0 {
				page.Total, page.HasTotal = n, true
			}
		}
		return page, nil
	})
}
