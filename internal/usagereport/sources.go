package usagereport

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/client"
)

// Client is what the reports need of the ISC client.
type Client interface {
	ListSources(ctx context.Context, opts client.SourcesOptions) ([]client.Source, error)
	GetSource(ctx context.Context, id string) (client.Source, error)
	GetSourceUsageStatus(ctx context.Context, id string) (client.SourceUsageStatus, error)
	ListSourceUsages(ctx context.Context, id string, opts client.UsagesOptions) ([]client.Usage, error)
	Config() client.Config
}

// SourcesOptions say which sources a source report covers and what counts as unused.
type SourcesOptions struct {
	// SourceIDs, when set, are the sources to cover; else Filters selects them (SailPoint's
	// filter grammar; empty: every source but the tenant's built-in IdentityNow source).
	SourceIDs []string
	Filters   string
	// ForSubadmin is passed to every list call: "me", or a source sub-admin's identity id.
	ForSubadmin string
	Criteria
	Progress Progress
}

// Source is one source of the report.
type Source struct {
	ID                string
	Name              *string
	Status            *string // the usage status: COMPLETE, INCOMPLETE, or what the API adds later
	InsightsAvailable bool
	Rows              []client.Usage // the rows that count, see Criteria.Months
	Unused            bool
}

// SourceReport is the answer. Its id lists are sorted.
type SourceReport struct {
	Sources         []Source // by id, missing sources left out
	Unused          []string
	WithoutInsights []string
	// Missing are the sources that do not exist: ids in SourceIDs that the Sources API does
	// not know, and listed sources that the Sources API no longer finds when their usage
	// calls answer 404 (deleted while the report was read).
	Missing []string
}

// SourceError is a failure to read one source.
type SourceError struct {
	ID   string
	Name *string
	Err  error
}

func (e *SourceError) Error() string { return fmt.Sprintf("source %s: %v", e.ID, e.Err) }
func (e *SourceError) Unwrap() error { return e.Err }

// idsPerFilter is how many ids one `id in (...)` filter names: about 2 KB of URL, far below
// what gateways accept.
const idsPerFilter = 50

// statusComplete is the usage status that means insights are available.
const statusComplete = "COMPLETE"

// Sources builds a source report: the sources, then each one's usage status and, for those
// with insights, its monthly summaries.
func Sources(ctx context.Context, c Client, opts SourcesOptions) (*SourceReport, error) {
	targets, missing, err := listSources(ctx, c, opts)
	if err != nil {
		return nil, err
	}
	results := make([]Source, len(targets))
	vanished := make([]bool, len(targets))
	err = readEach(ctx, c, len(targets), opts.Progress, func(ctx context.Context, i int) error {
		var err error
		if results[i], vanished[i], err = readSource(ctx, c, targets[i], opts.Criteria); err != nil {
			return &SourceError{ID: targets[i].id, Name: targets[i].name, Err: err}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}

	r := &SourceReport{Missing: missing}
	for i, s := range results {
		switch {
		case vanished[i]:
			r.Missing = append(r.Missing, s.ID)
			continue
		case !s.InsightsAvailable:
			r.WithoutInsights = append(r.WithoutInsights, s.ID)
		case s.Unused:
			r.Unused = append(r.Unused, s.ID)
		}
		r.Sources = append(r.Sources, s)
	}
	slices.Sort(r.Missing)
	return r, nil
}

type target struct {
	id   string
	name *string
}

// listSources lists the sources to cover, sorted by id, and the ids asked for that do not
// exist. For SourceIDs the list serves to learn names and to confirm that each source exists:
// `id in (...)` filters, 50 ids a call, with the built-in IdentityNow source included, since
// its id is as good as any other; an id the list does not return is missing, with no usage
// call. Without SourceIDs the tenant-wide list keeps the API's default and leaves that source
// out.
func listSources(ctx context.Context, c Client, opts SourcesOptions) (targets []target, missing []string, err error) {
	if len(opts.SourceIDs) == 0 {
		sources, err := c.ListSources(ctx, client.SourcesOptions{Filters: opts.Filters, Sorters: "id", ForSubadmin: opts.ForSubadmin})
		if err != nil {
			return nil, nil, err
		}
		for _, s := range sources {
			if s.ID != nil {
				targets = append(targets, target{id: *s.ID, name: s.Name})
			}
		}
	} else {
		ids := slices.Compact(slices.Sorted(slices.Values(opts.SourceIDs)))
		found := map[string]*string{}
		for batch := range slices.Chunk(ids, idsPerFilter) {
			quoted := make([]string, len(batch))
			for i, id := range batch {
				quoted[i] = client.FilterString(id)
			}
			sources, err := c.ListSources(ctx, client.SourcesOptions{Filters: "id in (" + strings.Join(quoted, ",") + ")",
				Sorters: "id", ForSubadmin: opts.ForSubadmin, IncludeIDNSource: true})
			if err != nil {
				return nil, nil, err
			}
			for _, s := range sources {
				if s.ID != nil {
					found[*s.ID] = s.Name
				}
			}
		}
		for _, id := range ids {
			if name, ok := found[id]; ok {
				targets = append(targets, target{id: id, name: name})
			} else {
				missing = append(missing, id)
			}
		}
	}
	slices.SortFunc(targets, func(a, b target) int { return strings.Compare(a.id, b.id) })
	return slices.CompactFunc(targets, func(a, b target) bool { return a.id == b.id }), missing, nil
}

// sourceExists says how gone found a source to exist.
const sourceExists = "the Sources API has this source (GET /sources/{id} answered 200 OK)"

// confirmSource looks a source up by id, for gone.
func confirmSource(c Client, id string) func(context.Context) error {
	return func(ctx context.Context) error {
		_, err := c.GetSource(ctx, id)
		return err
	}
}

// readSource reads one source: its usage status and, with insights, its summaries. It reports
// whether the source is gone: a 404 from either call that GET /sources/{id} confirms.
func readSource(ctx context.Context, c Client, t target, criteria Criteria) (Source, bool, error) {
	s := Source{ID: t.id, Name: t.name, Rows: []client.Usage{}}
	confirm := confirmSource(c, t.id)
	st, err := c.GetSourceUsageStatus(ctx, t.id)
	if err != nil {
		isGone, err := gone(ctx, err, confirm, sourceExists)
		return s, isGone, err
	}
	s.Status = st.Status
	s.InsightsAvailable = st.Status != nil && *st.Status == statusComplete
	if !s.InsightsAvailable {
		return s, false, nil // no insights, nothing to read: no summaries request
	}
	rows, err := c.ListSourceUsages(ctx, t.id, client.UsagesOptions{Sorters: "-date"})
	if err != nil {
		isGone, err := gone(ctx, err, confirm, sourceExists)
		return s, isGone, err
	}
	s.Rows, s.Unused = criteria.judge(rows)
	return s, false, nil
}
