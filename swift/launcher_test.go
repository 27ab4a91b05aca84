package swift_test

import (
	"testing"

	ncw "github.com/ncw/swift/v2"
	"github.com/stowage/stowage/conformance/emulator"
)

// TestLauncher checks the cluster the tests run against: tempauth answers,
// /info advertises the middleware the adapter relies on, and an object
// round-trips.
func TestLauncher(t *testing.T) {
	s := emulator.Swift(t, emulator.SwiftOptions{})
	t.Logf("startup %s", s.Startup)
	c := &ncw.Connection{UserName: s.User, ApiKey: s.Key, AuthUrl: s.AuthURL}
	ctx := t.Context()
	if err := c.Authenticate(ctx); err != nil {
		t.Fatalf("authenticate: %v", err)
	}
	info, err := c.QueryInfo(ctx)
	if err != nil {
		t.Fatalf("info: %v", err)
	}
	for _, k := range []string{"slo", "bulk_delete", "tempurl", "tempauth"} {
		if _, ok := info[k]; !ok {
			t.Errorf("/info lacks %q", k)
		}
	}
	if err := c.ContainerCreate(ctx, "c", nil); err != nil {
		t.Fatalf("container: %v", err)
	}
	if err := c.ObjectPutString(ctx, "c", "o", "hello", ""); err != nil {
		t.Fatalf("put: %v", err)
	}
	got, err := c.ObjectGetString(ctx, "c", "o")
	if err != nil || got != "hello" {
		t.Fatalf("get: %q %v", got, err)
	}
}
