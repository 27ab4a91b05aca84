package gocloud

import (
	"context"
	"errors"
	"io"
	"net/url"
	"slices"
	"strings"
	"syscall"
	"time"

	"gocloud.dev/blob"
	"gocloud.dev/gcerrors"

	// The Go CDK's own URL openers: s3://, gs://, azblob://, file://, mem://.
	_ "gocloud.dev/blob/azureblob"
	_ "gocloud.dev/blob/fileblob"
	_ "gocloud.dev/blob/gcsblob"
	_ "gocloud.dev/blob/memblob"
	_ "gocloud.dev/blob/s3blob"

	"github.com/stowage/stowage/configmap"
	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/internal/layout"
	"github.com/stowage/stowage/internal/objparts"
)

// Name is the name the driver is registered under.
const Name = "gocloud"

func init() { driver.Register(Name, configmap.Factory(Name, New)) }

// contentType is the type of every object the driver writes: registry
// data is opaque, and the Go CDK must not sniff it.
const contentType = "application/octet-stream"

// Driver is the gocloud storage driver: a *blob.Bucket with registry
// semantics.
type Driver struct {
	bucket      *blob.Bucket
	owned       bool // Close closes the bucket
	layout      layout.Layout
	uploads     *objparts.Engine
	native      native
	chunkSize   int
	concurrency int
	expiry      time.Duration
}

// New opens the bucket at p.URL with the Go CDK's URL openers and returns a
// gocloud driver over it, wrapped in driver.Base. p is decided by
// configmap.Prepare. Opening sends no request. Credentials come from each
// provider's environment, as for any Go CDK program; the options' logger,
// HTTP client and user agent do not reach the Go CDK's openers (open the
// bucket yourself and use FromBucket for that).
func New(ctx context.Context, p Params, opts ...driver.Option) (driver.StorageDriver, error) {
	if err := configmap.Prepare(&p); err != nil {
		return nil, err
	}
	b, err := blob.OpenBucket(ctx, p.URL)
	if err != nil {
		return nil, &configmap.Error{Param: "url", Msg: err.Error()}
	}
	d := newDriver(b, p)
	d.owned = true
	return driver.Wrap(d, opts...), nil
}

// FromBucket returns a gocloud driver over a bucket the program opened,
// wrapped in driver.Base; closing the driver leaves the bucket open. p.URL
// may be left empty; when set to the URL the bucket was opened from, the
// driver uses the provider's own client (found with Bucket.As) for what
// the portable API lacks: compose on GCS, HEAD redirect URLs on S3.
func FromBucket(b *blob.Bucket, p Params, opts ...driver.Option) (driver.StorageDriver, error) {
	if p.URL == "" {
		p.URL = "gocloud:bucket"
	}
	if err := configmap.Prepare(&p); err != nil {
		return nil, err
	}
	return driver.Wrap(newDriver(b, p), opts...), nil
}

func newDriver(b *blob.Bucket, p Params) *Driver {
	d := &Driver{
		bucket:      b,
		layout:      layout.New(p.RootDirectory),
		chunkSize:   int(p.ChunkSize),
		concurrency: p.MaxConcurrency,
		expiry:      p.RedirectExpiry,
	}
	u, _ := url.Parse(p.URL) // checked by Prepare
	d.native = nativeOf(b, u)
	var s objparts.Store = store{d}
	if d.native.gcs != nil {
		s = composingStore{store{d}}
	}
	d.uploads = objparts.New(s, d.layout, objparts.Config{
		ChunkSize:   int64(p.ChunkSize),
		Concurrency: p.MaxConcurrency,
	})
	return d
}

// Name implements driver.StorageDriver.
func (d *Driver) Name() string { return Name }

// Close closes the bucket the driver opened (not one given to FromBucket).
func (d *Driver) Close() error {
	if !d.owned {
		return nil
	}
	return d.bucket.Close()
}

// Bucket returns the Go CDK bucket the driver works on.
func (d *Driver) Bucket() *blob.Bucket { return d.bucket }

// isNotFound reports whether err means that no object is at a key: the Go
// CDK's NotFound, or fileblob's "not a directory" for a key below a file's.
func isNotFound(err error) bool {
	return gcerrors.Code(err) == gcerrors.NotFound || errors.Is(err, syscall.ENOTDIR)
}

// notFound turns the Go CDK's not-found error about path into a
// driver.PathNotFoundError.
func notFound(path string, err error) error {
	if isNotFound(err) {
		return driver.PathNotFoundError{Path: path}
	}
	return err
}

func (d *Driver) writerOptions() *blob.WriterOptions {
	return &blob.WriterOptions{
		ContentType:                 contentType,
		DisableContentTypeDetection: true,
		BufferSize:                  d.chunkSize,
		MaxConcurrency:              d.concurrency,
	}
}

// GetContent implements driver.StorageDriver.
func (d *Driver) GetContent(ctx context.Context, path string) ([]byte, error) {
	data, err := d.bucket.ReadAll(ctx, d.layout.Key(path))
	return data, notFound(path, err)
}

// PutContent implements driver.StorageDriver.
func (d *Driver) PutContent(ctx context.Context, path string, content []byte) error {
	return d.bucket.WriteAll(ctx, d.layout.Key(path), content, d.writerOptions())
}

// Reader implements driver.StorageDriver.
func (d *Driver) Reader(ctx context.Context, path string, offset int64) (io.ReadCloser, error) {
	key := d.layout.Key(path)
	r, err := d.bucket.NewRangeReader(ctx, key, offset, -1, nil)
	if err != nil {
		if isNotFound(err) || offset == 0 {
			return nil, notFound(path, err)
		}
		// A range at or past the end (S3 answers 416): tell the two apart.
		attrs, aerr := d.bucket.Attributes(ctx, key)
		switch {
		case aerr != nil:
			return nil, notFound(path, aerr)
		case offset == attrs.Size:
			return io.NopCloser(strings.NewReader("")), nil
		case offset > attrs.Size:
			return nil, driver.InvalidOffsetError{Path: path, Offset: offset}
		}
		return nil, err
	}
	if offset > r.Size() {
		r.Close()
		return nil, driver.InvalidOffsetError{Path: path, Offset: offset}
	}
	return r, nil
}

// Writer implements driver.StorageDriver with internal/objparts: each
// session streams into a hidden part object; Commit assembles them.
func (d *Driver) Writer(ctx context.Context, path string, appendMode bool) (driver.FileWriter, error) {
	return d.uploads.Writer(ctx, path, appendMode)
}

// Stat implements driver.StorageDriver.
func (d *Driver) Stat(ctx context.Context, path string) (driver.FileInfo, error) {
	if path == "/" {
		return driver.NewDirInfo(path), nil
	}
	attrs, err := d.bucket.Attributes(ctx, d.layout.Key(path))
	if err == nil {
		return driver.NewFileInfo(path, attrs.Size, attrs.ModTime), nil
	}
	if !isNotFound(err) {
		return nil, err
	}
	objs, _, err := d.bucket.ListPage(ctx, blob.FirstPageToken, 1, &blob.ListOptions{Prefix: d.layout.DirPrefix(path)})
	if err != nil {
		return nil, err
	}
	if len(objs) == 0 {
		return nil, driver.PathNotFoundError{Path: path}
	}
	return driver.NewDirInfo(path), nil
}

// List implements driver.StorageDriver with one delimited listing.
func (d *Driver) List(ctx context.Context, path string) ([]string, error) {
	prefix := d.layout.DirPrefix(path)
	it := d.bucket.List(&blob.ListOptions{Prefix: prefix, Delimiter: "/"})
	out := []string{}
	for {
		obj, err := it.Next(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if obj.Key == prefix || d.layout.Hidden(obj.Key) {
			continue
		}
		if p, ok := d.layout.Path(obj.Key); ok {
			out = append(out, p)
		}
	}
	if len(out) == 0 && path != "/" {
		return nil, driver.PathNotFoundError{Path: path}
	}
	// A file "a" and a directory "a/" are one entry; a directory sorts
	// by its path, not by its key "a/".
	slices.Sort(out)
	return slices.Compact(out), nil
}

// PurgeUploads implements driver.UploadPurger: it deletes the uploads whose
// newest part is older than olderThan.
func (d *Driver) PurgeUploads(ctx context.Context, olderThan time.Duration) (int, error) {
	return d.uploads.Purge(ctx, time.Now().Add(-olderThan))
}

var (
	_ driver.UploadPurger = (*Driver)(nil)
	_ io.Closer           = (*Driver)(nil)
)
