package configmap

import (
	"context"
	"fmt"

	"github.com/stowage/stowage/driver"
)

// Factory returns the driver.Factory of an adapter whose parameters are
// the struct P and whose constructor is New: Create decodes the
// parameters into a P (defaults, then the given values) and hands it to
// New, which decides them once with Prepare, as it does for a P built in
// Go. NewParams returns a new *P, so tools can document and validate the
// parameters without opening a connection.
func Factory[P any](name string, New func(ctx context.Context, p P, opts ...driver.Option) (driver.StorageDriver, error)) driver.Factory {
	return factory[P]{name: name, open: New}
}

type factory[P any] struct {
	name string
	open func(ctx context.Context, p P, opts ...driver.Option) (driver.StorageDriver, error)
}

func (f factory[P]) NewParams() any { return new(P) }

func (f factory[P]) Create(ctx context.Context, params map[string]any, opts ...driver.Option) (driver.StorageDriver, error) {
	var p P
	if errs, err := decodeOnly(params, &p); err != nil || len(errs) > 0 {
		return nil, fmt.Errorf("storage %s: %w", f.name, firstErr(err, errs))
	}
	d, err := f.open(ctx, p, opts...)
	if err != nil {
		return nil, fmt.Errorf("storage %s: %w", f.name, err)
	}
	return d, nil
}

// Middleware returns the driver.MiddlewareFactory of a storage middleware
// whose options are the struct P and whose constructor is New, in the same
// way as Factory.
func Middleware[P any](name string, New func(ctx context.Context, next driver.StorageDriver, p P, opts ...driver.Option) (driver.StorageDriver, error)) driver.MiddlewareFactory {
	return middleware[P]{name: name, open: New}
}

type middleware[P any] struct {
	name string
	open func(ctx context.Context, next driver.StorageDriver, p P, opts ...driver.Option) (driver.StorageDriver, error)
}

func (m middleware[P]) NewParams() any { return new(P) }

func (m middleware[P]) Create(ctx context.Context, next driver.StorageDriver, options map[string]any, opts ...driver.Option) (driver.StorageDriver, error) {
	var p P
	if errs, err := decodeOnly(options, &p); err != nil || len(errs) > 0 {
		return nil, firstErr(err, errs)
	}
	return m.open(ctx, next, p, opts...)
}

func firstErr(err error, errs Errors) error {
	if err != nil {
		return err
	}
	return errs
}
