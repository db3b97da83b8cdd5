// Command h1hash prints the h1: hash that Terraform and OpenTofu record in
// .terraform.lock.hcl for a provider zip installed from a filesystem mirror: the Go modules'
// dirhash "h1" of the files inside the zip (Terraform's getproviders.PackageHashV1 calls the
// same dirhash.HashZip). scripts/release-check.sh compares it with the lock files.
//
//	go run ./scripts/h1hash terraform-provider-sailpoint_0.1.0_linux_amd64.zip
package main

import (
	"fmt"
	"os"

	"golang.org/x/mod/sumdb/dirhash"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: h1hash FILE.zip")
		os.Exit(2)
	}
	h, err := dirhash.HashZip(os.Args[1], dirhash.Hash1)
	if err != nil {
		fmt.Fprintln(os.Stderr, "h1hash:", err)
		os.Exit(1)
	}
	fmt.Println(h)
}
