package filesystem

import (
	"testing"

	"github.com/stowage/stowage/internal/doctest"
)

// TestDocsTable checks that docs/filesystem.md carries the parameter table
// generated from Params (STOWAGE_UPDATE_DOCS=1 rewrites it).
func TestDocsTable(t *testing.T) {
	doctest.CheckParamsTable(t, "../docs/filesystem.md", &Params{})
}
