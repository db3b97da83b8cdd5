package provider

import (
	"context"
	"fmt"
	"regexp"
	"unicode"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/sailpoint-community/terraform-provider-sailpoint/internal/client"
)

// stringCheck is a plan-time validator built from a check function. Null and unknown values
// pass: unknown ones are checked again once known.
type stringCheck struct {
	description string
	summary     string
	check       func(string) error
}

var _ validator.String = stringCheck{}

func (v stringCheck) Description(context.Context) string         { return v.description }
func (v stringCheck) MarkdownDescription(context.Context) string { return v.description }

func (v stringCheck) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := v.check(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, v.summary, err.Error())
	}
}

// endpointURL accepts an absolute https URL, or http for a loopback host.
func endpointURL() validator.String {
	return stringCheck{
		description: "must be an absolute https URL (http only for loopback hosts)",
		summary:     "Invalid URL",
		check: func(s string) error {
			_, err := client.ValidateEndpointURL(s)
			return err
		},
	}
}

// baseURL accepts an endpoint URL whose path does not end in an API version.
func baseURL() validator.String {
	return stringCheck{
		description: "must be an absolute https URL (http only for loopback hosts) without an API version at the end",
		summary:     "Invalid URL",
		check: func(s string) error {
			_, err := client.ValidateBaseURL(s)
			return err
		},
	}
}

func tenantName() validator.String {
	return stringCheck{
		description: "must be a tenant name such as acme",
		summary:     "Invalid tenant",
		check: func(s string) error {
			_, err := client.TenantBaseURL(s)
			return err
		},
	}
}

func positiveDuration() validator.String {
	return stringCheck{
		description: "must be a positive Go duration such as 30s",
		summary:     "Invalid duration",
		check: func(s string) error {
			_, err := parsePositiveDuration(s)
			return err
		},
	}
}

// sourceID accepts any id that is not empty and has no white space or control characters.
// Everything else, "/", "?", "%" and non-ASCII letters included, is allowed here and escaped
// in the request path.
func sourceID() validator.String { return objectID("source") }

// accountID is sourceID for account ids.
func accountID() validator.String { return objectID("account") }

func objectID(what string) validator.String {
	return stringCheck{
		description: "must be a non-empty " + what + " id without white space or control characters",
		summary:     "Invalid " + what + " id",
		check:       func(s string) error { return checkID(what, s) },
	}
}

// checkSourceID checks a source id; see sourceID.
func checkSourceID(s string) error { return checkID("source", s) }

func checkID(what, s string) error {
	if s == "" {
		return fmt.Errorf("the %s id is empty: give the id of an ISC %s, e.g. \"2c9180835d191a86015d28455b4a2329\"", what, what)
	}
	for i, r := range s {
		switch {
		case r == unicode.ReplacementChar:
			return fmt.Errorf("the %s id %q is not valid UTF-8 at byte %d", what, s, i)
		case unicode.IsSpace(r):
			return fmt.Errorf("the %s id %q contains white space at byte %d; %s ids have none (a stray space or newline from a variable?)", what, s, i, what)
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			return fmt.Errorf("the %s id %q contains the control character %U at byte %d", what, s, r, i)
		}
	}
	return client.ValidateID(s)
}

// knownStrings returns the elements of a list or set argument. The argument's NoNullValues
// validator refuses a null element at plan time; a value only known at apply time reaches the
// read unvalidated, and is refused here in the same words rather than left to the framework's
// conversion, which calls it a bug in the provider.
func knownStrings(diags *diag.Diagnostics, at path.Path, values []types.String) ([]string, bool) {
	out := make([]string, 0, len(values))
	for _, v := range values {
		if v.IsNull() || v.IsUnknown() {
			diags.AddAttributeError(at, "Null Set Value", "This attribute contains a null value.")
			return nil, false
		}
		out = append(out, v.ValueString())
	}
	return out, true
}

// nonNegativeNumber accepts a known number of zero or more.
func nonNegativeNumber() validator.Number { return nonNegative{} }

type nonNegative struct{}

func (nonNegative) Description(context.Context) string         { return "must be zero or more" }
func (nonNegative) MarkdownDescription(context.Context) string { return "must be zero or more" }

func (nonNegative) ValidateNumber(_ context.Context, req validator.NumberRequest, resp *validator.NumberResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if v := req.ConfigValue.ValueBigFloat(); v.Sign() < 0 {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid number", fmt.Sprintf("must be zero or more, got %s", v.Text('g', -1)))
	}
}

var sortersPattern = regexp.MustCompile(`^-?[A-Za-z][A-Za-z0-9_.]*(,-?[A-Za-z][A-Za-z0-9_.]*)*$`)

// sortersSyntax accepts the API's sort syntax: comma-separated field names, each optionally
// prefixed with "-" for descending order. Which fields are sortable is the API's call, so an
// unsupported field reaches the API and comes back as its own 400 message.
func sortersSyntax() validator.String {
	return stringCheck{
		description: `must be comma-separated field names, each optionally prefixed with "-", e.g. "-date"`,
		summary:     "Invalid sorters",
		check: func(s string) error {
			if !sortersPattern.MatchString(s) {
				return fmt.Errorf("sorters %q is not a sort expression: use comma-separated field names, each optionally "+
					"prefixed with \"-\" for descending order and without spaces, e.g. \"-date\" or \"type,-modified\"", s)
			}
			return nil
		},
	}
}
