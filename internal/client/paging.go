package client

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// pageSize is the largest page the collection endpoints serve.
const pageSize = 250

// collection is a paged endpoint: where it is, how many pages a sane answer can have, and how
// to decode one page.
type collection[T any] struct {
	op       Op
	url      string
	query    url.Values // the call's own parameters; readAll adds limit, offset and count
	maxPages int        // far above any real answer, so that a server ignoring offset cannot loop
	decode   func([]byte) ([]T, error)
}

// readAll reads every page in order until the data ends, or until maxRows items when
// maxRows > 0. It never returns a partial list: a failed page fails the read, and pages that
// contradict the total the API announced, repeat the previous page or never end are errors
// rather than silently missing or doubled rows.
//
// The data ends at the total the first page announced (count=true, asked on the first page
// only) or, without one, at the first page shorter than asked for. Knowing the total saves
// the empty page that would otherwise follow a collection of exactly 250 rows.
func readAll[T any](ctx context.Context, c *Client, coll collection[T], maxRows int) ([]T, error) {
	items := []T{}
	total := -1
	var previous []byte
	for pages := 0; ; pages++ {
		limit := pageSize
		if maxRows > 0 {
			limit = min(limit, maxRows-len(items))
		}
		offset := len(items)
		q := url.Values{}
		for k, v := range coll.query {
			q[k] = v
		}
		q.Set("limit", strconv.Itoa(limit))
		q.Set("offset", strconv.Itoa(offset))
		if offset == 0 {
			q.Set("count", "true")
		}
		r := &request{op: coll.op, method: http.MethodGet, url: coll.url, query: q}
		fail := func(format string, args ...any) ([]T, error) {
			return nil, &Error{Op: coll.op, Kind: KindPaging, Method: r.method, Target: r.target(), Err: fmt.Errorf(format, args...)}
		}
		if pages == coll.maxPages {
			return fail("the API kept returning full pages: %d pages, %d rows", pages, len(items))
		}

		body, header, err := c.do(ctx, r)
		if err != nil {
			return nil, err
		}
		page, err := coll.decode(body)
		if err != nil {
			return nil, &Error{Op: coll.op, Kind: KindDecode, Method: r.method, Target: r.target(), Err: err, Body: trimBody(body)}
		}
		if len(page) > limit {
			return fail("asked for at most %d rows at offset %d and got %d", limit, offset, len(page))
		}
		if len(page) > 0 && bytes.Equal(body, previous) {
			return fail("the page at offset %d repeats the page before it: the API seems to ignore offset", offset)
		}
		previous = body
		if offset == 0 {
			if n, err := strconv.Atoi(strings.TrimSpace(header.Get("X-Total-Count"))); err == nil && n >= 0 {
				total = n
			}
		}
		items = append(items, page...)
		switch {
		case total >= 0 && len(items) > total:
			return fail("X-Total-Count announced %d rows but the pages held more (%d so far)", total, len(items))
		case maxRows > 0 && len(items) >= maxRows:
			return items, nil
		case total >= 0 && len(items) == total:
			return items, nil
		case total >= 0 && len(page) < limit:
			return fail("X-Total-Count announced %d rows but the pages ended after %d", total, len(items))
		case total < 0 && len(page) < limit:
			return items, nil
		}
	}
}
