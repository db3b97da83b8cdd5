package fakeisc

import (
	"crypto/subtle"
	"mime"
	"net/http"
	"strings"
	"time"
)

// maxTokenRequestBody bounds the form the token endpoint reads.
const maxTokenRequestBody = 64 << 10

// tokenInfo is what the tenant remembers about an access token it issued.
type tokenInfo struct {
	clientID string
	expires  time.Time
	revoked  bool
}

// tokenResponse is the body of a successful token request: the fields a client uses, and
// a few more of those ISC sends.
type tokenResponse struct {
	AccessToken string `json:"access_token,omitempty"` // omitted only by the TokenMissingAccessToken fault
	TokenType   string `json:"token_type"`
	ExpiresIn   int64  `json:"expires_in"`
	Scope       string `json:"scope"`
	TenantID    string `json:"tenant_id"`
	Pod         string `json:"pod"`
	Org         string `json:"org"`
	JTI         string `json:"jti"`
}

// newTokenResponse returns the answer for a token. expires_in is in whole seconds, rounded
// down, so a client refreshing on it is never late.
func newTokenResponse(token string, ttl time.Duration) tokenResponse {
	return tokenResponse{AccessToken: token, TokenType: "bearer", ExpiresIn: int64(ttl / time.Second), Scope: "sp:scopes:all",
		TenantID: "5f2d8c1e-7a4b-4e0f-9c3d-2b6a8e1f4d70", Pod: "fake-pod01-useast1", Org: "fake-tenant", JTI: randomHex(16)}
}

// serveToken answers POST /oauth/token: the client-credentials grant, with the client
// authenticated by form fields, URL-encoded or multipart, as ISC documents.
//
// The checks run in this order: method, body, credentials in the URL, faults, grant type,
// client. Faults come after the URL check so that a leaking client is always told, and
// before the grant checks because a fault on this op stands for the token service itself
// being broken.
func (t *Tenant) serveToken(w http.ResponseWriter, r *http.Request, ex *exchange) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeOAuthError(w, http.StatusMethodNotAllowed, "method_not_allowed", "Request method '"+r.Method+"' is not supported")
		return
	}
	// SailPoint takes both form encodings; its TypeScript SDK sends multipart.
	r.Body = http.MaxBytesReader(w, r.Body, maxTokenRequestBody)
	parse := r.ParseForm
	if mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mediaType == "multipart/form-data" {
		parse = func() error { return r.ParseMultipartForm(maxTokenRequestBody) }
	}
	if err := parse(); err != nil {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "the request could not be parsed: "+err.Error())
		return
	}
	form := r.PostForm

	clientID, secret := form.Get("client_id"), form.Get("client_secret")
	ex.rec.ClientID = clientID

	if ex.rec.CredentialsInQuery {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "client credentials must not be sent in the URL")
		return
	}

	grant := func(w http.ResponseWriter) { t.grant(w, form.Get("grant_type"), clientID, secret, ex) }
	if f := t.matchFault(route{op: OpToken}, -1); f != nil {
		ex.rec.Fault = f.Name
		f.act(w, r, OpToken, grant)
		return
	}
	grant(w)
}

// writeOAuthError answers code with an RFC 6749 error body.
func writeOAuthError(w http.ResponseWriter, code int, errorCode, description string) {
	writeJSON(w, code, map[string]string{"error": errorCode, "error_description": description})
}

// grant checks the grant type and the client, and issues a token.
func (t *Tenant) grant(w http.ResponseWriter, grantType, clientID, secret string, ex *exchange) {
	switch grantType {
	case "client_credentials":
	case "":
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "Missing grant type")
		return
	default:
		writeOAuthError(w, http.StatusBadRequest, "unsupported_grant_type", "Unsupported grant type: "+grantType)
		return
	}

	t.mu.Lock()
	var token string
	ttl := t.tokenTTL
	if want, ok := t.clients[clientID]; ok && subtle.ConstantTimeCompare([]byte(want), []byte(secret)) == 1 {
		token = t.issueLocked(clientID, ttl)
	}
	t.mu.Unlock()
	if token == "" {
		writeOAuthError(w, http.StatusUnauthorized, "invalid_client", "Bad credentials")
		return
	}
	ex.rec.IssuedToken = token
	// RFC 6749 section 5.1: token responses must not be cached.
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, http.StatusOK, newTokenResponse(token, ttl))
}

// IssueToken returns a bearer token for clientID, valid for ttl (the tenant's token TTL
// when ttl <= 0), as if obtained elsewhere: it lets tests configure a client with a ready
// access token. The client id need not be registered.
func (t *Tenant) IssueToken(clientID string, ttl time.Duration) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if ttl <= 0 {
		ttl = t.tokenTTL
	}
	return t.issueLocked(clientID, ttl)
}

// RevokeTokens makes every token issued so far answer 401 from now on, as when an admin
// revokes a client's tokens; tokens issued later are valid.
func (t *Tenant) RevokeTokens() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, info := range t.tokens {
		info.revoked = true
	}
}

// issueLocked creates and remembers a token; t.mu must be held. 32 random bytes make it
// unguessable; the fake validates tokens by lookup.
func (t *Tenant) issueLocked(clientID string, ttl time.Duration) string {
	token := randomHex(32)
	t.tokens[token] = &tokenInfo{clientID: clientID, expires: t.now().Add(ttl)}
	return token
}

// bearerToken extracts the token of an "Authorization: Bearer <token>" header. The
// scheme is case-insensitive, as RFC 7235 says.
func bearerToken(header string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// authenticateLocked checks a bearer token. It returns the client the token was issued
// to (when the token is known, even if no longer valid) and, when the token may not be
// used, the reason for the 401. t.mu must be held.
func (t *Tenant) authenticateLocked(header string) (clientID, reason string) {
	if strings.TrimSpace(header) == "" {
		return "", "no Authorization header"
	}
	token, ok := bearerToken(header)
	if !ok {
		return "", "Authorization header is not a bearer token"
	}
	info, ok := t.tokens[token]
	switch {
	case !ok:
		return "", "JWT is invalid"
	case info.revoked:
		return info.clientID, "JWT has been revoked"
	case !t.now().Before(info.expires):
		return info.clientID, "JWT is expired"
	}
	return info.clientID, ""
}
