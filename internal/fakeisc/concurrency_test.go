package fakeisc

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestConcurrentUse runs clients, reconfiguration and inspection at once; under -race it
// shows the tenant's state is properly guarded.
func TestConcurrentUse(t *testing.T) {
	const workers, perWorker = 50, 10
	tenant := New(WithDemoSources(), WithGeneratedSources(workers), WithRateLimit(1000, time.Second))
	srv := httptest.NewServer(tenant)
	defer srv.Close()
	client := srv.Client()

	var wg sync.WaitGroup
	errs := make(chan error, workers*perWorker)
	for w := range workers {
		wg.Go(func() {
			form := url.Values{"grant_type": {"client_credentials"}, "client_id": {DefaultClientID}, "client_secret": {DefaultClientSecret}}
			req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL+"/oauth/token", strings.NewReader(form.Encode()))
			if err != nil {
				errs <- err
				return
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := client.Do(req)
			if err != nil {
				errs <- err
				return
			}
			var tok tokenResponse
			err = json.NewDecoder(resp.Body).Decode(&tok)
			_ = resp.Body.Close()
			if err != nil {
				errs <- err
				return
			}
			for i := range perWorker {
				op := OpStatus
				if i%2 == 1 {
					op = OpSummaries
				}
				version := Versions()[(w+i)%len(Versions())]
				req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+APIPath(version, op, GeneratedSourceID(w)), nil)
				req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
				resp, err := client.Do(req)
				if err != nil {
					errs <- err
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				_ = resp.Body.Close()
				if resp.StatusCode != 200 && resp.StatusCode != 500 {
					errs <- fmt.Errorf("%s %s: %d", version, op, resp.StatusCode)
				}
			}
		})
	}
	// Meanwhile: change sources and faults, and read the log and the stats.
	wg.Go(func() {
		for i := range 100 {
			tenant.PutSource(Source{ID: fmt.Sprint("extra-", i), Status: "COMPLETE", Usages: []Usage{Row("2024-01-01", "1")}})
			if i%10 == 0 {
				tenant.Inject(ServerError(500).Once())
			}
			_ = tenant.Stats()
			_ = tenant.Requests()
			tenant.SetRateLimit(1000, time.Second)
			tenant.SetTokenTTL(time.Hour)
			_ = tenant.IssueToken("x", 0)
		}
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	st := tenant.Stats()
	if st.TokenRequests != workers || st.APIRequests != workers*perWorker {
		t.Errorf("Stats = %+v, want %d token and %d API requests", st, workers, workers*perWorker)
	}
	if n := len(tenant.Requests()); n != workers+workers*perWorker {
		t.Errorf("log has %d entries, want %d", n, workers+workers*perWorker)
	}
	if st.ByStatus[500] != st.Faulted || st.ByStatus[200]+st.ByStatus[500] != workers+workers*perWorker {
		t.Errorf("ByStatus = %v, Faulted = %d", st.ByStatus, st.Faulted)
	}
	for _, e := range tenant.Requests() {
		if e.StatusCode == 0 || e.ClientID != DefaultClientID {
			t.Errorf("incomplete entry %+v", e)
		}
	}
}
