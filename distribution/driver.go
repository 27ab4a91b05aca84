package distribution

import (
	"context"
	"errors"
	"io"
	"net/http"

	storagedriver "github.com/distribution/distribution/v3/registry/storage/driver"
	"github.com/distribution/distribution/v3/registry/storage/driver/base"
	"github.com/stowage/stowage/driver"
)

// Option configures New.
type Option func(*options)

type options struct {
	name   string
	keyer  func(path string) string
	noBase bool
}

// WithName sets the name the driver reports (Name, and DriverName in its
// errors). The default is the stowage driver's name, such as "s3".
func WithName(name string) Option {
	return func(o *options) { o.name = name }
}

// WithS3BucketKey gives the driver an S3BucketKey method returning
// key(path), the object key of a path. distribution's cloudfront storage
// middleware signs its URLs for that key and falls back to the driver's own
// RedirectURL for a driver without the method. New finds the method on the
// stowage driver itself when it has one; the s3 factory of this package
// derives it from the rootdirectory parameter.
func WithS3BucketKey(key func(path string) string) Option {
	return func(o *options) { o.keyer = key }
}

// WithoutBase leaves out distribution's base.Base wrapper: the driver then
// records no distribution metrics or spans (stowage's own are still
// recorded), and returns every error it translates itself, errors of a
// Walk callback included, unchanged.
func WithoutBase() Option {
	return func(o *options) { o.noBase = true }
}

// S3BucketKeyer is the interface distribution's cloudfront middleware looks
// for on a driver to sign CloudFront URLs for its objects.
type S3BucketKeyer interface {
	S3BucketKey(path string) string
}

// Driver is a stowage driver as a distribution storage driver. It embeds
// distribution's base.Base, as distribution's own drivers do: paths are
// checked, distribution's registry_storage_action_seconds metric and spans
// are recorded, and errors have distribution's types.
type Driver struct {
	base.Base
	d driver.StorageDriver
}

var _ storagedriver.StorageDriver = (*Driver)(nil)

// Stowage returns the stowage driver d translates, to reach stowage's
// optional capabilities (driver.As, driver.PurgeUploads, Preflight).
func (d *Driver) Stowage() driver.StorageDriver { return d.d }

// keyedDriver is a Driver with an S3BucketKey method.
type keyedDriver struct {
	*Driver
	key func(path string) string
}

func (k keyedDriver) S3BucketKey(path string) string { return k.key(path) }

// plainDriver is the translation without base.Base.
type plainDriver struct {
	*shim
}

func (p plainDriver) Stowage() driver.StorageDriver { return p.d }

type keyedPlainDriver struct {
	plainDriver
	key func(path string) string
}

func (k keyedPlainDriver) S3BucketKey(path string) string { return k.key(path) }

// New returns d as a distribution v3 storage driver: every method, the
// FileWriter, FileInfo, walk options and walk callback results translated
// both ways, and errors as the values distribution's own drivers return:
// storagedriver.PathNotFoundError, InvalidPathError, InvalidOffsetError,
// ErrUnsupportedMethod, and storagedriver.Error{DriverName, Detail} for any
// other error, with the stowage error (which wraps the provider's) as
// Detail. DriverName is always the driver's Name.
//
// The result is a *Driver (with an S3BucketKey method when a key function
// is known), unless WithoutBase is given.
func New(d driver.StorageDriver, opts ...Option) storagedriver.StorageDriver {
	o := options{name: d.Name()}
	for _, opt := range opts {
		opt(&o)
	}
	if o.keyer == nil {
		if k, ok := driver.As[S3BucketKeyer](d); ok {
			o.keyer = k.S3BucketKey
		}
	}
	s := &shim{d: d, name: o.name, underBase: !o.noBase}
	if o.noBase {
		p := plainDriver{s}
		if o.keyer != nil {
			return keyedPlainDriver{p, o.keyer}
		}
		return p
	}
	dd := &Driver{Base: base.Base{StorageDriver: s}, d: d}
	if o.keyer != nil {
		return keyedDriver{dd, o.keyer}
	}
	return dd
}

// Stowage returns the stowage driver behind sd when sd was made by New.
func Stowage(sd storagedriver.StorageDriver) (driver.StorageDriver, bool) {
	s, ok := sd.(interface{ Stowage() driver.StorageDriver })
	if !ok {
		return nil, false
	}
	return s.Stowage(), true
}

// shim translates the calls. Under base.Base it leaves untyped errors of
// the methods base wraps to base (see methodError).
type shim struct {
	d         driver.StorageDriver
	name      string
	underBase bool
}

var _ storagedriver.StorageDriver = (*shim)(nil)

func (s *shim) err(err error) error {
	if s.underBase {
		return methodError(s.name, err)
	}
	return translateError(s.name, err)
}

// Name implements storagedriver.StorageDriver.
func (s *shim) Name() string { return s.name }

// GetContent implements storagedriver.StorageDriver.
func (s *shim) GetContent(ctx context.Context, path string) ([]byte, error) {
	b, err := s.d.GetContent(ctx, path)
	if err != nil {
		return nil, s.err(err)
	}
	return b, nil
}

// PutContent implements storagedriver.StorageDriver.
func (s *shim) PutContent(ctx context.Context, path string, content []byte) error {
	return s.err(s.d.PutContent(ctx, path, content))
}

// Reader implements storagedriver.StorageDriver. Errors of the returned
// stream are the stowage driver's (io.EOF at the end).
func (s *shim) Reader(ctx context.Context, path string, offset int64) (io.ReadCloser, error) {
	rc, err := s.d.Reader(ctx, path, offset)
	if err != nil {
		return nil, s.err(err)
	}
	return rc, nil
}

// Writer implements storagedriver.StorageDriver.
func (s *shim) Writer(ctx context.Context, path string, append bool) (storagedriver.FileWriter, error) {
	w, err := s.d.Writer(ctx, path, append)
	if err != nil {
		return nil, s.err(err)
	}
	return &fileWriter{w: w, name: s.name}, nil
}

// Stat implements storagedriver.StorageDriver.
func (s *shim) Stat(ctx context.Context, path string) (storagedriver.FileInfo, error) {
	fi, err := s.d.Stat(ctx, path)
	if err != nil {
		return nil, s.err(err)
	}
	return fileInfo(fi), nil
}

// List implements storagedriver.StorageDriver.
func (s *shim) List(ctx context.Context, path string) ([]string, error) {
	l, err := s.d.List(ctx, path)
	if err != nil {
		return nil, s.err(err)
	}
	return l, nil
}

// Move implements storagedriver.StorageDriver.
func (s *shim) Move(ctx context.Context, sourcePath, destPath string) error {
	return s.err(s.d.Move(ctx, sourcePath, destPath))
}

// Delete implements storagedriver.StorageDriver.
func (s *shim) Delete(ctx context.Context, path string) error {
	return s.err(s.d.Delete(ctx, path))
}

// RedirectURL implements storagedriver.StorageDriver.
func (s *shim) RedirectURL(r *http.Request, path string) (string, error) {
	u, err := s.d.RedirectURL(r, path)
	if err != nil {
		return "", s.err(err)
	}
	return u, nil
}

// Walk implements storagedriver.StorageDriver. The callback gets
// distribution FileInfo values; its storagedriver.ErrSkipDir and
// ErrFilledBuffer mean what they mean to distribution (and to stowage);
// any other error it returns ends the walk and is returned as it is.
func (s *shim) Walk(ctx context.Context, path string, f storagedriver.WalkFn, options ...func(*storagedriver.WalkOptions)) error {
	var wo storagedriver.WalkOptions
	for _, o := range options {
		o(&wo)
	}
	var fnErr error
	err := s.d.Walk(ctx, path, func(fi driver.FileInfo) error {
		switch err := f(fileInfo(fi)); {
		case err == nil:
			return nil
		case errors.Is(err, storagedriver.ErrSkipDir):
			return driver.ErrSkipDir
		case errors.Is(err, storagedriver.ErrFilledBuffer):
			return driver.ErrFilledBuffer
		default:
			fnErr = err
			return err
		}
	}, driver.WithStartAfterHint(wo.StartAfterHint))
	if err != nil && fnErr != nil && errors.Is(err, fnErr) {
		return fnErr
	}
	return s.err(err)
}
