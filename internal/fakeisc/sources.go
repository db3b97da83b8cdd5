package fakeisc

import (
	"maps"
	"net/http"
	"slices"
)

// Source is one ISC source: what the Sources API lists, and what the Source Usages API
// reports on it. The fields with a JSON name are the Sources API's, in the spec's order;
// each one is left out of answers when it is zero, since the API guarantees none of them.
type Source struct {
	ID                  string   `json:"id,omitzero"` // matched against the percent-decoded path segment
	Name                string   `json:"name,omitzero"`
	Description         string   `json:"description,omitzero"`
	Owner               *Ref     `json:"owner,omitzero"`   // {IDENTITY, id, name}
	Cluster             *Ref     `json:"cluster,omitzero"` // {CLUSTER, id, name}
	Features            []string `json:"features,omitzero"`
	Type                string   `json:"type,omitzero"` // "Active Directory", "Workday", ...
	Connector           string   `json:"connector,omitzero"`
	Authoritative       *bool    `json:"authoritative,omitzero"`
	ManagementWorkgroup *Ref     `json:"managementWorkgroup,omitzero"` // {GOVERNANCE_GROUP, id, name}
	Healthy             *bool    `json:"healthy,omitzero"`
	// Status is the source's health: SOURCE_STATE_HEALTHY, SOURCE_STATE_ERROR_*,
	// SOURCE_STATE_FAILURE_* or SOURCE_STATE_UNCHECKED_*. Not to be confused with
	// UsageStatus.
	Status         string `json:"status,omitzero"`
	Since          string `json:"since,omitzero"` // the last health check, RFC 3339
	ConnectorName  string `json:"connectorName,omitzero"`
	ConnectionType string `json:"connectionType,omitzero"` // "direct" or "file"
	Created        string `json:"created,omitzero"`        // RFC 3339
	Modified       string `json:"modified,omitzero"`       // RFC 3339
	Category       string `json:"category,omitzero"`

	// UsageStatus is returned verbatim by the usage status operation: COMPLETE,
	// INCOMPLETE or any other text (to test that clients pass it through); "" leaves the
	// field out.
	UsageStatus string  `json:"-"`
	Usages      []Usage `json:"-"` // the summaries rows, in the order the API returns them unsorted
	// IdentityNow marks the tenant's own IdentityNow source, which lists leave out unless
	// asked with includeIDNSource=true.
	IdentityNow bool `json:"-"`
	// Forbidden makes every call naming this source answer 403 with an ErrorResponseDto,
	// and lists leave it out, as the real API does for a source the caller may not see.
	Forbidden bool `json:"-"`
	// Deleted makes every call naming this source answer 404 while lists still show it:
	// a source deleted between a list and the reads that follow.
	Deleted bool `json:"-"`
}

// Ref is the Sources API's reference to another object.
type Ref struct {
	Type string `json:"type,omitzero"`
	ID   string `json:"id,omitzero"`
	Name string `json:"name,omitzero"`
}

// clone returns a deep copy, so that a caller changing its Source after PutSource does
// not race with requests reading it.
func (s Source) clone() Source {
	s.Owner, s.Cluster, s.ManagementWorkgroup = clonePtr(s.Owner), clonePtr(s.Cluster), clonePtr(s.ManagementWorkgroup)
	s.Authoritative, s.Healthy = clonePtr(s.Authoritative), clonePtr(s.Healthy)
	s.Features, s.Usages = slices.Clone(s.Features), cloneUsages(s.Usages)
	return s
}

// cloneUsages returns a deep copy of rows.
func cloneUsages(rows []Usage) []Usage {
	rows = slices.Clone(rows)
	for i := range rows {
		rows[i] = rows[i].clone()
	}
	return rows
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// sourceFilters are the filter operators the Sources API supports on each field (the
// spec's table).
var sourceFilters = filterable{booleans: []string{"authoritative", "healthy"}, ops: map[string]string{
	"id":                     "eq in ge gt le lt ne isnull sw",
	"name":                   "co eq in sw ge gt ne isnull",
	"type":                   "eq in ge gt ne isnull sw",
	"owner.id":               "eq in ge gt le lt ne isnull sw",
	"features":               "ca co",
	"created":                "eq ge gt in le lt ne isnull sw",
	"modified":               "eq ge gt in le lt ne isnull sw",
	"managementWorkgroup.id": "eq ge gt in le lt ne isnull sw",
	"description":            "eq sw",
	"authoritative":          "eq ne isnull",
	"healthy":                "isnull",
	"status":                 "eq in ge gt le lt ne isnull sw",
	"connectionType":         "eq ge gt in le lt ne isnull sw",
	"connectorName":          "eq ge gt in ne isnull sw",
	"category":               "co eq ge gt in le lt ne sw",
}}

// sortableFields are the fields the API sorts on (the spec's list). The fake does not
// model the correlation config and rule, so they sort as absent.
var sortableFields = []string{"type", "created", "modified", "name", "owner.name", "healthy", "status", "id",
	"description", "owner.id", "accountCorrelationConfig.id", "accountCorrelationConfig.name",
	"managerCorrelationRule.type", "managerCorrelationRule.id", "managerCorrelationRule.name", "authoritative",
	"managementWorkgroup.id", "connectorName", "connectionType"}

// value returns a field of s as filters and sorters see it: a string, a bool or (for
// features) a []string; nil when s has none.
func (s *Source) value(field string) any {
	ref := func(r *Ref, name bool) any {
		switch {
		case r == nil:
			return nil
		case name:
			return present(r.Name)
		}
		return present(r.ID)
	}
	switch field {
	case "owner.id", "owner.name":
		return ref(s.Owner, field == "owner.name")
	case "managementWorkgroup.id":
		return ref(s.ManagementWorkgroup, false)
	case "authoritative":
		return flagValue(s.Authoritative)
	case "healthy":
		return flagValue(s.Healthy)
	case "features":
		if s.Features == nil {
			return nil
		}
		return s.Features
	}
	return present(map[string]string{"id": s.ID, "name": s.Name, "type": s.Type, "created": s.Created,
		"modified": s.Modified, "description": s.Description, "status": s.Status, "category": s.Category,
		"connectionType": s.ConnectionType, "connectorName": s.ConnectorName}[field])
}

// present returns v, or nil for "".
func present(v string) any {
	if v == "" {
		return nil
	}
	return v
}

// flagValue returns *b, or nil for nil.
func flagValue(b *bool) any {
	if b == nil {
		return nil
	}
	return *b
}

// serveSources answers a list or get call that the gateway admitted for clientID.
//
// A list leaves out forbidden sources, and the IdentityNow source unless asked for. It is
// in id order unless sorted, and answers a sub-admin who does not pass for-subadmin with
// 403, as the API does. for-subadmin filters nothing: the fake does not model which
// sources a sub-admin administers.
func (t *Tenant) serveSources(w http.ResponseWriter, r *http.Request, rt route, clientID string) {
	if rt.op == OpGetSource {
		if src, ok := byID(t, w, t.sources, "source", rt.sourceID); ok {
			writeJSON(w, http.StatusOK, src)
		}
		return
	}
	t.mu.Lock()
	subadmin := t.subadmins[clientID]
	srcs := slices.Collect(maps.Values(t.sources))
	t.mu.Unlock()
	if subadmin && r.URL.Query().Get("for-subadmin") == "" {
		writeErrorDto(w, http.StatusForbidden, detailForbidden, "A SOURCE_SUBADMIN must pass for-subadmin (\"me\" or an identity id).")
		return
	}

	c, err := parseCollection(r.URL.RawQuery, sortableFields...)
	var includeIDN bool
	var match predicate
	if err == nil {
		includeIDN, err = boolParam(c.query, "includeIDNSource")
	}
	if err == nil {
		match, err = compileFilter(c.query.Get("filters"), sourceFilters)
	}
	if err != nil {
		writeErrorDto(w, http.StatusBadRequest, detailBadRequest, err.Error())
		return
	}
	srcs = slices.DeleteFunc(srcs, func(s Source) bool { return s.Forbidden || (s.IdentityNow && !includeIDN) || !match(&s) })
	writePage(w, c, sortList(srcs, c, t.unstableTies, func(s Source, field string) any { return s.value(field) }))
}

// visible is what byID needs to know of a stored source or account.
type visible interface {
	hidden() (forbidden, deleted bool)
}

func (s Source) hidden() (forbidden, deleted bool) { return s.Forbidden, s.Deleted }

// byID returns the object of the kind ("source", "account") that a call names from m (a
// map of the tenant's), or answers 403 or 404 for it. The result shares its slices with
// the tenant, which is safe because stored objects are never changed in place.
func byID[T visible](t *Tenant, w http.ResponseWriter, m map[string]T, kind, id string) (T, bool) {
	t.mu.Lock()
	v, ok := m[id]
	t.mu.Unlock()
	forbidden, deleted := v.hidden()
	switch {
	case ok && forbidden:
		writeErrorDto(w, http.StatusForbidden, detailForbidden, textForbidden)
	case !ok || deleted:
		writeErrorDto(w, http.StatusNotFound, detailNotFound, "The requested "+kind+" was not found: "+id)
	default:
		return v, true
	}
	var zero T
	return zero, false
}
