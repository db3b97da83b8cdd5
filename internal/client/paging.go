package client

import (
	"context"
	"fmt"
)

// PageSize is the largest page the collection endpoints serve.
const PageSize = 250

// maxPages stops a server that keeps answering full pages forever (one million rows at 250
// a page); no source has monthly summaries on that scale.
const maxPages = 4000

// Page is one page of a collection.
type Page[T any] struct {
	Items []T
	// Total is the X-Total-Count header, when HasTotal.
	Total    int
	HasTotal bool
}

// PageFetcher fetches up to limit items from offset. withTotal asks the API for
// X-Total-Count, which the pager requests on the first page only.
type PageFetcher[T any] func(ctx context.Context, offset, limit int, withTotal bool) (Page[T], error)

// ReadAllPages reads every page in order until the data ends, or until maxRows items when
// maxRows > 0. It never returns a partial list: any failed page fails the read, and pages that
// contradict the total the API announced are an error rather than silently missing rows.
//
// The data ends at the total the first page announced or, without one, at the first page
// shorter than asked for. Knowing the total saves the empty page that would otherwise follow
// a source with exactly 250 rows.
func ReadAllPages[T any](ctx context.Context, path string, maxRows int, fetch PageFetcher[T]) ([]T, error) {
	items := []T{}
	total := -1
	for pages := 0; ; pages++ {
		if pages == maxPages {
			return nil, &PagingError{Path: path, Reason: fmt.Sprintf("the API kept returning full pages after %d rows", len(items))}
		}
		limit := PageSize
		if maxRows > 0 && maxRows-len(items) < limit {
			limit = maxRows - len(items)
		}
		offset := len(items)
		page, err := fetch(ctx, offset, limit, offset == 0)
		if err != nil {
			return nil, err
		}
		if len(page.Items) > limit {
			return nil, &PagingError{Path: path, Reason: fmt.Sprintf("asked for at most %d rows at offset %d and got %d", limit, offset, len(page.Items))}
		}
		if offset == 0 && page.HasTotal && page.Total >= 0 {
			total = page.Total
		}
		items = append(items, page.Items...)
		switch {
		case total >= 0 && len(items) > total:
			return nil, &PagingError{Path: path, Reason: fmt.Sprintf("X-Total-Count announced %d rows but the pages held more (%d so far)", total, len(items))}
		case maxRows > 0 && len(items) >= maxRows:
			return items, nil
		case total >= 0 && len(items) == total:
			return items, nil
		case total >= 0 && len(page.Items) < limit:
			return nil, &PagingError{Path: path, Reason: fmt.Sprintf("X-Total-Count announced %d rows but the pages ended after %d", total, len(items))}
		case total < 0 && len(page.Items) < limit:
			return items, nil
		}
	}
}
