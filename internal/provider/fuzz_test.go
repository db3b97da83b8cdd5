package provider

import (
	"testing"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/client"
)

// FuzzSourceIDValidation: every id the plan-time validator accepts, the client can address,
// under every API version; and no id with white space or control characters gets through.
func FuzzSourceIDValidation(f *testing.F) {
	for _, s := range []string{"2c9180835d191a86015d28455b4a2329", "a b", "..", ".", "", "a/b?c#d", "\u202e", "\t", "ключ", "%00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		if checkSourceID(id) != nil {
			return
		}
		for _, v := range client.APIVersions {
			if _, err := client.SourceUsagesPath(v, id, client.OpStatus); err != nil {
				t.Fatalf("%q passes plan-time validation but the client refuses it: %v", id, err)
			}
		}
		for _, r := range id {
			if r < 0x20 || r == 0x7f || r == ' ' {
				t.Fatalf("%q passed validation with %U", id, r)
			}
		}
	})
}
