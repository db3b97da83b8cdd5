package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/client"
)

var (
	_ datasource.DataSource              = (*sourceDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*sourceDataSource)(nil)
)

// NewSourceDataSource returns the sailpoint_source data source.
func NewSourceDataSource() datasource.DataSource {
	return &sourceDataSource{}
}

type sourceDataSource struct {
	dataSourceBase
}

func (d *sourceDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_source"
}

func (d *sourceDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	id := schema.StringAttribute{
		MarkdownDescription: "Id of the source to read (`GET /sources/v1/{id}`). Exactly one of `id` and `name` must be set.",
		Optional:            true,
		Computed:            true,
		Validators:          []validator.String{sourceID(), stringvalidator.ExactlyOneOf(path.MatchRoot("name"))},
	}
	name := schema.StringAttribute{
		MarkdownDescription: "Name of the source to find, exactly as in ISC (the API compares names case-insensitively). Any " +
			"character is fine: quotes, backslashes, `#`, `&`, `%` and non-ASCII letters are escaped for the filter " +
			"`name eq \"...\"`. No match, or more than one, is an error.",
		Optional:   true,
		Computed:   true,
		Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
	}
	forSubadmin := forSubadminAttribute("the lookup by name (a lookup by id needs none)")
	forSubadmin.Validators = append(forSubadmin.Validators, stringvalidator.ConflictsWith(path.MatchRoot("id")))
	attrs := sourceAttributes(id, name)
	attrs["for_subadmin"] = forSubadmin
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one ISC source, by id or by name, with one request: the same fields as an element of " +
			"`sailpoint_sources`. A lookup by name finds the tenant's built-in IdentityNow source too.",
		Attributes: attrs,
	}
}

func (d *sourceDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m sourceLookupModel
	c := d.read(ctx, req, resp, &m)
	if c == nil {
		return
	}
	var src client.Source
	if !m.ID.IsNull() {
		id := m.ID.ValueString()
		var err error
		if src, err = c.GetSource(ctx, id); err != nil {
			readFailure{summary: fmt.Sprintf("Unable to read source %q", id), err: err, data: d.data}.add(&resp.Diagnostics, path.Root("id"))
			return
		}
	} else {
		name := m.Name.ValueString()
		// The built-in IdentityNow source has a name like any other, so the lookup includes it.
		opts := client.SourcesOptions{Filters: nameFilter(name), Sorters: defaultSourceSorters, IncludeIDNSource: true,
			ForSubadmin: m.ForSubadmin.ValueString()}
		found, err := c.ListSources(ctx, opts)
		if err != nil {
			readFailure{summary: fmt.Sprintf("Unable to look up source %q", name), context: listContext(opts), err: err, data: d.data}.
				add(&resp.Diagnostics, path.Root("name"))
			return
		}
		if src, err = oneByName(name, found); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("name"), fmt.Sprintf("No single source named %q", name), err.Error())
			return
		}
	}
	m.sourceModel = newSourceModel(src)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// sourceLookupModel is sailpoint_source: how to find the source, and the source.
type sourceLookupModel struct {
	sourceModel
	ForSubadmin types.String `tfsdk:"for_subadmin"`
}

// nameFilter is the filter that selects the sources named name: the grammar's string escapes
// (\" and \\) here, and the URL encoding of the whole query by the client.
func nameFilter(name string) string {
	return "name eq " + client.FilterString(name)
}

// oneByName picks the source a name lookup found. The API compares names case-insensitively,
// so two sources may answer one name; the one named exactly so wins, else it is an error.
func oneByName(name string, found []client.Source) (client.Source, error) {
	if len(found) == 1 {
		return found[0], nil
	}
	var exact []client.Source
	for _, s := range found {
		if s.Name != nil && *s.Name == name {
			exact = append(exact, s)
		}
	}
	if len(exact) == 1 {
		return exact[0], nil
	}
	if len(found) == 0 {
		return client.Source{}, fmt.Errorf("no source in this tenant has the name %q (the API compares names "+
			"case-insensitively). data.sailpoint_sources lists every source and its name", name)
	}
	slices.SortFunc(found, func(a, b client.Source) int { return strings.Compare(deref(a.ID), deref(b.ID)) })
	list := make([]string, len(found))
	for i, s := range found {
		list[i] = fmt.Sprintf("%s (%q)", deref(s.ID), deref(s.Name))
	}
	return client.Source{}, fmt.Errorf("%d sources answer to the name %q: %s; look the one you mean up by id instead",
		len(found), name, strings.Join(list, ", "))
}

func deref(s *string) string {
	if s == nil {
		return "(none)"
	}
	return *s
}
