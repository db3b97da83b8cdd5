package fakeisc

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// maxTokenRequestBody bounds the form the token endpoint reads.
const maxTokenRequestBody = 64 << 10

// The fake tenant's identity, as token responses report it.
const (
	tenantOrg = "fake-tenant"
	tenantPod = "fake-pod01-useast1"
	tenantID  = "5f2d8c1e-7a4b-4e0f-9c3d-2b6a8e1f4d70"
	scopeAll  = "sp:scopes:all"
)

// tokenInfo is what the tenant remembers about an access token it issued.
type tokenInfo struct {
	clientID string
	expires  time.Time
	revoked  bool
}

// tokenResponse is the body of a successful token request, with the fields ISC sends.
type tokenResponse struct {
	AccessToken         string `json:"access_token,omitempty"` // omitted only by the TokenMissingAccessToken fault
	TokenType           string `json:"token_type"`
	ExpiresIn           int64  `json:"expires_in"`
	Scope               string `json:"scope"`
	TenantID            string `json:"tenant_id"`
	Pod                 string `json:"pod"`
	StrongAuthSupported bool   `json:"strong_auth_supported"`
	Org                 string `json:"org"`
	IdentityID          string `json:"identity_id"`
	UserName            string `json:"user_name"`
	StrongAuth          bool   `json:"strong_auth"`
	Internal            bool   `json:"internal"`
	JTI                 string `json:"jti"`
}

// newTokenResponse returns the answer for a token issued to clientID. expires_in is in
// whole seconds, rounded down, so a client refreshing on it is never late.
func newTokenResponse(token, jti, clientID string, ttl time.Duration) tokenResponse {
	return tokenResponse{AccessToken: token, TokenType: "bearer", ExpiresIn: int64(ttl / time.Second),
		Scope: scopeAll, TenantID: tenantID, Pod: tenantPod, Org: tenantOrg, IdentityID: identityID(clientID),
		UserName: clientID, StrongAuth: true, Internal: true, JTI: jti}
}

// serveToken answers POST /oauth/token: the client-credentials grant, with the client
// authenticated by form fields (URL-encoded or multipart) or by HTTP Basic (RFC 6749 section 2.3.1; Basic wins when
// both are sent).
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
	if id, s, ok := r.BasicAuth(); ok {
		// RFC 6749 form-encodes Basic credentials before base64, but most clients do not
		// bother: accept both forms, as servers do.
		clientID, secret = id, s
		uid, errID := url.QueryUnescape(id)
		us, errSecret := url.QueryUnescape(s)
		if errID == nil && errSecret == nil && !t.clientValid(id, s) {
			clientID, secret = uid, us
		}
	}
	ex.rec.ClientID = clientID

	if ex.rec.CredentialsInQuery {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "client credentials must not be sent in the URL")
		return
	}

	grant := func(w http.ResponseWriter) { t.grant(w, form.Get("grant_type"), clientID, secret, ex) }
	if f := t.matchFault(OpToken, "", -1); f != nil {
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
	var token, jti string
	ttl := t.tokenTTL
	if t.clientValidLocked(clientID, secret) {
		token, jti = t.issueLocked(clientID, ttl)
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
	writeJSON(w, http.StatusOK, newTokenResponse(token, jti, clientID, ttl))
}

// clientValid reports whether id and secret name a registered client. The comparison is
// constant-time, as a real server's would be: it costs nothing and sets a good example.
func (t *Tenant) clientValid(id, secret string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.clientValidLocked(id, secret)
}

func (t *Tenant) clientValidLocked(id, secret string) bool {
	want, ok := t.clients[id]
	return ok && id != "" && subtle.ConstantTimeCompare([]byte(want), []byte(secret)) == 1
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
	token, _ := t.issueLocked(clientID, ttl)
	return token
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

// issueLocked creates and remembers a token, and returns it with its jti. t.mu must be
// held. The fake validates tokens by lookup, so only the 32 random bytes of the signature
// matter; the rest gives a client that peeks into the token the usual JWT shape.
func (t *Tenant) issueLocked(clientID string, ttl time.Duration) (token, jti string) {
	expires := t.now().Add(ttl)
	jti = randomHex(16)
	payload, _ := json.Marshal(map[string]any{"tenant_id": tenantID, "org": tenantOrg, "client_id": clientID,
		"identity_id": identityID(clientID), "scope": []string{scopeAll}, "exp": expires.Unix(), "jti": jti})
	signature := make([]byte, 32)
	_, _ = rand.Read(signature)
	b64 := base64.RawURLEncoding.EncodeToString
	token = b64([]byte(`{"alg":"RS256","typ":"JWT"}`)) + "." + b64(payload) + "." + b64(signature)
	t.tokens[token] = &tokenInfo{clientID: clientID, expires: expires}
	return token, jti
}

// identityID returns the stable identity id reported for a client, derived from its id.
func identityID(clientID string) string {
	sum := sha256.Sum256([]byte("fakeisc/identity/" + clientID))
	return hex.EncodeToString(sum[:16])
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
