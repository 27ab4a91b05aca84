package swift_test

import (
	"context"
	"testing"

	"github.com/stowage/stowage/configmap"
	"github.com/stowage/stowage/conformance/emulator"
	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/swift"
)

// cluster is a Swift cluster started for one test.
type cluster struct {
	s *emulator.SwiftServer
}

func startCluster(t testing.TB, opts emulator.SwiftOptions) cluster {
	t.Helper()
	if opts.LogLevel == "" {
		opts.LogLevel = "WARNING"
	}
	return cluster{s: emulator.Swift(t, opts)}
}

// params returns the parameters of a driver on the cluster.
func (c cluster) params(container string, extra map[string]any) map[string]any {
	p := map[string]any{
		"authurl":   c.s.AuthURL,
		"username":  c.s.User,
		"password":  c.s.Key,
		"container": container,
	}
	for k, v := range extra {
		p[k] = v
	}
	return p
}

// open decodes the parameters as a registry would and opens the driver.
func (c cluster) open(t fataler, container string, extra map[string]any) driver.StorageDriver {
	t.Helper()
	return c.openWith(t, container, extra)
}

// openWith is open with driver options.
func (c cluster) openWith(t fataler, container string, extra map[string]any, opts ...driver.Option) driver.StorageDriver {
	t.Helper()
	var p swift.Params
	if err := configmap.Decode(c.params(container, extra), &p); err != nil {
		t.Fatalf("params: %v", err)
	}
	d, err := swift.New(context.Background(), p, opts...)
	if err != nil {
		t.Fatalf("swift.New: %v", err)
	}
	return d
}

type fataler interface {
	Helper()
	Fatalf(format string, args ...any)
}
