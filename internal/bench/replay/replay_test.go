package replay

import (
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

func TestReplaysEachDistinctRequestFromMemory(t *testing.T) {
	var served atomic.Int32
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		served.Add(1)
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("X-Total-Count", "12")
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, r.Method+" "+r.URL.RequestURI()+" "+string(body)) //nolint:gosec // G705: echoes to the test's own client
	})
	tr := New(h)
	client := &http.Client{Transport: tr}
	for range 3 {
		for _, u := range []string{"http://fake/a?x=1", "http://fake/b"} {
			req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, u, strings.NewReader("form"))
			if err != nil {
				t.Fatal(err)
			}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			want := "POST " + strings.TrimPrefix(u, "http://fake") + " form"
			if string(body) != want || resp.StatusCode != http.StatusCreated || resp.Header.Get("X-Total-Count") != "12" {
				t.Fatalf("got %d %q %v, want 201 %q with X-Total-Count", resp.StatusCode, body, resp.Header, want)
			}
			// A caller changing the header must not change later answers.
			resp.Header.Set("X-Total-Count", "0")
		}
	}
	if served.Load() != 2 || tr.Misses() != 2 {
		t.Fatalf("handler served %d requests (misses %d), want 2", served.Load(), tr.Misses())
	}
}
