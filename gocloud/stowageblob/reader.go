package stowageblob

import (
	"context"
	"io"
	"strings"

	"gocloud.dev/blob/driver"

	stowage "github.com/stowage/stowage/driver"
)

// NewRangeReader implements driver.Bucket: Stat and the stored attributes
// (for the content type), then the driver's Reader from offset, limited to
// length bytes when length is not negative.
func (b *bucket) NewRangeReader(ctx context.Context, key string, offset, length int64, opts *driver.ReaderOptions) (driver.Reader, error) {
	_, path, a, err := b.statAttrs(ctx, key)
	if err != nil {
		return nil, err
	}
	var rc io.ReadCloser = io.NopCloser(strings.NewReader(""))
	if length != 0 {
		rc, err = b.d.Reader(ctx, path, offset)
		if err != nil {
			if stowage.IsNotFound(err) {
				return nil, notFound(key)
			}
			return nil, err
		}
		if length > 0 {
			rc = limitedReadCloser{io.LimitReader(rc, length), rc}
		}
	}
	if opts.BeforeRead != nil {
		if err := opts.BeforeRead(func(any) bool { return false }); err != nil {
			rc.Close()
			return nil, err
		}
	}
	return &reader{rc: rc, attrs: driver.ReaderAttributes{ContentType: a.ContentType, ModTime: a.ModTime, Size: a.Size}}, nil
}

type limitedReadCloser struct {
	io.Reader
	io.Closer
}

// reader implements driver.Reader.
type reader struct {
	rc    io.ReadCloser
	attrs driver.ReaderAttributes
}

func (r *reader) Read(p []byte) (int, error)           { return r.rc.Read(p) }
func (r *reader) Close() error                         { return r.rc.Close() }
func (r *reader) Attributes() *driver.ReaderAttributes { return &r.attrs }
func (r *reader) As(i any) bool                        { return false }
