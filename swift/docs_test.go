package swift_test

import (
	"testing"

	"github.com/stowage/stowage/internal/doctest"
	"github.com/stowage/stowage/swift"
)

// TestDocsTable checks that docs/swift.md carries the parameter table
// generated from Params (STOWAGE_UPDATE_DOCS=1 rewrites it).
func TestDocsTable(t *testing.T) {
	doctest.CheckParamsTable(t, "../docs/swift.md", &swift.Params{})
}
