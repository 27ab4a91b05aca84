package distribution_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/distribution/distribution/v3/configuration"
	"github.com/stowage/stowage/configmap"
	"github.com/stowage/stowage/driver"
)

// TestREADMEConfigs parses every storage example of README.md as
// distribution parses a config.yml (YAML v2 types, nested maps as
// map[any]any) and decodes its parameters with the stowage driver's own
// declaration, so a wrong or misspelt parameter in the docs fails here.
func TestREADMEConfigs(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllStringSubmatch(string(readme), -1)
	seen := map[string]bool{}
	for _, b := range blocks {
		if !strings.HasPrefix(b[1], "storage:") {
			continue
		}
		cfg, err := configuration.Parse(strings.NewReader("version: 0.1\n" + b[1]))
		if err != nil {
			t.Errorf("README example does not parse: %v\n%s", err, b[1])
			continue
		}
		name := cfg.Storage.Type()
		seen[name] = true
		fac, ok := driver.Lookup(name)
		if !ok {
			t.Errorf("README example for %q: no such stowage driver", name)
			continue
		}
		pd, ok := fac.(driver.ParamsDeclarer)
		if !ok {
			t.Errorf("%s: the factory declares no parameters", name)
			continue
		}
		if err := configmap.Decode(cfg.Storage.Parameters(), pd.NewParams()); err != nil {
			t.Errorf("README example for %s: %v", name, err)
		}
	}
	for _, n := range []string{"s3", "gcs", "azure", "swift", "oss", "filesystem", "inmemory"} {
		if !seen[n] {
			t.Errorf("README has no config example for %s", n)
		}
	}
}
