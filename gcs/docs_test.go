package gcs_test

import (
	"os"
	"strings"
	"testing"

	"github.com/stowage/stowage/configmap"
	"github.com/stowage/stowage/gcs"
)

// TestDocsTable checks that docs/gcs.md carries the parameter table
// generated from Params (STOWAGE_UPDATE_DOCS=1 rewrites it).
func TestDocsTable(t *testing.T) {
	const begin, end = "<!-- params:begin -->\n", "<!-- params:end -->"
	table := configmap.Markdown(configmap.Describe(&gcs.Params{}))
	b, err := os.ReadFile("../docs/gcs.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	i, j := strings.Index(doc, begin), strings.Index(doc, end)
	if i < 0 || j < i {
		t.Fatalf("docs/gcs.md lacks the %q ... %q markers", begin, end)
	}
	if doc[i+len(begin):j] == table {
		return
	}
	if os.Getenv("STOWAGE_UPDATE_DOCS") != "" {
		doc = doc[:i+len(begin)] + table + doc[j:]
		if err := os.WriteFile("../docs/gcs.md", []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Fatalf("docs/gcs.md parameter table is stale; run STOWAGE_UPDATE_DOCS=1 go test -run TestDocsTable ./gcs/")
}
