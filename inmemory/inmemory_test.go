package inmemory_test

import (
	"sync"
	"testing"

	"github.com/stowage/stowage/conformance"
	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/inmemory"
)

func harness() conformance.Harness {
	var mu sync.Mutex
	stores := map[string]*inmemory.Store{}
	return conformance.Harness{
		// Each root gets its own store; a second Open of the same root shares
		// it, as a second process would share a bucket.
		Open: func(t conformance.TB, root string) driver.StorageDriver {
			mu.Lock()
			defer mu.Unlock()
			s, ok := stores[root]
			if !ok {
				s = inmemory.NewStore()
				stores[root] = s
			}
			return inmemory.NewShared(s)
		},
		NoRedirect: true,
	}
}

func TestConformance(t *testing.T) { conformance.Run(t, harness()) }

func BenchmarkInmemory(b *testing.B) { conformance.Bench(b, harness()) }
