package inmemory

import (
	"testing"

	"github.com/stowage/stowage/internal/doctest"
)

// TestDocsTable checks that docs/inmemory.md carries the parameter table
// generated from Params (STOWAGE_UPDATE_DOCS=1 rewrites it).
func TestDocsTable(t *testing.T) {
	doctest.CheckParamsTable(t, "../docs/inmemory.md", &Params{})
}
