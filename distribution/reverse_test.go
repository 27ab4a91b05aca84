package distribution_test

import (
	"sync"
	"testing"

	storagedriver "github.com/distribution/distribution/v3/registry/storage/driver"
	"github.com/stowage/stowage/conformance"
	"github.com/stowage/stowage/distribution"
	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/inmemory"
)

// hidden hides the Stowage method of a driver made by New, so that
// FromDistribution translates it instead of handing back the stowage
// driver.
type hidden struct{ storagedriver.StorageDriver }

// TestRoundTrip runs stowage's conformance suite on an inmemory driver
// translated to distribution's interface and back: each translation keeps
// every behaviour and error type the suite checks.
func TestRoundTrip(t *testing.T) {
	var mu sync.Mutex
	stores := map[string]*inmemory.Store{}
	conformance.Run(t, conformance.Harness{
		Open: func(t conformance.TB, root string) driver.StorageDriver {
			mu.Lock()
			defer mu.Unlock()
			s, ok := stores[root]
			if !ok {
				s = inmemory.NewStore()
				stores[root] = s
			}
			return distribution.FromDistribution(hidden{distribution.New(inmemory.NewShared(s))})
		},
		NoRedirect: true,
	})
}

func TestFromDistributionUnwraps(t *testing.T) {
	d := inmemory.NewShared(inmemory.NewStore())
	if got := distribution.FromDistribution(distribution.New(d)); got != d {
		t.Errorf("FromDistribution(New(d)) = %v, want d itself", got)
	}
}
