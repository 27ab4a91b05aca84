package configmap

import (
	"context"
	"fmt"

	"github.com/stowage/stowage/driver"
)

// Factory returns the driver.Factory of an adapter whose parameters are
// the struct P: Create decodes and validates the parameters into a P, then
// calls open; NewParams returns a new *P, so tools can document and
// validate the parameters without opening a connection.
func Factory[P any](name string, open func(ctx context.Context, p P) (driver.StorageDriver, error)) driver.Factory {
	return factory[P]{name: name, open: open}
}

type factory[P any] struct {
	name string
	open func(ctx context.Context, p P) (driver.StorageDriver, error)
}

func (f factory[P]) NewParams() any { return new(P) }

func (f factory[P]) Create(ctx context.Context, params map[string]any) (driver.StorageDriver, error) {
	var p P
	if err := Decode(params, &p); err != nil {
		return nil, fmt.Errorf("storage %s: %w", f.name, err)
	}
	return f.open(ctx, p)
}
