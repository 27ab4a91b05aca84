package driver

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// MiddlewareFactory wraps a driver with a storage middleware configured by
// options, as in the reference registry's middleware: storage: list.
type MiddlewareFactory func(ctx context.Context, next StorageDriver, options map[string]any) (StorageDriver, error)

// MiddlewareConfig names one storage middleware and its options.
type MiddlewareConfig struct {
	Name    string         `yaml:"name"`
	Options map[string]any `yaml:"options"`
}

var middlewares = struct {
	sync.RWMutex
	m map[string]MiddlewareFactory
}{m: map[string]MiddlewareFactory{}}

// RegisterMiddleware makes a storage middleware available under name. It
// panics on an empty name, a nil factory or a duplicate registration.
func RegisterMiddleware(name string, f MiddlewareFactory) {
	if name == "" || f == nil {
		panic("driver: RegisterMiddleware needs a name and a factory")
	}
	middlewares.Lock()
	defer middlewares.Unlock()
	if _, dup := middlewares.m[name]; dup {
		panic(fmt.Sprintf("driver: RegisterMiddleware called twice for %q", name))
	}
	middlewares.m[name] = f
}

// MiddlewareNames returns the registered middleware names, sorted.
func MiddlewareNames() []string {
	middlewares.RLock()
	defer middlewares.RUnlock()
	names := make([]string, 0, len(middlewares.m))
	for n := range middlewares.m {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// ApplyMiddleware wraps d with each configured middleware, in order: the
// first in the list wraps d, the next wraps that, and so on.
func ApplyMiddleware(ctx context.Context, d StorageDriver, configs []MiddlewareConfig) (StorageDriver, error) {
	for i, mc := range configs {
		middlewares.RLock()
		f, ok := middlewares.m[mc.Name]
		middlewares.RUnlock()
		if !ok {
			return nil, fmt.Errorf("middleware.storage[%d]: unknown storage middleware %q; registered: %s", i, mc.Name, strings.Join(MiddlewareNames(), ", "))
		}
		next, err := f(ctx, d, mc.Options)
		if err != nil {
			return nil, fmt.Errorf("middleware.storage[%d] (%s): %w", i, mc.Name, err)
		}
		d = next
	}
	return d, nil
}
