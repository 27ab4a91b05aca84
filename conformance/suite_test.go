package conformance_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stowage/stowage/conformance"
	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/inmemory"
)

// unwrapped returns a driver as a third-party adapter would hand it to
// the suite: not wrapped in driver.Base.
func unwrapped() driver.StorageDriver {
	return inmemory.NewShared(inmemory.NewStore()).(*driver.Base).Unwrap()
}

// TestSuiteWrapsThirdPartyDrivers checks that the suite wraps a driver
// that is not in driver.Base, so the path cases (which Base answers) pass.
func TestSuiteWrapsThirdPartyDrivers(t *testing.T) {
	h := conformance.Harness{Open: func(conformance.TB, string) driver.StorageDriver { return unwrapped() }}
	results := conformance.Check(context.Background(), h, "Paths/", nil)
	if len(results) == 0 {
		t.Fatal("no Paths/ case ran")
	}
	for _, r := range results {
		if r.Status != conformance.Passed {
			t.Errorf("%s on an unwrapped driver: %s %s", r.Case, r.Status, r.Message)
		}
	}
}

type panicky struct{ driver.StorageDriver }

func (panicky) Stat(context.Context, string) (driver.FileInfo, error) { panic("stat exploded") }

// TestSuiteReportsPanics checks that a driver that panics fails its case
// with the panic in the message instead of ending the test binary.
func TestSuiteReportsPanics(t *testing.T) {
	h := conformance.Harness{Open: func(conformance.TB, string) driver.StorageDriver { return panicky{unwrapped()} }}
	results := conformance.Check(context.Background(), h, "Stat/File", nil)
	if len(results) != 1 || results[0].Status != conformance.Failed || !strings.Contains(results[0].Message, "stat exploded") {
		t.Fatalf("results = %+v, want Stat/File failed with the panic", results)
	}
}
