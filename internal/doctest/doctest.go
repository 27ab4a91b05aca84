// Package doctest keeps the parameter tables in docs/*.md in step with the
// declarations they are generated from.
package doctest

import (
	"os"
	"strings"
	"testing"

	"github.com/stowage/stowage/configmap"
)

const begin, end = "<!-- params:begin -->\n", "<!-- params:end -->"

// CheckParamsTable fails t when the table between the params markers of the
// Markdown file at path differs from the one generated from params (a
// pointer to a parameter struct). With STOWAGE_UPDATE_DOCS=1 it rewrites
// the table instead.
func CheckParamsTable(t *testing.T, path string, params any) {
	t.Helper()
	table := configmap.Markdown(configmap.Describe(params))
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	i, j := strings.Index(doc, begin), strings.Index(doc, end)
	if i < 0 || j < i {
		t.Fatalf("%s lacks the %q ... %q markers", path, begin, end)
	}
	if doc[i+len(begin):j] == table {
		return
	}
	if os.Getenv("STOWAGE_UPDATE_DOCS") != "" {
		doc = doc[:i+len(begin)] + table + doc[j:]
		if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Fatalf("%s parameter table is stale; rerun the test with STOWAGE_UPDATE_DOCS=1", path)
}
