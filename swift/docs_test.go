package swift_test

import (
	"os"
	"strings"
	"testing"

	"github.com/stowage/stowage/configmap"
	"github.com/stowage/stowage/swift"
)

// TestDocsTable checks that docs/swift.md carries the parameter table
// generated from Params (STOWAGE_UPDATE_DOCS=1 rewrites it).
func TestDocsTable(t *testing.T) {
	const begin, end = "<!-- params:begin -->\n", "<!-- params:end -->"
	table := configmap.Markdown(configmap.Describe(&swift.Params{}))
	b, err := os.ReadFile("../docs/swift.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	i, j := strings.Index(doc, begin), strings.Index(doc, end)
	if i < 0 || j < i {
		t.Fatalf("docs/swift.md lacks the %q ... %q markers", begin, end)
	}
	if doc[i+len(begin):j] == table {
		return
	}
	if os.Getenv("STOWAGE_UPDATE_DOCS") != "" {
		doc = doc[:i+len(begin)] + table + doc[j:]
		if err := os.WriteFile("../docs/swift.md", []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Fatalf("docs/swift.md parameter table is stale; run STOWAGE_UPDATE_DOCS=1 go test -run TestDocsTable ./swift/")
}
