package driver

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Registry is a set of factories by name, filled by the init functions of
// the packages that provide them. stowage has two: storage drivers and
// storage middleware.
type Registry[F any] struct {
	kind string // "storage driver", for messages
	mu   sync.RWMutex
	m    map[string]F
}

// NewRegistry returns an empty registry of kind (used in messages, such as
// "storage driver").
func NewRegistry[F any](kind string) *Registry[F] {
	return &Registry[F]{kind: kind, m: map[string]F{}}
}

// Register makes f available under name. It panics if name is empty or
// already registered: both are programming errors of an init function.
func (r *Registry[F]) Register(name string, f F) {
	if name == "" {
		panic(fmt.Sprintf("driver: a %s needs a name", r.kind))
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.m[name]; dup {
		panic(fmt.Sprintf("driver: %s %q registered twice", r.kind, name))
	}
	r.m[name] = f
}

// Lookup returns the factory registered as name.
func (r *Registry[F]) Lookup(name string) (F, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	f, ok := r.m[name]
	return f, ok
}

// Names returns the registered names, sorted.
func (r *Registry[F]) Names() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	names := make([]string, 0, len(r.m))
	for n := range r.m {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Get returns the factory registered as name, or an error that lists the
// registered names.
func (r *Registry[F]) Get(name string) (F, error) {
	if f, ok := r.Lookup(name); ok {
		return f, nil
	}
	var zero F
	names := r.Names()
	if len(names) == 0 {
		return zero, fmt.Errorf("%s %q is not registered and none is (import the adapter package, or github.com/stowage/stowage/all)", r.kind, name)
	}
	return zero, fmt.Errorf("%s %q is not registered; registered: %s", r.kind, name, strings.Join(names, ", "))
}

// Factory creates a driver from its parameters, as found under the
// provider's key in a registry configuration, and the program's Options.
type Factory interface {
	Create(ctx context.Context, params map[string]any, opts ...Option) (StorageDriver, error)
}

// ParamsDeclarer is implemented by factories (of drivers and of middleware)
// that declare their parameters as a configmap struct, so that tools can
// validate and document them without opening anything.
type ParamsDeclarer interface {
	// NewParams returns a pointer to a new parameter struct.
	NewParams() any
}

// Drivers is the registry of storage drivers.
var Drivers = NewRegistry[Factory]("storage driver")

// Register makes a driver factory available under name, in Drivers. It is
// meant to be called from an adapter's init function.
func Register(name string, f Factory) {
	if f == nil {
		panic("driver: Register needs a factory")
	}
	Drivers.Register(name, f)
}

// Names returns the registered driver names, sorted.
func Names() []string { return Drivers.Names() }

// Lookup returns the driver factory registered as name.
func Lookup(name string) (Factory, bool) { return Drivers.Lookup(name) }

// Open creates the driver registered as name with params and opts. The
// driver is wrapped in Base. An unknown name is an error listing the
// registered ones.
func Open(ctx context.Context, name string, params map[string]any, opts ...Option) (StorageDriver, error) {
	f, err := Drivers.Get(name)
	if err != nil {
		return nil, err
	}
	d, err := f.Create(ctx, params, opts...)
	if err != nil {
		return nil, err
	}
	return Wrap(d, opts...), nil
}
