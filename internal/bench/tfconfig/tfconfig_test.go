package tfconfig

import (
	"strings"
	"testing"
)

func TestMainTF(t *testing.T) {
	c := Config{
		Provider: Provider{
			LocalName: "sailpoint",
			Source:    "sailpoint-community/sailpoint",
			Settings:  map[string]string{"requests_per_second": "1000", "api_version": `"v3"`},
		},
		DataSource: "sailpoint_source_usages",
		SourceIDs:  []string{"a1", "b2"},
	}
	header := `terraform {
  required_providers {
    sailpoint = {
      source = "sailpoint-community/sailpoint"
    }
  }
}

provider "sailpoint" {
  api_version = "v3"
  requests_per_second = 1000
}

`
	for _, tc := range []struct {
		form ForEach
		want string
	}{
		{MapVariable, `variable "source_ids" {
  type = map(string)
  default = {
    "source_0000" = "a1"
    "source_0001" = "b2"
  }
}

data "sailpoint_source_usages" "bench" {
  for_each  = var.source_ids
  source_id = each.value
}
`},
		{SetLocal, `locals {
  source_ids = toset([
    "a1",
    "b2",
  ])
}

data "sailpoint_source_usages" "bench" {
  for_each  = local.source_ids
  source_id = each.value
}
`},
		{TosetInline, `locals {
  source_ids = [
    "a1",
    "b2",
  ]
}

data "sailpoint_source_usages" "bench" {
  for_each  = toset(local.source_ids)
  source_id = each.value
}
`},
	} {
		t.Run(tc.form.String(), func(t *testing.T) {
			c.ForEach = tc.form
			got, err := c.MainTF()
			if err != nil {
				t.Fatal(err)
			}
			if want := header + tc.want; got != want {
				t.Fatalf("got:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	ok := Config{Provider: Provider{LocalName: "benchnoop", Source: "x/benchnoop"}, DataSource: "benchnoop_source_usages", SourceIDs: []string{"a"}}
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid config refused: %v", err)
	}
	for name, mutate := range map[string]func(*Config){
		"no ids":         func(c *Config) { c.SourceIDs = nil },
		"duplicate id":   func(c *Config) { c.SourceIDs = []string{"a", "a"} },
		"foreign type":   func(c *Config) { c.DataSource = "sailpoint_source_usages" },
		"no provider":    func(c *Config) { c.Provider = Provider{} },
		"no source addr": func(c *Config) { c.Provider.Source = "" },
		"unknown form":   func(c *Config) { c.ForEach = ForEach(9) },
	} {
		t.Run(name, func(t *testing.T) {
			c := ok
			mutate(&c)
			if _, err := c.MainTF(); err == nil {
				t.Fatal("MainTF accepted an invalid config")
			}
		})
	}
}

func TestDevOverrides(t *testing.T) {
	got := DevOverrides(map[string]string{
		"registry.terraform.io/sailpoint-community/sailpoint": "/b/sailpoint",
		"registry.terraform.io/sailpoint-community/benchnoop": "/b/noop",
	})
	want := `provider_installation {
  dev_overrides {
    "registry.terraform.io/sailpoint-community/benchnoop" = "/b/noop"
    "registry.terraform.io/sailpoint-community/sailpoint" = "/b/sailpoint"
  }
  direct {}
}
`
	if got != want {
		t.Fatalf("got:\n%s\nwant:\n%s", got, want)
	}
	if strings.Count(got, "=") != 2 {
		t.Fatal("one line per provider")
	}
}
