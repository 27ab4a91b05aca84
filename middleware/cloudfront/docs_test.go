package cloudfront

import (
	"os"
	"strings"
	"testing"

	"github.com/stowage/stowage/configmap"
)

// TestDocsTable checks that docs/cloudfront.md carries the parameter table
// generated from Params (STOWAGE_UPDATE_DOCS=1 rewrites it).
func TestDocsTable(t *testing.T) {
	const begin, end = "<!-- params:begin -->\n", "<!-- params:end -->"
	table := configmap.Markdown(configmap.Describe(&Params{}))
	b, err := os.ReadFile("../../docs/cloudfront.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	i, j := strings.Index(doc, begin), strings.Index(doc, end)
	if i < 0 || j < i {
		t.Fatalf("docs/cloudfront.md lacks the %q ... %q markers", begin, end)
	}
	if doc[i+len(begin):j] == table {
		return
	}
	if os.Getenv("STOWAGE_UPDATE_DOCS") != "" {
		doc = doc[:i+len(begin)] + table + doc[j:]
		if err := os.WriteFile("../../docs/cloudfront.md", []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Fatalf("docs/cloudfront.md parameter table is stale; run STOWAGE_UPDATE_DOCS=1 go test -run TestDocsTable ./middleware/cloudfront/")
}
