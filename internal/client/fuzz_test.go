package client

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// The fuzz targets run their seeds (below and in testdata/fuzz) in every go test; make fuzz
// explores further for a bounded time.

func FuzzDecodeUsages(f *testing.F) {
	for _, s := range []string{
		`[]`, `[{"date":"2024-01-01","count":10.45}]`, `[{"date":null,"count":null},{}]`,
		`[{"date":"2024-01-01","count":1e400}]`, `[{"count":"12"}]`, `[{"date":`, `null`, ``, `{"a":1}`,
		`[{"date":"2024-01-01","count":12.345678901234567890123,"x":{"y":[1,null]}}]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		rows, err := DecodeUsages(body)
		if err != nil {
			if rows != nil {
				t.Fatal("rows returned with an error")
			}
			return
		}
		if rows == nil {
			t.Fatal("nil rows without an error")
		}
		for i, r := range rows {
			if r.Count == nil {
				continue
			}
			f, ok := r.CountFloat64()
			if !ok {
				t.Fatalf("row %d: accepted count %q does not convert", i, r.Count.String())
			}
			// The float64 must round-trip through its own shortest form.
			back, err := strconv.ParseFloat(strconv.FormatFloat(f, 'g', -1, 64), 64)
			if err != nil || back != f {
				t.Fatalf("row %d: %v does not round-trip", i, f)
			}
		}
	})
}

func FuzzDecodeStatus(f *testing.F) {
	for _, s := range []string{`{"status":"COMPLETE"}`, `{"status":null}`, `{}`, `[]`, `null`, ``, `{"status":1}`, `{"status":"é"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		st, err := DecodeStatus(body)
		if err != nil && st.Status != nil {
			t.Fatal("status returned with an error")
		}
	})
}

func FuzzNewAPIError(f *testing.F) {
	f.Add(404, []byte(`{"detailCode":"404 Not found","trackingId":"abc","messages":[{"locale":null,"localeOrigin":"OTHER","text":"gone"}]}`))
	f.Add(401, []byte(`{"error":"JWT validation failed: JWT is expired"}`))
	f.Add(429, []byte(`{"message":" Rate Limit Exceeded "}`))
	f.Add(502, []byte("<html>\n<h1>502</h1></html>"))
	f.Add(500, []byte{0xff, 0xfe, 0x00})
	f.Add(400, []byte(`{"error":{"nested":[1,2]},"messages":"not a list"}`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		e := newAPIError("GET", "/v3/x", status, nil, body, 1)
		msg := e.Error()
		if msg == "" || !utf8.ValidString(e.Body) {
			t.Fatalf("bad error %q (body %q)", msg, e.Body)
		}
		if len(e.Body) > 400 {
			t.Fatalf("body not trimmed: %d bytes", len(e.Body))
		}
	})
}

func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"0", "1", "120", "-1", "1.5", "Wed, 25 Nov 2026 12:00:02 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "", "999999999999999999999"} {
		f.Add(s)
	}
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		d, ok := parseRetryAfter(v, now)
		if d < 0 || d > MaxRetryAfter || (!ok && d != 0) {
			t.Fatalf("parseRetryAfter(%q) = %v, %v", v, d, ok)
		}
	})
}

// FuzzSourceUsagesPath: whatever the id, the path has exactly the segments of the endpoint,
// the id is one of them and decodes back to itself, and nothing in it starts a query or a
// fragment or climbs a directory.
func FuzzSourceUsagesPath(f *testing.F) {
	for _, s := range []string{"2c9180835d191a86015d28455b4a2329", "../../v3/sources", "a?b#c", "a%2Fb", "a b", "ключ", ".", "..", "", "%", "a/./b", "\x00", "%2e%2e"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		for _, version := range APIVersions {
			for _, op := range []string{OpStatus, OpSummaries} {
				path, err := SourceUsagesPath(version, id, op)
				if err != nil {
					if id != "" && id != "." && id != ".." {
						t.Fatalf("%q refused: %v", id, err)
					}
					continue
				}
				if strings.ContainsAny(path, "?# ") {
					t.Fatalf("%q: path %q carries a query, fragment or space", id, path)
				}
				u, err := url.Parse("https://acme.api.identitynow.com" + path)
				if err != nil {
					t.Fatalf("%q: path %q does not parse: %v", id, path, err)
				}
				segs := strings.Split(strings.TrimPrefix(u.EscapedPath(), "/"), "/")
				idSeg := 2 // v3/source-usages/{id}/op or source-usages/v1/{id}/op
				if len(segs) != 4 || segs[3] != op {
					t.Fatalf("%q: path %q has segments %q", id, path, segs)
				}
				got, err := url.PathUnescape(segs[idSeg])
				if err != nil || got != id {
					t.Fatalf("%q: id segment %q decodes to %q (%v)", id, segs[idSeg], got, err)
				}
				if segs[idSeg] == "." || segs[idSeg] == ".." {
					t.Fatalf("%q: a dot segment", id)
				}
			}
		}
	})
}

// FuzzReadAllPages: whatever a server answers, a read returns every row once in order, or
// an error, never a partial list.
func FuzzReadAllPages(f *testing.F) {
	f.Add(uint16(0), uint16(0), false, uint16(0))
	f.Add(uint16(300), uint16(0), true, uint16(300))
	f.Add(uint16(250), uint16(0), false, uint16(0))
	f.Add(uint16(600), uint16(10), true, uint16(500))
	f.Fuzz(func(t *testing.T, n, maxArg uint16, withTotal bool, total uint16) {
		rows := int(n) % 2000
		var calls int
		got, err := ReadAllPages(t.Context(), "/p", int(maxArg)%700, func(_ context.Context, offset, limit int, wantTotal bool) (Page[int], error) {
			calls++
			var p Page[int]
			for i := offset; i < min(offset+limit, rows); i++ {
				p.Items = append(p.Items, i)
			}
			if wantTotal && withTotal {
				p.HasTotal, p.Total = true, int(total)
			}
			return p, nil
		})
		if err != nil {
			if got != nil {
				t.Fatal("partial list with an error")
			}
			return
		}
		// No error means a complete answer: every row, or the first max rows.
		want := rows
		if m := int(maxArg) % 700; m > 0 && m < want {
			want = m
		}
		// The one thing a client cannot catch: a total the pages confirm exactly. Checking
		// would cost a request after every full last page, the one X-Total-Count saves.
		if withTotal && int(total) < want && len(got) == int(total) {
			want = int(total)
		}
		if len(got) != want {
			t.Fatalf("%d rows without an error, want %d (rows %d, max %d, total %v/%d, %d calls)", len(got), want, rows, int(maxArg)%700, withTotal, total, calls)
		}
		for i, v := range got {
			if v != i {
				t.Fatalf("row %d is %d", i, v)
			}
		}
	})
}
