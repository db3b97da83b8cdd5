package fakeisc

import (
	"net/url"
	"strings"
)

// Op names, as recorded in Request.Op and matched by Fault.Op.
const (
	OpToken     = "token"     // POST /oauth/token
	OpStatus    = "status"    // GET .../source-usages/{sourceId}/status
	OpSummaries = "summaries" // GET .../source-usages/{sourceId}/summaries
	OpAdmin     = "admin"     // the fake's own /__fake/ endpoints
	OpUnknown   = "unknown"   // anything else: answered 404
)

// Versions returns the API versions the fake serves: the path form
// /{version}/source-usages/{sourceId}/... for all but "v1", which is the per-service form
// /source-usages/v1/{sourceId}/... that the newest SDKs call.
func Versions() []string {
	return []string{"v3", "beta", "v2024", "v2025", "v2026", "v1"}
}

// APIPath returns the path of op (OpStatus or OpSummaries) for sourceID in version, with
// the id escaped as one path segment, so tests and the demo build URLs the way a correct
// client does.
func APIPath(version, op, sourceID string) string {
	id := url.PathEscape(sourceID)
	if version == "v1" {
		return "/source-usages/v1/" + id + "/" + op
	}
	return "/" + version + "/source-usages/" + id + "/" + op
}

// adminPrefix starts every admin path. The real API has no such path.
const adminPrefix = "/__fake/"

// route is what a request path names.
type route struct {
	op       string
	version  string // "" for token, admin and unknown
	sourceID string // percent-decoded; "" unless op is status or summaries
	admin    string // the admin path after adminPrefix
}

// parseRoute maps an escaped path onto a route. It works on the escaped form so that the
// source id is exactly one raw path segment: a%2Fb is the id "a/b", never two segments,
// and ".." is an id like any other rather than a step up (the real gateway does not
// clean paths either, and a client that fails to escape ids should see a 404, not luck).
func parseRoute(escapedPath string) route {
	switch {
	case escapedPath == "/oauth/token":
		return route{op: OpToken}
	case strings.HasPrefix(escapedPath, adminPrefix):
		return route{op: OpAdmin, admin: strings.TrimPrefix(escapedPath, adminPrefix)}
	}

	segs := strings.Split(strings.TrimPrefix(escapedPath, "/"), "/")
	if len(segs) != 4 {
		return route{op: OpUnknown}
	}
	var version, rawID string
	switch {
	case segs[0] == "source-usages" && segs[1] == "v1":
		version, rawID = "v1", segs[2]
	case segs[1] == "source-usages" && isPathVersion(segs[0]):
		version, rawID = segs[0], segs[2]
	default:
		return route{op: OpUnknown}
	}
	var op string
	switch segs[3] {
	case "status":
		op = OpStatus
	case "summaries":
		op = OpSummaries
	default:
		return route{op: OpUnknown}
	}
	id, err := url.PathUnescape(rawID)
	if err != nil || id == "" {
		return route{op: OpUnknown}
	}
	return route{op: op, version: version, sourceID: id}
}

// isPathVersion reports whether v is a version served in the /{version}/source-usages form.
func isPathVersion(v string) bool {
	switch v {
	case "v3", "beta", "v2024", "v2025", "v2026":
		return true
	}
	return false
}
