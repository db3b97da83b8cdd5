// Command benchprovider serves the sailpoint provider, exactly as main.go does, or the no-op
// baseline (internal/bench/noop), in debug mode: it prints TF_REATTACH_PROVIDERS and serves
// until interrupted, so that the benchmark runs both in the same plan and reads each one's
// CPU time and peak RSS when it exits. -cpuprofile writes a pprof CPU profile of the process.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"

	fwprovider "github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/bench/noop"
	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/provider"
)

func main() {
	which := flag.String("provider", "sailpoint", "sailpoint, or "+noop.TypeName+" for the baseline")
	profile := flag.String("cpuprofile", "", "write a CPU profile to this file")
	flag.Parse()
	if err := serve(*which, *profile); err != nil {
		fmt.Fprintln(os.Stderr, "benchprovider:", err)
		os.Exit(1)
	}
}

func serve(which, profile string) error {
	newProvider, address := provider.New("bench"), "registry.terraform.io/sailpoint-community/sailpoint"
	if which == noop.TypeName {
		newProvider, address = func() fwprovider.Provider { return noop.New() }, noop.Address
	}
	if profile != "" {
		f, err := os.Create(profile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	return providerserver.Serve(context.Background(), newProvider, providerserver.ServeOpts{
		Address: address, Debug: true, ProtocolVersion: 6,
	})
}
