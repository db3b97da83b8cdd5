package provider

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/client"
)

var (
	_ datasource.DataSource              = (*sourcesDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*sourcesDataSource)(nil)
)

// defaultSourceSorters keeps the list, and so the plan, in the same order from run to run.
const defaultSourceSorters = "name"

// NewSourcesDataSource returns the sailpoint_sources data source.
func NewSourcesDataSource() datasource.DataSource {
	return &sourcesDataSource{}
}

type sourcesDataSource struct {
	dataSourceBase
}

type sourcesModel struct {
	Filters          types.String      `tfsdk:"filters"`
	Sorters          types.String      `tfsdk:"sorters"`
	ForSubadmin      types.String      `tfsdk:"for_subadmin"`
	IncludeIDNSource types.Bool        `tfsdk:"include_idn_source"`
	Limit            types.Int64       `tfsdk:"limit"`
	Sources          []sourceModel     `tfsdk:"sources"`
	IDs              map[string]string `tfsdk:"ids"`
}

func (d *sourcesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_sources"
}

// forSubadminAttribute is the for_subadmin argument of every data source that lists sources;
// uses says which of its calls it goes with.
func forSubadminAttribute(uses string) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: "`me`, or an identity id: sent with " + uses + " as `for-subadmin`, so that only the sources " +
			"that this source sub-admin administers are listed. Credentials of a source sub-admin must set it: without it " +
			"the API answers 403.",
		Optional:   true,
		Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
	}
}

// filtersAttribute is the filters argument of sailpoint_sources and the usage report.
func filtersAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: "Which sources, in SailPoint's filter grammar, sent to the API as is: e.g. " +
			"`type eq \"Active Directory - Direct\"`, `name sw \"AD \" and authoritative eq true`, " +
			"`id in (\"2c91...\", \"2c92...\")`. Strings are double-quoted, with `\\\"` and `\\\\` escapes; the API compares " +
			"them case-insensitively. Filterable fields: `id`, `name`, `type`, `owner.id`, `features`, `created`, `modified`, " +
			"`managementWorkgroup.id`, `description`, `authoritative`, `status`, `connectionType`, `connectorName`, " +
			"`category`, and `healthy` with `isnull` only (filter on health with `status`, or in HCL). Default: every source.",
		Optional:   true,
		Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
	}
}

func (d *sourcesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computedID := schema.StringAttribute{MarkdownDescription: "Id of the source.", Computed: true}
	computedName := schema.StringAttribute{MarkdownDescription: "Name of the source.", Computed: true}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the tenant's sources, every page of them (250 a page), from `GET /sources/v1` (or " +
			"`/{api_version}/sources`): all of them, or those a filter selects. `ids` maps each name to its id, ready for " +
			"`for_each`. The list is never partial: a failed page fails the read.",
		Attributes: map[string]schema.Attribute{
			"filters": filtersAttribute(),
			"sorters": schema.StringAttribute{
				MarkdownDescription: "Sort order, sent to the API as is: comma-separated fields, `-` for descending, e.g. " +
					"`type,-modified`. Sortable: `type`, `created`, `modified`, `name`, `owner.name`, `healthy`, `status`, `id`, " +
					"`description`, `owner.id`, `authoritative`, `managementWorkgroup.id`, `connectorName`, `connectionType`. " +
					"Default `name`, so the order is the same from plan to plan. The provider adds `id` as the last key " +
					"when the sorters do not name it (`type` is sent as `type,id`), so that sources that tie on the key " +
					"keep one order from page to page: without it a server may repeat some and drop others.",
				Optional:   true,
				Computed:   true,
				Validators: []validator.String{sortersSyntax()},
			},
			"for_subadmin": forSubadminAttribute("the list"),
			"include_idn_source": schema.BoolAttribute{
				MarkdownDescription: "Whether to include the tenant's built-in IdentityNow source. Default `false`.",
				Optional:            true,
				Computed:            true,
			},
			"limit": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("The most sources to return, from 1 to %d. Default: every source.", client.MaxSources),
				Optional:            true,
				Validators:          []validator.Int64{int64validator.Between(1, client.MaxSources)},
			},
			"sources": schema.ListNestedAttribute{
				MarkdownDescription: "The sources, in the order of `sorters`.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: sourceAttributes(computedID, computedName)},
			},
			"ids": schema.MapAttribute{
				MarkdownDescription: "Source name to source id, for `for_each = data.sailpoint_sources.x.ids`. Two sources " +
					"with the same name fail the read rather than lose one of them. A source the API sends without a name " +
					"(none should) is in `sources` only.",
				ElementType: types.StringType,
				Computed:    true,
			},
		},
	}
}

func (d *sourcesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m sourcesModel
	c := d.read(ctx, req, resp, &m)
	if c == nil {
		return
	}
	if m.Sorters.IsNull() || m.Sorters.IsUnknown() {
		m.Sorters = types.StringValue(defaultSourceSorters)
	}
	if m.IncludeIDNSource.IsNull() || m.IncludeIDNSource.IsUnknown() {
		m.IncludeIDNSource = types.BoolValue(false)
	}
	opts := client.SourcesOptions{
		Filters:          m.Filters.ValueString(),
		Sorters:          m.Sorters.ValueString(),
		ForSubadmin:      m.ForSubadmin.ValueString(),
		IncludeIDNSource: m.IncludeIDNSource.ValueBool(),
		Limit:            int(m.Limit.ValueInt64()),
	}
	sources, err := c.ListSources(ctx, opts)
	if err != nil {
		readFailure{summary: "Unable to list sources", context: listContext(opts), err: err, data: d.data}.
			add(&resp.Diagnostics, path.Root("filters"))
		return
	}
	m.Sources = make([]sourceModel, len(sources))
	for i, s := range sources {
		m.Sources[i] = newSourceModel(s)
	}
	ids, err := idsByName(sources)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("ids"), "Two sources have the same name", err.Error())
		return
	}
	m.IDs = ids
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// listContext states what a list call asked for, for its diagnostics.
func listContext(opts client.SourcesOptions) []client.Fact {
	var facts []client.Fact
	for _, f := range []client.Fact{{Label: "Filters", Value: opts.Filters}, {Label: "Sorters", Value: opts.Sorters}, {Label: "For sub-admin", Value: opts.ForSubadmin}} {
		if f.Value != "" {
			facts = append(facts, f)
		}
	}
	return facts
}

// idsByName maps each source's name to its id. Two sources of the same name are an error that
// names both: dropping one would hide it from every check that iterates the map.
func idsByName(sources []client.Source) (map[string]string, error) {
	ids := make(map[string]string, len(sources))
	var clashes []string
	for _, s := range sources {
		if s.Name == nil || s.ID == nil {
			continue // the API always sends both; a source without them cannot be addressed anyway
		}
		if other, ok := ids[*s.Name]; ok {
			clashes = append(clashes, fmt.Sprintf("%q is the name of %s and %s", *s.Name, other, *s.ID))
			continue
		}
		ids[*s.Name] = *s.ID
	}
	if len(clashes) > 0 {
		sort.Strings(clashes)
		return nil, fmt.Errorf("ids maps each source name to one id, but %s. Rename one of each pair in ISC, or "+
			"iterate over sources (keyed by id) instead of ids", strings.Join(clashes, "; "))
	}
	return ids, nil
}
