package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/client"
)

// sourceModel is one ISC source, as sailpoint_source and each element of sailpoint_sources
// show it. A field the API left out is null.
type sourceModel struct {
	ID             types.String `tfsdk:"id"`
	Name           types.String `tfsdk:"name"`
	Description    types.String `tfsdk:"description"`
	Type           types.String `tfsdk:"type"`
	ConnectorName  types.String `tfsdk:"connector_name"`
	ConnectionType types.String `tfsdk:"connection_type"`
	Category       types.String `tfsdk:"category"`
	Authoritative  types.Bool   `tfsdk:"authoritative"`
	Healthy        types.Bool   `tfsdk:"healthy"`
	Status         types.String `tfsdk:"status"`
	Since          types.String `tfsdk:"since"`
	Created        types.String `tfsdk:"created"`
	Modified       types.String `tfsdk:"modified"`
	OwnerID        types.String `tfsdk:"owner_id"`
	OwnerName      types.String `tfsdk:"owner_name"`
	ClusterID      types.String `tfsdk:"cluster_id"`
	ClusterName    types.String `tfsdk:"cluster_name"`
	Features       []string     `tfsdk:"features"`
}

func newSourceModel(s client.Source) sourceModel {
	m := sourceModel{
		ID:             types.StringPointerValue(s.ID),
		Name:           types.StringPointerValue(s.Name),
		Description:    types.StringPointerValue(s.Description),
		Type:           types.StringPointerValue(s.Type),
		ConnectorName:  types.StringPointerValue(s.ConnectorName),
		ConnectionType: types.StringPointerValue(s.ConnectionType),
		Category:       types.StringPointerValue(s.Category),
		Authoritative:  types.BoolPointerValue(s.Authoritative),
		Healthy:        types.BoolPointerValue(s.Healthy),
		Status:         types.StringPointerValue(s.Status),
		Since:          types.StringPointerValue(s.Since),
		Created:        types.StringPointerValue(s.Created),
		Modified:       types.StringPointerValue(s.Modified),
		OwnerID:        types.StringNull(),
		OwnerName:      types.StringNull(),
		ClusterID:      types.StringNull(),
		ClusterName:    types.StringNull(),
	}
	if s.Owner != nil {
		m.OwnerID, m.OwnerName = types.StringPointerValue(s.Owner.ID), types.StringPointerValue(s.Owner.Name)
	}
	if s.Cluster != nil {
		m.ClusterID, m.ClusterName = types.StringPointerValue(s.Cluster.ID), types.StringPointerValue(s.Cluster.Name)
	}
	if s.Features != nil {
		m.Features = append([]string{}, *s.Features...) // empty, not null, when the API sent []
	}
	return m
}

// sourceAttributes is the schema of sourceModel. idAndName are the schema of id and name,
// which sailpoint_source takes as arguments.
func sourceAttributes(id, name schema.StringAttribute) map[string]schema.Attribute {
	computed := func(description string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: description, Computed: true}
	}
	return map[string]schema.Attribute{
		"id":              id,
		"name":            name,
		"description":     computed("Description."),
		"type":            computed("Type of the source, as shown in the admin UI, e.g. `Active Directory - Direct`."),
		"connector_name":  computed("Name of the connector, e.g. `Active Directory`."),
		"connection_type": computed("`direct` or `file`."),
		"category":        computed("Category, e.g. `CredentialProvider`; null for most sources."),
		"authoritative": schema.BoolAttribute{
			MarkdownDescription: "Whether the source is authoritative (a source of identities).",
			Computed:            true,
		},
		"healthy": schema.BoolAttribute{
			MarkdownDescription: "Whether the source was healthy at its last health check (see `status` and `since`).",
			Computed:            true,
		},
		"status":       computed("Health status, e.g. `SOURCE_STATE_HEALTHY` or `SOURCE_STATE_ERROR_ACCOUNT_FILE_IMPORT`. Not the usage-insights status: that is `sailpoint_source_usage_status`."),
		"since":        computed("When the health status was last checked (RFC 3339)."),
		"created":      computed("When the source was created (RFC 3339)."),
		"modified":     computed("When the source was last changed (RFC 3339)."),
		"owner_id":     computed("Id of the identity that owns the source."),
		"owner_name":   computed("Name of the identity that owns the source."),
		"cluster_id":   computed("Id of the virtual appliance cluster the source connects through; null for cloud sources."),
		"cluster_name": computed("Name of that cluster."),
		"features": schema.ListAttribute{
			MarkdownDescription: "Features of the source's connector, e.g. `AUTHENTICATE`, `PROVISIONING`; null if the API sent none.",
			ElementType:         types.StringType,
			Computed:            true,
		},
	}
}
