package driver_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/inmemory"
)

func TestCheckPath(t *testing.T) {
	for _, ok := range []string{"/a", "/a/b", "/A-Z_a.z/0", "/.hidden", "/x..y"} {
		if err := driver.CheckPath(ok); err != nil {
			t.Errorf("CheckPath(%q) = %v", ok, err)
		}
	}
	for p, reason := range map[string]string{
		"": "empty path", "a": "must start with /", "/a/": "must not end with /", "//a": "empty segment",
		"/a/../b": "segments . and ..", "/.": "segments . and ..", "/": `"/" is only valid`, "/a b": "one or more segments",
	} {
		err := driver.CheckPath(p)
		var ip driver.InvalidPathError
		if !errors.As(err, &ip) || !strings.Contains(err.Error(), reason) {
			t.Errorf("CheckPath(%q) = %v, want an InvalidPathError saying %q", p, err, reason)
		}
	}
	if driver.CheckDirPath("/") != nil {
		t.Errorf("CheckDirPath(/) refused")
	}
}

func TestRegistry(t *testing.T) {
	_, err := driver.Open(context.Background(), "nope", nil)
	if err == nil || !strings.Contains(err.Error(), "registered: filesystem, inmemory") {
		t.Fatalf("Open(nope) = %v, want the registered names", err)
	}
	defer func() {
		if recover() == nil {
			t.Fatalf("duplicate Register did not panic")
		}
	}()
	driver.Register("inmemory", nilFactory{})
}

type nilFactory struct{}

func (nilFactory) Create(context.Context, map[string]any, ...driver.Option) (driver.StorageDriver, error) {
	return nil, nil
}

func TestBaseNamesDriverAndCountsLifecycle(t *testing.T) {
	ctx := context.Background()
	d := inmemory.NewShared(inmemory.NewStore())
	_, err := d.GetContent(ctx, "/missing")
	var nf driver.PathNotFoundError
	if !errors.As(err, &nf) || nf.DriverName != "inmemory" || nf.Path != "/missing" {
		t.Fatalf("GetContent(missing) = %#v", err)
	}
	_, err = d.Reader(ctx, "/x", -1)
	var io driver.InvalidOffsetError
	if !errors.As(err, &io) || io.DriverName != "inmemory" {
		t.Fatalf("Reader(-1) = %#v", err)
	}
	w, _ := d.Writer(ctx, "/w", false)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err == nil {
		t.Errorf("second Close: no error")
	}
	if err := w.Commit(ctx); err == nil || !strings.Contains(err.Error(), "already closed") {
		t.Errorf("Commit after Close = %v", err)
	}
	if _, ok := driver.As[driver.UploadPurger](d); !ok {
		t.Errorf("inmemory does not purge uploads through Base")
	}
	if _, err := driver.PurgeUploads(ctx, driver.NoRedirect(noPurge{d}), 0); !errors.Is(err, driver.ErrUnsupportedMethod) {
		t.Errorf("PurgeUploads of a driver without UploadPurger = %v, want ErrUnsupportedMethod", err)
	}
}

func TestMiddlewareOrderAndNoRedirect(t *testing.T) {
	ctx := context.Background()
	_, err := driver.ApplyMiddleware(ctx, inmemory.NewShared(inmemory.NewStore()), []driver.MiddlewareConfig{{Name: "nope"}})
	if err == nil || !strings.Contains(err.Error(), `middleware.storage[0] (nope): storage middleware "nope" is not registered`) {
		t.Fatalf("ApplyMiddleware(nope) = %v", err)
	}
}

// noPurge hides the capabilities of the driver it holds.
type noPurge struct{ driver.StorageDriver }
