package s3

import (
	"os"
	"strings"
	"testing"

	"github.com/stowage/stowage/configmap"
)

// TestDocsTable checks that docs/s3.md carries the parameter table
// generated from Params (STOWAGE_UPDATE_DOCS=1 rewrites it).
func TestDocsTable(t *testing.T) {
	const begin, end = "<!-- params:begin -->\n", "<!-- params:end -->"
	table := configmap.Markdown(configmap.Describe(&Params{}))
	b, err := os.ReadFile("../docs/s3.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	i, j := strings.Index(doc, begin), strings.Index(doc, end)
	if i < 0 || j < i {
		t.Fatalf("docs/s3.md lacks the %q ... %q markers", begin, end)
	}
	if doc[i+len(begin):j] == table {
		return
	}
	if os.Getenv("STOWAGE_UPDATE_DOCS") != "" {
		doc = doc[:i+len(begin)] + table + doc[j:]
		if err := os.WriteFile("../docs/s3.md", []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Fatalf("docs/s3.md parameter table is stale; run STOWAGE_UPDATE_DOCS=1 go test -run TestDocsTable ./s3/")
}
