package stowageblob

import (
	"context"
	"crypto/md5"
	"errors"
	"hash"

	"gocloud.dev/blob/driver"

	stowage "github.com/stowage/stowage/driver"
)

// NewTypedWriter implements driver.Bucket with a new upload of the driver
// (Writer with append=false), committed by Close, then the blob's
// attributes stored beside it. Nothing is visible at the key until Close.
// IfNotExist is checked with a Stat at Close: it is not atomic.
func (b *bucket) NewTypedWriter(ctx context.Context, key, contentType string, opts *driver.WriterOptions) (driver.Writer, error) {
	path, err := keyPath(key)
	if err != nil {
		return nil, &keyError{key, err}
	}
	fw, err := b.d.Writer(ctx, path, false)
	if err != nil {
		return nil, err
	}
	if opts.BeforeWrite != nil {
		as := func(i any) bool {
			p, ok := i.(*stowage.FileWriter)
			if ok {
				*p = fw
			}
			return ok
		}
		if err := opts.BeforeWrite(as); err != nil {
			_ = fw.Cancel(context.WithoutCancel(ctx))
			return nil, err
		}
	}
	return &writer{
		b: b, ctx: ctx, key: key, path: path, fw: fw, md5: md5.New(), ifNotExist: opts.IfNotExist,
		attrs: attrs{
			ContentType:        contentType,
			CacheControl:       opts.CacheControl,
			ContentDisposition: opts.ContentDisposition,
			ContentEncoding:    opts.ContentEncoding,
			ContentLanguage:    opts.ContentLanguage,
			Metadata:           opts.Metadata,
		},
	}, nil
}

// writer implements driver.Writer.
type writer struct {
	b          *bucket
	ctx        context.Context
	key, path  string
	fw         stowage.FileWriter
	md5        hash.Hash
	attrs      attrs
	ifNotExist bool
}

func (w *writer) Write(p []byte) (int, error) {
	n, err := w.fw.Write(p)
	w.md5.Write(p[:n])
	return n, err
}

// Close commits the upload, unless the writer's context is done (the
// upload is then cancelled and Close returns the context's error), and
// stores the attributes.
func (w *writer) Close() error {
	abandon := func(err error) error {
		return errors.Join(err, w.fw.Cancel(context.WithoutCancel(w.ctx)))
	}
	if err := w.ctx.Err(); err != nil {
		return abandon(err)
	}
	if w.ifNotExist {
		if _, _, err := w.b.stat(w.ctx, w.key); err == nil {
			return abandon(&keyError{w.key, errExists})
		} else if !stowage.IsNotFound(err) {
			return abandon(err)
		}
	}
	if err := w.fw.Commit(w.ctx); err != nil {
		return abandon(err)
	}
	w.attrs.Size = w.fw.Size()
	w.attrs.MD5 = w.md5.Sum(nil)
	return writeAttrs(w.ctx, w.b.d, w.path, &w.attrs)
}
