package acctest

import (
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/provider"
)

// Recorder builds provider factories for resource.Test and counts, for every provider
// instance the harness starts (one per Terraform command), the token and API requests it
// sent. Those counts are exact, so tests can assert them.
type Recorder struct {
	mu        sync.Mutex
	instances []*instance
	env       map[string]string
	osEnv     bool
	opts      []provider.Option
}

type instance struct {
	tokens, api atomic.Int64
}

// Counts is what one provider instance sent.
type Counts struct {
	Tokens int64 // POST .../oauth/token
	API    int64 // every other request
}

// NewRecorder returns a recorder whose providers retry fast (1 ms to 20 ms backoff) and read
// SAIL_* variables only from Env, never from the test process's environment.
func NewRecorder(opts ...provider.Option) *Recorder {
	return &Recorder{env: map[string]string{}, opts: append([]provider.Option{provider.WithRetryWait(time.Millisecond, 20*time.Millisecond)}, opts...)}
}

// Env sets an environment variable as the provider will see it.
func (r *Recorder) Env(name, value string) *Recorder {
	r.env[name] = value
	return r
}

// UseProcessEnv makes the provider read the real process environment (set with t.Setenv).
func (r *Recorder) UseProcessEnv() *Recorder {
	r.osEnv = true
	return r
}

// Factories returns ProtoV6ProviderFactories for resource.Test.
func (r *Recorder) Factories() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"sailpoint": func() (tfprotov6.ProviderServer, error) {
			inst := &instance{}
			r.mu.Lock()
			r.instances = append(r.instances, inst)
			r.mu.Unlock()
			opts := append([]provider.Option{provider.WithTransport(&countingTransport{inst: inst, next: http.DefaultTransport})}, r.opts...)
			if !r.osEnv {
				env := r.env
				opts = append(opts, provider.WithLookupEnv(func(k string) (string, bool) {
					v, ok := env[k]
					return v, ok && v != ""
				}))
			}
			return providerserver.NewProtocol6WithError(provider.New("test", opts...)())()
		},
	}
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
	if req.Method == http.MethodPost && len(req.URL.Path) >= len("/oauth/token") && req.URL.Path[len(req.URL.Path)-len("/oauth/token"):] == "/oauth/token" {
		t.inst.tokens.Add(1)
	} else {
		t.inst.api.Add(1)
	}
	return t.next.RoundTrip(req)
}
