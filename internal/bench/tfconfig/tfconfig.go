// Package tfconfig writes the Terraform configurations and CLI configuration files of the
// plan benchmarks: N instances of one data source type (for_each over N source ids), and a
// dev_overrides CLI configuration that takes providers from local folders, so that
// `terraform plan` runs without `terraform init` and without any registry.
package tfconfig

import (
	"fmt"
	"sort"
	"strings"
)

// Provider is the provider a configuration uses.
type Provider struct {
	// LocalName is the name in required_providers and the data source prefix, e.g. "sailpoint".
	LocalName string
	// Source is the source address, e.g. "sailpoint-community/sailpoint".
	Source string
	// Settings are attributes of the provider block, written in key order. Values are HCL
	// expressions, written as given: strings must carry their own quotes.
	Settings map[string]string
}

// ForEach is how a configuration writes for_each. Terraform 1.5 evaluates the for_each
// expression again for every instance it plans, and iterating a set sorts it each time, so
// the form decides how Terraform's own cost grows with N; the benchmarks measure that too.
type ForEach int

const (
	// MapVariable is a variable of type map(string), name to source id, as in the
	// provider's examples: `for_each = var.source_ids`. The default.
	MapVariable ForEach = iota
	// SetLocal is a set built once in a local: `for_each = local.source_ids`.
	SetLocal
	// TosetInline converts a list on every evaluation: `for_each = toset(local.source_ids)`.
	TosetInline
)

// ForEachForms lists every form, the default first.
var ForEachForms = []ForEach{MapVariable, SetLocal, TosetInline}

// String returns the for_each expression of the form.
func (f ForEach) String() string {
	switch f {
	case MapVariable:
		return "var.source_ids"
	case SetLocal:
		return "local.source_ids"
	case TosetInline:
		return "toset(local.source_ids)"
	}
	return fmt.Sprintf("ForEach(%d)", int(f))
}

// Config is one benchmark configuration.
type Config struct {
	Provider Provider
	// DataSource is the data source type, e.g. "sailpoint_source_usage_status".
	DataSource string
	// SourceIDs are the source ids, one data source instance each.
	SourceIDs []string
	// ForEach is the form of the for_each expression.
	ForEach ForEach
}

// Validate reports a configuration that would not plan what it says.
func (c Config) Validate() error {
	switch {
	case c.Provider.LocalName == "" || c.Provider.Source == "":
		return fmt.Errorf("the provider needs a local name and a source")
	case !strings.HasPrefix(c.DataSource, c.Provider.LocalName+"_"):
		return fmt.Errorf("data source %q does not belong to provider %q", c.DataSource, c.Provider.LocalName)
	case len(c.SourceIDs) == 0:
		return fmt.Errorf("no source ids")
	case c.ForEach < MapVariable || c.ForEach > TosetInline:
		return fmt.Errorf("unknown for_each form %d", int(c.ForEach))
	}
	seen := make(map[string]bool, len(c.SourceIDs))
	for _, id := range c.SourceIDs {
		if seen[id] {
			// for_each over a set would silently plan fewer instances than asked for.
			return fmt.Errorf("source id %q is listed twice", id)
		}
		seen[id] = true
	}
	return nil
}

// ResourceName is the name of the data block, so addresses are data.<type>.bench["<id>"].
const ResourceName = "bench"

// MainTF renders the configuration as the text of a main.tf.
func (c Config) MainTF() (string, error) {
	if err := c.Validate(); err != nil {
		return "", err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "terraform {\n  required_providers {\n    %s = {\n      source = %q\n    }\n  }\n}\n\n", c.Provider.LocalName, c.Provider.Source)
	fmt.Fprintf(&b, "provider %q {\n", c.Provider.LocalName)
	for _, k := range sortedKeys(c.Provider.Settings) {
		fmt.Fprintf(&b, "  %s = %s\n", k, c.Provider.Settings[k])
	}
	b.WriteString("}\n\n")
	switch c.ForEach {
	case MapVariable:
		b.WriteString("variable \"source_ids\" {\n  type = map(string)\n  default = {\n")
		for i, id := range c.SourceIDs {
			fmt.Fprintf(&b, "    %q = %q\n", InstanceKey(i), id)
		}
		b.WriteString("  }\n}\n\n")
	case SetLocal:
		b.WriteString("locals {\n  source_ids = toset([\n")
		writeList(&b, c.SourceIDs)
		b.WriteString("  ])\n}\n\n")
	case TosetInline:
		b.WriteString("locals {\n  source_ids = [\n")
		writeList(&b, c.SourceIDs)
		b.WriteString("  ]\n}\n\n")
	}
	fmt.Fprintf(&b, "data %q %q {\n  for_each  = %s\n  source_id = each.value\n}\n", c.DataSource, ResourceName, c.ForEach)
	return b.String(), nil
}

// InstanceKey is the for_each key of the i-th source in the MapVariable form.
func InstanceKey(i int) string { return fmt.Sprintf("source_%04d", i) }

func writeList(b *strings.Builder, ids []string) {
	for _, id := range ids {
		fmt.Fprintf(b, "    %q,\n", id)
	}
}

// DevOverrides returns a CLI configuration that takes each provider address (e.g.
// registry.terraform.io/sailpoint-community/sailpoint) from its folder.
func DevOverrides(dirs map[string]string) string {
	var b strings.Builder
	b.WriteString("provider_installation {\n  dev_overrides {\n")
	for _, addr := range sortedKeys(dirs) {
		fmt.Fprintf(&b, "    %q = %q\n", addr, dirs[addr])
	}
	b.WriteString("  }\n  direct {}\n}\n")
	return b.String()
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
