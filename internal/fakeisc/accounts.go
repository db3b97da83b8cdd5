package fakeisc

import (
	"bytes"
	"cmp"
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strings"
)

// Account is one ISC account: what the Accounts API lists, and what the Account Usages
// API reports on it. The fields with a JSON name are the spec's Account fields; answers
// add those the real API takes from the account's source (sourceName, authoritative, and
// in FULL answers connectionType, sourceOwner and features) and the identity reference.
type Account struct {
	ID             string `json:"id,omitzero"` // matched against the percent-decoded path segment
	Name           string `json:"name"`
	NativeIdentity string `json:"nativeIdentity"`
	UUID           string `json:"uuid,omitzero"`
	SourceID       string `json:"sourceId"`
	// IdentityID and IdentityName are the identity the account is correlated to. Without
	// an IdentityID the answer has neither identityId nor identity, as for an
	// uncorrelated account.
	IdentityID   string `json:"identityId,omitzero"`
	IdentityName string `json:"-"`
	Disabled     bool   `json:"disabled"`
	Locked       bool   `json:"locked"`
	// Uncorrelated is sent as given; nil leaves it out, which the spec does not allow (it
	// marks the field required) but which clients must cope with. A consistent account
	// has new(IdentityID == "").
	Uncorrelated       *bool  `json:"uncorrelated,omitzero"`
	ManuallyCorrelated bool   `json:"manuallyCorrelated"`
	HasEntitlements    bool   `json:"hasEntitlements"`
	IsMachine          bool   `json:"isMachine"`
	SystemAccount      bool   `json:"systemAccount"`
	Origin             string `json:"origin,omitzero"`   // AGGREGATED or PROVISIONED
	Created            string `json:"created,omitzero"`  // RFC 3339
	Modified           string `json:"modified,omitzero"` // RFC 3339
	// Attributes are the aggregated attributes, sent by FULL answers only (nil: null).
	// Their values must be JSON values: strings, numbers, lists of strings, ...
	Attributes map[string]any `json:"attributes"`

	// Usages are the account's summaries rows, in the order the API returns them unsorted.
	// Counts are whole days, as in Row("2026-05-01", "10"). They are served only while
	// the account's source is COMPLETE.
	Usages []Usage `json:"-"`
	// Forbidden makes every call naming this account answer 403, and lists leave it out.
	Forbidden bool `json:"-"`
	// Deleted makes get and usage calls answer 404 while lists still show the account.
	Deleted bool `json:"-"`
}

// WithAccounts adds accounts, as PutAccount would.
func WithAccounts(accounts ...Account) Option {
	return func(t *Tenant) {
		for _, a := range accounts {
			t.PutAccount(a)
		}
	}
}

// PutAccount adds a, or replaces the account with the same ID. The tenant keeps its own
// copy, so the caller may reuse a.
func (t *Tenant) PutAccount(a Account) {
	a = a.clone()
	t.mu.Lock()
	defer t.mu.Unlock()
	t.accounts[a.ID] = a
}

func (a Account) hidden() (forbidden, deleted bool) { return a.Forbidden, a.Deleted }

// clone returns a deep copy, so that a caller changing its Account after PutAccount does
// not race with requests reading it.
func (a Account) clone() Account {
	a.Uncorrelated, a.Usages, a.Attributes = clonePtr(a.Uncorrelated), cloneUsages(a.Usages), maps.Clone(a.Attributes)
	// Decoding a JSON copy over the map replaces every value with a deep copy (UseNumber
	// keeps numbers as given). Values that are not JSON stay, for answers to report.
	if b, err := json.Marshal(a.Attributes); err == nil {
		d := json.NewDecoder(bytes.NewReader(b))
		d.UseNumber()
		_ = d.Decode(&a.Attributes)
	}
	return a
}

// accountFilters are the filter operators the Accounts API supports on each field (the
// spec's table). disabled and locked are not filterable. The fake does not model identity
// states or recommendations, so identity.identityState and recommendation.method are
// absent on every account.
var accountFilters = filterable{
	booleans: []string{"hasEntitlements", "uncorrelated", "entitlements", "manuallyCorrelated", "identity.correlated",
		"source.authoritative"},
	ops: map[string]string{
		"id": "eq in sw", "identityId": "eq in sw", "name": "eq in sw", "nativeIdentity": "eq in sw", "sourceId": "eq in sw",
		"hasEntitlements": "eq", "uncorrelated": "eq", "entitlements": "eq", "manuallyCorrelated": "eq",
		"identity.correlated": "eq", "source.authoritative": "eq",
		"origin": "eq in", "identity.identityState": "eq in", "source.displayableName": "eq in", "source.connectionType": "eq in",
		"identity.name": "eq in sw", "recommendation.method": "eq in isnull",
		"created": "eq ge gt le lt", "modified": "eq ge gt le lt",
	},
}

// accountSortable are the fields the Accounts API sorts on (the spec's list).
var accountSortable = []string{"id", "name", "created", "modified", "sourceId", "identityId", "nativeIdentity", "uuid",
	"manuallyCorrelated", "entitlements", "origin", "identity.name", "identity.identityState", "identity.correlated",
	"source.displayableName", "source.authoritative", "source.connectionType"}

// accountView is an account with its source (nil when the tenant has none), as filters,
// sorters and answers see it; full is the detail level of the answer.
type accountView struct {
	Account
	src    *Source
	full   bool
	fields map[string]any // see value
}

// viewLocked returns the view of a; t.mu must be held.
func (t *Tenant) viewLocked(a Account, full bool) *accountView {
	v := &accountView{Account: a, full: full}
	if src, ok := t.sources[a.SourceID]; ok {
		v.src = &src
	}
	return v
}

// value returns a field as filters and sorters see it. The fields are computed once per
// view, since a sort asks for them many times. The spec does not say what entitlements
// means as a field: the fake reads it as hasEntitlements. identity.correlated is true for
// an account with an identity and absent without one.
func (v *accountView) value(field string) any {
	switch {
	case field == "id": // every list sorts by it: spare building the fields
		return present(v.ID)
	case v.fields == nil:
		a, src := &v.Account, cmp.Or(v.src, &Source{})
		var correlated any // true or absent
		if a.IdentityID != "" {
			correlated = true
		}
		v.fields = map[string]any{"id": present(a.ID), "name": present(a.Name), "nativeIdentity": present(a.NativeIdentity),
			"uuid": present(a.UUID), "sourceId": present(a.SourceID), "identityId": present(a.IdentityID),
			"identity.name": present(a.IdentityName), "origin": present(a.Origin), "created": present(a.Created),
			"modified": present(a.Modified), "source.displayableName": present(src.Name),
			"source.connectionType": present(src.ConnectionType), "source.authoritative": flagValue(src.Authoritative),
			"hasEntitlements": a.HasEntitlements, "entitlements": a.HasEntitlements, "manuallyCorrelated": a.ManuallyCorrelated,
			"uncorrelated": flagValue(a.Uncorrelated), "identity.correlated": correlated,
		}
	}
	return v.fields[field]
}

// accountAnswer is an account as the API sends it.
type accountAnswer struct {
	Account
	SourceName     *string `json:"sourceName"` // null when the tenant has no such source
	Authoritative  bool    `json:"authoritative"`
	Identity       *Ref    `json:"identity,omitzero"`
	ConnectionType string  `json:"connectionType,omitzero"` // this and the rest: FULL only
	SourceOwner    *Ref    `json:"sourceOwner,omitzero"`
	Features       string  `json:"features,omitzero"` // the source's, comma-separated: the spec says a string
}

// MarshalJSON writes the account at its detail level. What SLIM leaves out is not
// documented: the fake sends attributes as null (the spec marks the field required and
// nullable), leaves out the optional fields taken from the source, and keeps the rest.
func (v *accountView) MarshalJSON() ([]byte, error) {
	ans := accountAnswer{Account: v.Account}
	if v.IdentityID != "" {
		ans.Identity = &Ref{Type: "IDENTITY", ID: v.IdentityID, Name: v.IdentityName}
	}
	if src := v.src; src != nil {
		ans.SourceName, ans.Authoritative = &src.Name, src.Authoritative != nil && *src.Authoritative
		if v.full {
			ans.ConnectionType, ans.SourceOwner, ans.Features = src.ConnectionType, src.Owner, strings.Join(src.Features, ",")
		}
	}
	if !v.full {
		ans.Attributes = nil
	}
	return json.Marshal(ans)
}

// serveAccounts answers an accounts list or get call, or an account usage call, that
// the gateway admitted. A list is in id order unless sorted, and leaves out forbidden
// accounts.
func (t *Tenant) serveAccounts(w http.ResponseWriter, r *http.Request, rt route) {
	if rt.op != OpListAccounts {
		a, ok := byID(t, w, t.accounts, "account", rt.accountID)
		if !ok {
			return
		}
		t.mu.Lock()
		v := t.viewLocked(a, true)
		t.mu.Unlock()
		if rt.op == OpGetAccount {
			writeJSON(w, http.StatusOK, v)
			return
		}
		// Account usage comes from the activity data of the account's source: without
		// it (the source's usage status is not COMPLETE) the real API has no usage for
		// the account. The fake then answers an empty list, as for an account with no
		// rows, rather than an error the spec does not describe.
		var rows []Usage
		if v.src != nil && v.src.UsageStatus == "COMPLETE" {
			rows = a.Usages
		}
		writeSummaries(w, r, rows)
		return
	}

	c, err := parseCollection(r.URL.RawQuery, accountSortable...)
	var match predicate
	level := c.query.Get("detailLevel")
	if err == nil && c.query.Has("detailLevel") && level != "SLIM" && level != "FULL" {
		err = badRequest("Invalid value '" + level + "' for query parameter 'detailLevel': must be SLIM or FULL.")
	}
	if err == nil {
		match, err = compileFilter(c.query.Get("filters"), accountFilters)
	}
	if err != nil {
		writeErrorDto(w, http.StatusBadRequest, detailBadRequest, err.Error())
		return
	}
	t.mu.Lock()
	rows := make([]*accountView, 0, len(t.accounts))
	for _, a := range t.accounts {
		rows = append(rows, t.viewLocked(a, level != "SLIM"))
	}
	t.mu.Unlock()
	rows = slices.DeleteFunc(rows, func(v *accountView) bool { return v.Forbidden || !match(v) })
	writePage(w, c, sortList(rows, c, t.unstableTies, (*accountView).value))
}
