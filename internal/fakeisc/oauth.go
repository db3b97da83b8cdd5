package fakeisc

import (
	"crypto/subtle"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"time"
)

// maxTokenRequestBody bounds the form the token endpoint reads.
const maxTokenRequestBody = 64 << 10

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

// newTokenResponse returns the answer for a token issued to clientID.
func newTokenResponse(token, jti, clientID string, ttl time.Duration) tokenResponse {
	return tokenResponse{
		AccessToken: token,
		TokenType:   "bearer",
		// Whole seconds, rounded down: a client refreshing on expires_in is never late.
		ExpiresIn:  int64(ttl / time.Second),
		Scope:      scopeAll,
		TenantID:   tenantID,
		Pod:        tenantPod,
		Org:        tenantOrg,
		IdentityID: identityID(clientID),
		UserName:   clientID,
		StrongAuth: true,
		Internal:   true,
		JTI:        jti,
	}
}

// serveToken answers POST /oauth/token: the client-credentials grant, with the client
// authenticated by form fields or by HTTP Basic (RFC 6749 section 2.3.1; Basic wins when
// both are sent).
//
// The checks run in this order: method, body, credentials in the URL, faults, grant type,
// client. Faults come after the URL check so that a leaking client is always told, and
// before the grant checks because a fault on this op stands for the token service itself
// being broken.
func (t *Tenant) serveToken(w http.ResponseWriter, r *http.Request, ex *exchange) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeJSON(w, http.StatusMethodNotAllowed, oauthError{
			Error: "method_not_allowed", Description: "Request method '" + r.Method + "' is not supported",
		})
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxTokenRequestBody)
	if err := r.ParseForm(); err != nil {
		writeJSON(w, http.StatusBadRequest, oauthError{Error: "invalid_request", Description: "the request could not be parsed: " + err.Error()})
		return
	}
	form := r.PostForm
	ex.rec.FormKeys = slices.Sorted(maps.Keys(form))

	clientID, secret, basic := r.BasicAuth()
	if basic {
		// RFC 6749 form-encodes Basic credentials before base64, but most clients do not
		// bother; accept both forms, as servers do.
		if !t.clientValid(clientID, secret) {
			id, errID := url.QueryUnescape(clientID)
			s, errSecret := url.QueryUnescape(secret)
			if errID == nil && errSecret == nil {
				clientID, secret = id, s
			}
		}
	} else {
		clientID, secret = form.Get("client_id"), form.Get("client_secret")
	}
	ex.rec.ClientID = clientID

	if ex.rec.CredentialsInQuery {
		writeJSON(w, http.StatusBadRequest, oauthError{
			Error: "invalid_request", Description: "client credentials must not be sent in the URL",
		})
		return
	}

	grant := func(w http.ResponseWriter) { t.grant(w, form.Get("grant_type"), clientID, secret, ex) }
	if f := t.matchFault(OpToken, "", -1); f != nil {
		ex.rec.Fault = f.name
		f.act(w, r, OpToken, grant)
		return
	}
	grant(w)
}

// grant checks the grant type and the client, and issues a token.
func (t *Tenant) grant(w http.ResponseWriter, grantType, clientID, secret string, ex *exchange) {
	switch grantType {
	case "client_credentials":
	case "":
		writeJSON(w, http.StatusBadRequest, oauthError{Error: "invalid_request", Description: "Missing grant type"})
		return
	default:
		writeJSON(w, http.StatusBadRequest, oauthError{Error: "unsupported_grant_type", Description: "Unsupported grant type: " + grantType})
		return
	}

	t.mu.Lock()
	known := t.clientValidLocked(clientID, secret)
	var token, jti string
	ttl := t.tokenTTL
	if known {
		token, jti = t.issueLocked(clientID, ttl)
	}
	t.mu.Unlock()

	if !known {
		writeJSON(w, http.StatusUnauthorized, oauthError{Error: "invalid_client", Description: "Bad credentials"})
		return
	}
	ex.rec.IssuedToken = token
	// RFC 6749 section 5.1: token responses must not be cached.
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, http.StatusOK, newTokenResponse(token, jti, clientID, ttl))
}

// clientValid reports whether id and secret name a registered client.
func (t *Tenant) clientValid(id, secret string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.clientValidLocked(id, secret)
}

// clientValidLocked is clientValid with t.mu held. The comparison is constant-time, as a
// real server's would be; it costs nothing here and keeps the fake a good example.
func (t *Tenant) clientValidLocked(id, secret string) bool {
	want, ok := t.clients[id]
	return ok && id != "" && subtle.ConstantTimeCompare([]byte(want), []byte(secret)) == 1
}
