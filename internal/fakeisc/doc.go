// Package fakeisc is an in-process fake of the part of SailPoint Identity Security Cloud
// (ISC) that this provider talks to: the OAuth 2.0 client-credentials token endpoint and
// the Source Usages API (status and summaries), in every version form a real tenant serves.
//
// It exists so that unit tests, acceptance tests (the real Terraform CLI talking to an
// httptest server), the demo and the benchmark all run against the behaviour described in
// shared/api/NOTES.md and the official OpenAPI spec, including the awkward parts: paging,
// sorting, rate limiting, token expiry and revocation, and broken responses injected as
// faults. A conformance test in this package validates every kind of answer against the
// spec, so a client that works here has been tested against the documented contract.
//
// A Tenant is an http.Handler and is safe for concurrent use:
//
//	tenant := fakeisc.New(fakeisc.WithDemoSources())
//	srv := httptest.NewServer(tenant)
//	defer srv.Close()
//	// point the client at srv.URL with DefaultClientID and DefaultClientSecret
//
// Besides the ISC routes it serves a few admin endpoints under /__fake/ (see ServeHTTP) so
// that the same fake can run as a separate process (internal/cmd/fakeisc).
package fakeisc
