package stowageblob

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"gocloud.dev/blob"
	"gocloud.dev/blob/driver"
	"gocloud.dev/blob/drivertest"

	"github.com/stowage/stowage/conformance/emulator"
	stowage "github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/filesystem"
	"github.com/stowage/stowage/inmemory"
	"github.com/stowage/stowage/s3"
)

// harness is the Go CDK's drivertest harness over stowage drivers: open
// returns a new driver instance over the same store each time.
type harness struct {
	open    func() (stowage.StorageDriver, error)
	missing func() (stowage.StorageDriver, error) // a driver of a bucket that does not exist, or nil
}

func (h *harness) MakeDriver(context.Context) (driver.Bucket, error) {
	d, err := h.open()
	if err != nil {
		return nil, err
	}
	return &bucket{d: d, owned: true}, nil
}

func (h *harness) MakeDriverForNonexistentBucket(context.Context) (driver.Bucket, error) {
	if h.missing == nil {
		return nil, nil
	}
	d, err := h.missing()
	if err != nil {
		return nil, err
	}
	return &bucket{d: d, owned: true}, nil
}

func (h *harness) HTTPClient() *http.Client         { return &http.Client{} }
func (h *harness) SupportsCopy() bool               { return true }
func (h *harness) SupportsNonSlashDelimiters() bool { return true }
func (h *harness) Close()                           {}

// run runs the Go CDK's conformance tests with h, leaving out the cases
// named in skip (test name: why).
func run(t *testing.T, h *harness, skip map[string]string) {
	drivertest.RunConformanceTests(t, func(_ context.Context, t *testing.T) (drivertest.Harness, error) {
		for name, why := range skip {
			if strings.Contains(t.Name(), "/"+name) {
				t.Skip(why)
			}
		}
		return h, nil
	}, []drivertest.AsTest{asTest{}})
}

// TestDrivertestInmemory runs the Go CDK's conformance tests on the
// inmemory driver.
func TestDrivertestInmemory(t *testing.T) {
	store := inmemory.NewStore()
	run(t, &harness{open: func() (stowage.StorageDriver, error) { return inmemory.NewShared(store), nil }}, nil)
}

// TestDrivertestFilesystem runs the Go CDK's conformance tests on the
// filesystem driver.
func TestDrivertestFilesystem(t *testing.T) {
	dir := t.TempDir()
	run(t, &harness{open: func() (stowage.StorageDriver, error) {
		return filesystem.New(context.Background(), filesystem.Params{RootDirectory: dir})
	}}, nil)
}

// TestDrivertestS3 runs the Go CDK's conformance tests on the s3 driver
// against MinIO. The s3 driver's redirect URLs are presigned GET URLs, but
// stowage drivers sign no PUT or DELETE: TestSignedURL, which needs a PUT
// URL whenever GET URLs are signed, does not apply. GET URLs are still
// checked, by TestKeys, for every weird key.
func TestDrivertestS3(t *testing.T) {
	m := emulator.StartMinIO(t)
	bucketName := m.MakeBucket(t, "stowageblob")
	params := func(bucket string) s3.Params {
		return s3.Params{
			AccessKey:      m.AccessKey,
			SecretKey:      m.SecretKey,
			Region:         m.Region,
			RegionEndpoint: m.Endpoint,
			Bucket:         bucket,
			RootDirectory:  "/drivertest",
		}
	}
	run(t, &harness{
		open: func() (stowage.StorageDriver, error) {
			return s3.New(context.Background(), params(bucketName))
		},
		missing: func() (stowage.StorageDriver, error) {
			return s3.New(context.Background(), params("no-such-bucket"))
		},
	}, map[string]string{
		"TestSignedURL": "stowage drivers sign GET URLs only (RedirectURL): PUT and DELETE are Unimplemented, and this case needs a PUT URL whenever GET works",
	})
}

// asTest checks what stowageblob gives As: the stowage driver for
// Bucket.As, the stowage writer for BeforeWrite, stowage's typed errors
// for ErrorAs.
type asTest struct{}

func (asTest) Name() string { return "stowage types" }

func (asTest) BucketCheck(b *blob.Bucket) error {
	var d stowage.StorageDriver
	if !b.As(&d) || d == nil {
		return errors.New("Bucket.As(*driver.StorageDriver) = false")
	}
	return nil
}

func (asTest) ErrorCheck(b *blob.Bucket, err error) error {
	var nf stowage.PathNotFoundError
	if !b.ErrorAs(err, &nf) {
		return errors.New("ErrorAs(PathNotFoundError) = false for a missing key")
	}
	return nil
}

func (asTest) BeforeWrite(as func(any) bool) error {
	var w stowage.FileWriter
	if !as(&w) || w == nil {
		return errors.New("BeforeWrite As(*driver.FileWriter) = false")
	}
	return nil
}

func (asTest) BeforeRead(func(any) bool) error        { return nil }
func (asTest) BeforeCopy(func(any) bool) error        { return nil }
func (asTest) BeforeDelete(func(any) bool) error      { return nil }
func (asTest) BeforeList(func(any) bool) error        { return nil }
func (asTest) BeforeSign(func(any) bool) error        { return nil }
func (asTest) AttributesCheck(*blob.Attributes) error { return nil }
func (asTest) ReaderCheck(*blob.Reader) error         { return nil }
func (asTest) ListObjectCheck(*blob.ListObject) error { return nil }
