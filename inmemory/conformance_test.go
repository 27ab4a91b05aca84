package inmemory_test

import (
	"sync"
	"testing"

	"github.com/stowage/stowage/conformance"
	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/inmemory"
)

// stores gives each root its own store; a second Open of the same root
// shares it, as a second process would share a bucket.
type stores struct {
	mu sync.Mutex
	m  map[string]*inmemory.Store
}

func (s *stores) get(root string) *inmemory.Store {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string]*inmemory.Store{}
	}
	st, ok := s.m[root]
	if !ok {
		st = inmemory.NewStore()
		s.m[root] = st
	}
	return st
}

func harness() conformance.Harness {
	s := &stores{}
	return conformance.Harness{
		Open: func(t conformance.TB, root string) driver.StorageDriver {
			return inmemory.NewShared(s.get(root))
		},
		NoRedirect: true,
		// Everything is held in memory: the large stream stays at 64 MiB
		// whatever STOWAGE_CONFORMANCE_LARGE says.
		LargeSize: 64 << 20,
		Inspector: inspector(s),
	}
}

func TestConformance(t *testing.T) { conformance.Run(t, harness()) }
