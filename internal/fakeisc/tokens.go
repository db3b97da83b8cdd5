package fakeisc

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"strings"
	"time"
)

// The identity of the fake tenant, as reported in token responses.
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

// jwtHeader is the first part of every token: the tokens only look like JWTs (the fake
// validates them by lookup), but a client that peeks into them sees the usual shape.
var jwtHeader = base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"RS256","typ":"JWT"}`))

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

// issueLocked creates and remembers a token. It returns the token and its jti.
// t.mu must be held.
func (t *Tenant) issueLocked(clientID string, ttl time.Duration) (token, jti string) {
	now := t.now()
	jti = randomHex(16)
	payload, _ := json.Marshal(map[string]any{
		"tenant_id":   tenantID,
		"pod":         tenantPod,
		"org":         tenantOrg,
		"identity_id": identityID(clientID),
		"client_id":   clientID,
		"scope":       strings.Fields(scopeAll),
		"internal":    true,
		"exp":         now.Add(ttl).Unix(),
		"jti":         jti,
	})
	// 32 random bytes make the token unguessable; the rest is decoration.
	signature := make([]byte, 32)
	_, _ = rand.Read(signature)
	token = jwtHeader + "." + base64.RawURLEncoding.EncodeToString(payload) + "." + base64.RawURLEncoding.EncodeToString(signature)

	t.tokens[token] = &tokenInfo{clientID: clientID, expires: now.Add(ttl)}
	t.counts.tokensIssued++
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
