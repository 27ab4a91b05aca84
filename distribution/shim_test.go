package distribution_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	storagedriver "github.com/distribution/distribution/v3/registry/storage/driver"
	"github.com/distribution/distribution/v3/registry/storage/driver/factory"
	"github.com/stowage/stowage/distribution"
	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/inmemory"
)

// TestTypedErrors checks that errors are the very values distribution's
// own drivers return, with the driver's name: its suite compares them
// with Equal and IsType, registries match them with errors.As.
func TestTypedErrors(t *testing.T) {
	ctx := t.Context()
	for _, opts := range [][]distribution.Option{nil, {distribution.WithoutBase()}, {distribution.WithName("custom")}} {
		sd := distribution.New(inmemory.NewShared(inmemory.NewStore()), opts...)
		name := sd.Name()
		_, err := sd.GetContent(ctx, "/missing")
		if want := (storagedriver.PathNotFoundError{Path: "/missing", DriverName: name}); err != want {
			t.Errorf("%s: GetContent of a missing path: %#v, want %#v", name, err, want)
		}
		fi, err := sd.Stat(ctx, "/missing/dir")
		if want := (storagedriver.PathNotFoundError{Path: "/missing/dir", DriverName: name}); err != want || fi != nil {
			t.Errorf("%s: Stat of a missing path: %#v, %#v, want nil, %#v", name, fi, err, want)
		}
		err = sd.PutContent(ctx, "no-slash", nil)
		if want := (storagedriver.InvalidPathError{Path: "no-slash", DriverName: name}); err != want {
			t.Errorf("%s: PutContent of an invalid path: %#v, want %#v", name, err, want)
		}
		if err := sd.PutContent(ctx, "/file", []byte("abc")); err != nil {
			t.Fatal(err)
		}
		for _, off := range []int64{-1, 4} {
			_, err := sd.Reader(ctx, "/file", off)
			if want := (storagedriver.InvalidOffsetError{Path: "/file", Offset: off, DriverName: name}); err != want {
				t.Errorf("%s: Reader at %d: %#v, want %#v", name, off, err, want)
			}
		}
		if _, err := sd.Writer(ctx, "/dir/", false); !errors.As(err, new(storagedriver.InvalidPathError)) {
			t.Errorf("%s: Writer of an invalid path: %#v", name, err)
		}
		fi, err = sd.Stat(ctx, "/file")
		if _, ok := fi.(storagedriver.FileInfoInternal); !ok || err != nil || fi.Size() != 3 || fi.IsDir() {
			t.Errorf("%s: Stat: %#v, %v; want a storagedriver.FileInfoInternal of 3 bytes", name, fi, err)
		}
	}
}

// faulty is a stowage driver whose every call fails with err.
type faulty struct{ err error }

func (f faulty) Name() string                                                 { return "faulty" }
func (f faulty) GetContent(context.Context, string) ([]byte, error)           { return nil, f.err }
func (f faulty) PutContent(context.Context, string, []byte) error             { return f.err }
func (f faulty) Reader(context.Context, string, int64) (io.ReadCloser, error) { return nil, f.err }
func (f faulty) Writer(context.Context, string, bool) (driver.FileWriter, error) {
	return faultyWriter(f), nil
}
func (f faulty) Stat(context.Context, string) (driver.FileInfo, error) { return nil, f.err }
func (f faulty) List(context.Context, string) ([]string, error)        { return nil, f.err }
func (f faulty) Move(context.Context, string, string) error            { return f.err }
func (f faulty) Delete(context.Context, string) error                  { return f.err }
func (f faulty) RedirectURL(*http.Request, string) (string, error)     { return "", f.err }
func (f faulty) Walk(context.Context, string, driver.WalkFn, ...func(*driver.WalkOptions)) error {
	return f.err
}

type faultyWriter struct{ err error }

func (w faultyWriter) Write([]byte) (int, error)    { return 0, w.err }
func (w faultyWriter) Close() error                 { return w.err }
func (w faultyWriter) Size() int64                  { return 0 }
func (w faultyWriter) Cancel(context.Context) error { return w.err }
func (w faultyWriter) Commit(context.Context) error { return w.err }

// TestProviderErrors checks that other errors are storagedriver.Error with
// the stowage error, and the provider's inside it, as Detail; and that
// typed errors wrapped by a middleware are still found.
func TestProviderErrors(t *testing.T) {
	ctx := t.Context()
	boom := errors.New("provider says no")
	for _, sd := range []storagedriver.StorageDriver{
		distribution.New(driver.Wrap(faulty{boom})),
		distribution.New(driver.Wrap(faulty{boom}), distribution.WithoutBase()),
	} {
		_, err := sd.GetContent(ctx, "/x")
		var de storagedriver.Error
		if !errors.As(err, &de) || de.DriverName != "faulty" || !errors.Is(de.Detail, boom) {
			t.Fatalf("GetContent: %#v, want storagedriver.Error with the provider error in Detail", err)
		}
		if _, ok := de.Detail.(*driver.Error); !ok {
			t.Errorf("Detail is %T, want the stowage *driver.Error", de.Detail)
		}
		w, err := sd.Writer(ctx, "/x", false)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte("a")); !errors.As(err, &de) || !errors.Is(de.Detail, boom) {
			t.Errorf("Write: %#v, want storagedriver.Error", err)
		}
		if err := w.Commit(ctx); !errors.As(err, &de) || !errors.Is(de.Detail, boom) {
			t.Errorf("Commit: %#v, want storagedriver.Error", err)
		}
	}

	cases := []struct {
		err  error
		want error
	}{
		{driver.UnsupportedMethodError{Method: "RedirectURL"}, storagedriver.ErrUnsupportedMethod{DriverName: "faulty"}},
		{fmt.Errorf("middleware: %w", driver.PathNotFoundError{Path: "/x"}), storagedriver.PathNotFoundError{Path: "/x", DriverName: "faulty"}},
		{fmt.Errorf("middleware: %w", driver.InvalidOffsetError{Path: "/x", Offset: 9}), storagedriver.InvalidOffsetError{Path: "/x", Offset: 9, DriverName: "faulty"}},
	}
	for _, c := range cases {
		sd := distribution.New(driver.Wrap(faulty{c.err}))
		if err := sd.Delete(ctx, "/x"); err != c.want {
			t.Errorf("Delete failing with %v: %#v, want %#v", c.err, err, c.want)
		}
		w, _ := sd.Writer(ctx, "/x", true)
		if err := w.Close(); err != c.want {
			t.Errorf("Writer.Close failing with %v: %#v, want %#v", c.err, err, c.want)
		}
	}
}

// TestWalk checks the walk translation: FileInfo values, StartAfterHint,
// ErrSkipDir, ErrFilledBuffer, and the callback's own errors.
func TestWalk(t *testing.T) {
	ctx := t.Context()
	d := inmemory.NewShared(inmemory.NewStore())
	for _, p := range []string{"/a/1", "/a/2", "/b/1", "/c"} {
		if err := d.PutContent(ctx, p, []byte(p)); err != nil {
			t.Fatal(err)
		}
	}
	walk := func(sd storagedriver.StorageDriver, f func(storagedriver.FileInfo) error, opts ...func(*storagedriver.WalkOptions)) ([]string, error) {
		var seen []string
		err := sd.Walk(ctx, "/", func(fi storagedriver.FileInfo) error {
			if _, ok := fi.(storagedriver.FileInfoInternal); !ok {
				t.Fatalf("walk gave a %T", fi)
			}
			seen = append(seen, fi.Path())
			return f(fi)
		}, opts...)
		return seen, err
	}
	sd := distribution.New(d)
	got, err := walk(sd, func(fi storagedriver.FileInfo) error {
		if fi.Path() == "/a" {
			return storagedriver.ErrSkipDir
		}
		if fi.Path() == "/b/1" {
			return storagedriver.ErrFilledBuffer
		}
		return nil
	})
	if fmt.Sprint(got) != "[/a /b /b/1]" || err != nil {
		t.Errorf("walk with ErrSkipDir and ErrFilledBuffer: %v, %v", got, err)
	}
	got, err = walk(sd, func(storagedriver.FileInfo) error { return nil }, storagedriver.WithStartAfterHint("/a/2"))
	if fmt.Sprint(got) != "[/b /b/1 /c]" || err != nil {
		t.Errorf("walk after /a/2: %v, %v", got, err)
	}

	stop := errors.New("caller's own error")
	// Without base.Base the callback's error comes back as it is.
	_, err = walk(distribution.New(d, distribution.WithoutBase()), func(storagedriver.FileInfo) error { return stop })
	if err != stop {
		t.Errorf("callback error without base: %#v, want the callback's own value", err)
	}
	// Under base.Base it is wrapped as base wraps it for distribution's
	// own drivers.
	_, err = walk(sd, func(storagedriver.FileInfo) error { return stop })
	if want := (storagedriver.Error{DriverName: "inmemory", Detail: stop}); err != want {
		t.Errorf("callback error under base: %#v, want %#v", err, want)
	}
	_, err = walk(sd, func(storagedriver.FileInfo) error { return nil }, storagedriver.WithStartAfterHint("/zzz"))
	if err != nil {
		t.Errorf("walk after the last path: %v", err)
	}
	if err := sd.Walk(ctx, "/missing", func(storagedriver.FileInfo) error { return nil }); err != (storagedriver.PathNotFoundError{Path: "/missing", DriverName: "inmemory"}) {
		t.Errorf("walk of a missing directory: %#v", err)
	}
}

// TestRegister checks that registration never panics and reports taken
// names; the standard names are taken by the standard package, which the
// tests import.
func TestRegister(t *testing.T) {
	f := distribution.Factory{Name: "inmemory"}
	err := distribution.Register("s3", f)
	if want := (distribution.NameTakenError{Name: "s3"}); err != want {
		t.Errorf("Register of a taken name: %v, want %v", err, want)
	}
	if err := distribution.Register("test-register-once", f); err != nil {
		t.Fatal(err)
	}
	if err := distribution.Register("test-register-once", f); !errors.As(err, new(distribution.NameTakenError)) {
		t.Errorf("second Register: %v", err)
	}
	if got := distribution.RegisterFree(); len(got) != 0 {
		t.Errorf("RegisterFree with every standard name taken registered %v", got)
	}
	err = distribution.RegisterStandard()
	var taken []string
	for _, n := range distribution.StandardNames {
		if errors.Is(err, distribution.NameTakenError{Name: n}) {
			taken = append(taken, n)
		}
	}
	if len(taken) != len(distribution.StandardNames) {
		t.Errorf("RegisterStandard again: %v", err)
	}
	names, err := distribution.RegisterWithPrefix("test-prefix-")
	if err != nil || len(names) != len(distribution.StandardNames) || names[0] != "test-prefix-azure" {
		t.Errorf("RegisterWithPrefix: %v, %v", names, err)
	}
	err = distribution.RegisterNames(map[string]string{"test-map-mem": "inmemory", "gcs": "gcs"})
	if !errors.Is(err, distribution.NameTakenError{Name: "gcs"}) {
		t.Errorf("RegisterNames with gcs taken: %v", err)
	}
	sd, err := factory.Create(t.Context(), "test-map-mem", nil)
	if err != nil || sd.Name() != "inmemory" {
		t.Errorf("driver registered by RegisterNames: %v, %v", sd, err)
	}
}

// TestFactoryParameters checks that the factory passes parameters to
// stowage's decoding (which still refuses unknown ones) and drops the
// useragent distribution's registry adds for drivers that take none.
func TestFactoryParameters(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	for name, params := range map[string]map[string]any{
		"inmemory":   {"useragent": "distribution/test"},
		"filesystem": {"rootdirectory": dir, "maxthreads": "100", "useragent": "distribution/test"},
	} {
		if _, err := factory.Create(ctx, name, params); err != nil {
			t.Errorf("%s with useragent: %v", name, err)
		}
	}
	_, err := factory.Create(ctx, "filesystem", map[string]any{"rootdirectory": dir, "bogus": 1})
	if err == nil || !errorsContain(err, "bogus") {
		t.Errorf("unknown parameter: %v, want an error naming it", err)
	}
	sd, err := factory.Create(ctx, "s3", map[string]any{
		"bucket": "registry", "region": "us-east-1", "accesskey": "a", "secretkey": "s",
		"regionendpoint": "http://127.0.0.1:9", "rootdirectory": "/registry/",
		"useragent": "distribution/test",
	})
	if err != nil {
		t.Fatalf("s3: %v", err)
	}
	k, ok := sd.(distribution.S3BucketKeyer)
	if !ok {
		t.Fatalf("the s3 driver has no S3BucketKey method, which distribution's cloudfront middleware needs")
	}
	if got := k.S3BucketKey("/docker/registry/v2/blobs"); got != "registry/docker/registry/v2/blobs" {
		t.Errorf("S3BucketKey = %q", got)
	}
	if _, ok := distribution.Stowage(sd); !ok {
		t.Error("Stowage did not find the stowage driver")
	}
	gcsDriver, err := factory.Create(ctx, "gcs", map[string]any{"bucket": "registry", "anonymous": true, "endpoint": "http://127.0.0.1:9/storage/v1/"})
	if err != nil {
		t.Fatalf("gcs: %v", err)
	}
	if _, ok := gcsDriver.(distribution.S3BucketKeyer); ok {
		t.Error("the gcs driver has an S3BucketKey method: cloudfront would sign S3 keys for it")
	}
}

func errorsContain(err error, s string) bool {
	return err != nil && strings.Contains(err.Error(), s)
}
