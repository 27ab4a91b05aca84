package driver_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/inmemory"
)

// layer is a middleware that records its Close.
type layer struct {
	driver.StorageDriver
	name   string
	closed *[]string
	err    error
}

func (l layer) Unwrap() driver.StorageDriver { return l.StorageDriver }

func (l layer) Close() error {
	*l.closed = append(*l.closed, l.name)
	return l.err
}

// TestCloseReachesEveryLayer checks that driver.Close closes every layer
// that holds something, through Base and layers that hold nothing, and
// reports every error.
func TestCloseReachesEveryLayer(t *testing.T) {
	var closed []string
	boom := errors.New("boom")
	inner := layer{StorageDriver: inmemory.NewShared(inmemory.NewStore()), name: "inner", closed: &closed, err: boom}
	chain := driver.NoRedirect(layer{StorageDriver: driver.Wrap(inner), name: "outer", closed: &closed})
	err := driver.Close(chain)
	if !errors.Is(err, boom) {
		t.Fatalf("Close = %v, want the inner layer's error", err)
	}
	if len(closed) != 2 || closed[0] != "outer" || closed[1] != "inner" {
		t.Fatalf("closed %v, want [outer inner]", closed)
	}
}

type failingMiddleware struct{}

func (failingMiddleware) Create(context.Context, driver.StorageDriver, map[string]any, ...driver.Option) (driver.StorageDriver, error) {
	return nil, errors.New("bad options")
}

type closingMiddleware struct{ closed *[]string }

func (m closingMiddleware) Create(_ context.Context, next driver.StorageDriver, _ map[string]any, _ ...driver.Option) (driver.StorageDriver, error) {
	return layer{StorageDriver: next, name: "first", closed: m.closed}, nil
}

// TestApplyMiddlewareClosesWhatItAppliedOnFailure checks that a chain that
// cannot be completed does not leak the layers already built.
func TestApplyMiddlewareClosesWhatItAppliedOnFailure(t *testing.T) {
	var closed []string
	driver.RegisterMiddleware("test-closing", closingMiddleware{&closed})
	driver.RegisterMiddleware("test-failing", failingMiddleware{})
	_, err := driver.ApplyMiddleware(context.Background(), inmemory.NewShared(inmemory.NewStore()), []driver.MiddlewareConfig{{Name: "test-closing"}, {Name: "test-failing"}})
	if err == nil {
		t.Fatal("ApplyMiddleware with a failing middleware: no error")
	}
	if len(closed) != 1 || closed[0] != "first" {
		t.Fatalf("closed %v, want the first middleware closed", closed)
	}
}
