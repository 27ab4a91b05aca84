package driver

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Factory creates a driver from its parameters, as found under the
// provider's key in a registry configuration.
type Factory interface {
	Create(ctx context.Context, params map[string]any) (StorageDriver, error)
}

// FactoryFunc adapts a function to Factory.
type FactoryFunc func(ctx context.Context, params map[string]any) (StorageDriver, error)

// Create implements Factory.
func (f FactoryFunc) Create(ctx context.Context, params map[string]any) (StorageDriver, error) {
	return f(ctx, params)
}

var factories = struct {
	sync.RWMutex
	m map[string]Factory
}{m: map[string]Factory{}}

// Register makes a driver factory available under name. It is meant to be
// called from an adapter's init function, and panics if name is empty, the
// factory is nil or the name is already registered.
func Register(name string, factory Factory) {
	if name == "" || factory == nil {
		panic("driver: Register needs a name and a factory")
	}
	factories.Lock()
	defer factories.Unlock()
	if _, dup := factories.m[name]; dup {
		panic(fmt.Sprintf("driver: Register called twice for %q", name))
	}
	factories.m[name] = factory
}

// Names returns the registered driver names, sorted.
func Names() []string {
	factories.RLock()
	defer factories.RUnlock()
	names := make([]string, 0, len(factories.m))
	for n := range factories.m {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Open creates the driver registered as name with params. The driver is
// wrapped in Base. An unknown name is an error listing the registered ones.
func Open(ctx context.Context, name string, params map[string]any) (StorageDriver, error) {
	factories.RLock()
	f, ok := factories.m[name]
	factories.RUnlock()
	if !ok {
		names := Names()
		if len(names) == 0 {
			return nil, fmt.Errorf("storage driver %q is not registered and no driver is (import the adapter package, or github.com/stowage/stowage/all)", name)
		}
		return nil, fmt.Errorf("storage driver %q is not registered; registered drivers: %s", name, strings.Join(names, ", "))
	}
	d, err := f.Create(ctx, params)
	if err != nil {
		return nil, err
	}
	return Wrap(d), nil
}

// Lookup returns the factory registered as name.
func Lookup(name string) (Factory, bool) {
	factories.RLock()
	defer factories.RUnlock()
	f, ok := factories.m[name]
	return f, ok
}

// ParamsDeclarer is implemented by factories that declare their parameters
// as a configmap struct, so that tools can validate and document them.
type ParamsDeclarer interface {
	// NewParams returns a pointer to a new, zero parameter struct.
	NewParams() any
}
