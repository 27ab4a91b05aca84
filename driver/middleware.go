package driver

import (
	"context"
	"errors"
	"fmt"
)

// MiddlewareFactory wraps a driver with a storage middleware configured by
// its options, as in the reference registry's middleware: storage: list.
type MiddlewareFactory interface {
	Create(ctx context.Context, next StorageDriver, options map[string]any, opts ...Option) (StorageDriver, error)
}

// MiddlewareConfig names one storage middleware and its options.
type MiddlewareConfig struct {
	Name    string         `yaml:"name"`
	Options map[string]any `yaml:"options"`
}

// Middlewares is the registry of storage middleware.
var Middlewares = NewRegistry[MiddlewareFactory]("storage middleware")

// RegisterMiddleware makes a storage middleware available under name, in
// Middlewares. It is meant to be called from the middleware's init
// function.
func RegisterMiddleware(name string, f MiddlewareFactory) {
	if f == nil {
		panic("driver: RegisterMiddleware needs a factory")
	}
	Middlewares.Register(name, f)
}

// MiddlewareNames returns the registered middleware names, sorted.
func MiddlewareNames() []string { return Middlewares.Names() }

// ApplyMiddleware wraps d with each configured middleware, in order: the
// first in the list wraps d, the next wraps that, and so on. When one
// fails, the middleware already applied are closed (see Close), not d.
func ApplyMiddleware(ctx context.Context, d StorageDriver, configs []MiddlewareConfig, opts ...Option) (StorageDriver, error) {
	base := d
	for i, mc := range configs {
		f, err := Middlewares.Get(mc.Name)
		if err == nil {
			var next StorageDriver
			next, err = f.Create(ctx, d, mc.Options, opts...)
			if err == nil {
				d = next
				continue
			}
		}
		return nil, errors.Join(fmt.Errorf("middleware.storage[%d] (%s): %w", i, mc.Name, err), closeUntil(d, base))
	}
	return d, nil
}
