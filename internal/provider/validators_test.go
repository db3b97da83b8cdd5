package provider

import (
	"strings"
	"testing"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/client"
)

func TestCheckSourceID(t *testing.T) {
	for id, wantErr := range map[string]string{
		"2c9180835d191a86015d28455b4a2329": "",
		"a/b?c#d%2F":                       "",
		"quelle-é":                         "",
		"":                                 "empty",
		" a":                               "white space at byte 0",
		"a\u00a0b":                         "white space",
		"a\x00b":                           "control character U+0000",
		"a\u200bb":                         "control character U+200B",
		"..":                               "is not an id",
	} {
		err := checkSourceID(id)
		switch {
		case wantErr == "" && err != nil:
			t.Errorf("%q: unexpected %v", id, err)
		case wantErr != "" && (err == nil || !strings.Contains(err.Error(), wantErr)):
			t.Errorf("%q: error %v, want %q", id, err, wantErr)
		}
	}
}

func TestSortersPattern(t *testing.T) {
	for s, ok := range map[string]bool{
		"date": true, "-date": true, "date,-name": true, "a.b_c": true,
		"": false, " date": false, "date ": false, "date,": false, ",date": false, "--date": false, "+date": false, "date desc": false, "-": false, "1date": false,
	} {
		if got := sortersPattern.MatchString(s); got != ok {
			t.Errorf("%q: match %v, want %v", s, got, ok)
		}
	}
}

// FuzzSourceIDValidation: every id the plan-time validator accepts, the client can address;
// and no id with white space or control characters gets through.
func FuzzSourceIDValidation(f *testing.F) {
	for _, s := range []string{"2c9180835d191a86015d28455b4a2329", "a b", "..", ".", "", "a/b?c#d", "\u202e", "\t", "ключ", "%00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		if checkSourceID(id) != nil {
			return
		}
		if err := client.ValidateID(id); err != nil {
			t.Fatalf("%q passes plan-time validation but the client refuses it: %v", id, err)
		}
		for _, r := range id {
			if r < 0x20 || r == 0x7f || r == ' ' {
				t.Fatalf("%q passed validation with %U", id, r)
			}
		}
	})
}

func TestNameFilter(t *testing.T) {
	for name, want := range map[string]string{
		"Active Directory":     `name eq "Active Directory"`,
		`say "hi"`:             `name eq "say \"hi\""`,
		`C:\share`:             `name eq "C:\\share"`,
		`\"`:                   `name eq "\\\""`,
		"#1 & 100% Ünïcødé 名前": `name eq "#1 & 100% Ünïcødé 名前"`,
	} {
		if got := nameFilter(name); got != want {
			t.Errorf("nameFilter(%q) = %s, want %s", name, got, want)
		}
	}
}
