// Command benchnoop serves the baseline provider of the plan benchmarks (package
// internal/bench/noopprovider) as a Terraform plugin, protocol 6.
package main

import (
	"context"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/bench/noopprovider"
)

func main() {
	err := providerserver.Serve(context.Background(), noopprovider.New, providerserver.ServeOpts{
		Address:         noopprovider.Address,
		ProtocolVersion: 6,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}
