package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

var sourceIDPath = path.Root("source_id")

// configureData takes the provider's data for a data source. It is nil while Terraform
// validates a configuration, before the provider is configured.
func configureData(providerDataValue any, diags *diag.Diagnostics) *providerData {
	if providerDataValue == nil {
		return nil
	}
	data, ok := providerDataValue.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider; please report it.", providerDataValue))
		return nil
	}
	return data
}

func requireConfigured(data *providerData, diags *diag.Diagnostics) bool {
	if data == nil || data.client == nil {
		diags.AddError("SailPoint provider not configured",
			"The data source was read before the provider was configured. This is a bug in the provider or Terraform; please report it.")
		return false
	}
	return true
}
