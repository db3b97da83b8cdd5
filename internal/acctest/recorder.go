package acctest

import (
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
)

// Recorder counts, for every provider instance a test starts (one per Terraform command),
// the token and API requests it sent, so tests can assert exact figures; and it is the
// environment those providers read SAIL_* variables from. The provider's tests build their
// factories from it (acctest does not import the provider, so that the provider's tests can
// live in its own package).
type Recorder struct {
	mu        sync.Mutex
	instances []*instance
	env       map[string]string
	osEnv     bool
}

type instance struct {
	tokens, api atomic.Int64
}

// Counts is what one provider instance sent.
type Counts struct {
	Tokens int64 // POST .../oauth/token
	API    int64 // every other request
}

// NewRecorder returns a recorder whose providers read SAIL_* variables only from Env, never
// from the test process's environment.
func NewRecorder() *Recorder {
	return &Recorder{env: map[string]string{}}
}

// Env sets an environment variable as the provider will see it.
func (r *Recorder) Env(name, value string) *Recorder {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.env[name] = value
	return r
}

// UseProcessEnv makes the provider read the real process environment (set with t.Setenv).
func (r *Recorder) UseProcessEnv() *Recorder {
	r.osEnv = true
	return r
}

// LookupEnv is the environment the providers read, set-but-empty counting as unset.
func (r *Recorder) LookupEnv(name string) (string, bool) {
	if r.osEnv {
		v, ok := os.LookupEnv(name)
		return strings.TrimSpace(v), ok && strings.TrimSpace(v) != ""
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	v, ok := r.env[name]
	return v, ok && v != ""
}

// NewInstance starts counting for one more provider instance and returns the HTTP transport
// that instance must use.
func (r *Recorder) NewInstance() http.RoundTripper {
	inst := &instance{}
	r.mu.Lock()
	r.instances = append(r.instances, inst)
	r.mu.Unlock()
	return &countingTransport{inst: inst, next: http.DefaultTransport}
}

// Active returns the counts of every provider instance that sent at least one request, in
// start order.
func (r *Recorder) Active() []Counts {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []Counts
	for _, i := range r.instances {
		c := Counts{Tokens: i.tokens.Load(), API: i.api.Load()}
		if c.Tokens+c.API > 0 {
			out = append(out, c)
		}
	}
	return out
}

// CheckEveryInstance returns an error unless every active instance fetched exactly
// wantTokens tokens and sent exactly wantAPI API requests.
func (r *Recorder) CheckEveryInstance(wantTokens, wantAPI int64) error {
	active := r.Active()
	if len(active) == 0 {
		return fmt.Errorf("no provider instance sent a request")
	}
	for n, c := range active {
		if c.Tokens != wantTokens || c.API != wantAPI {
			return fmt.Errorf("provider instance %d of %d sent %d token and %d API requests; want %d and %d (all: %+v)",
				n+1, len(active), c.Tokens, c.API, wantTokens, wantAPI, active)
		}
	}
	return nil
}

type countingTransport struct {
	inst *instance
	next http.RoundTripper
}

func (t *countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method == http.MethodPost && strings.HasSuffix(req.URL.Path, "/oauth/token") {
		t.inst.tokens.Add(1)
	} else {
		t.inst.api.Add(1)
	}
	return t.next.RoundTrip(req)
}
