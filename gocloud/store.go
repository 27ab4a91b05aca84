package gocloud

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"

	"cloud.google.com/go/storage"
	"gocloud.dev/blob"

	"github.com/stowage/stowage/internal/objparts"
)

// store is the Go CDK side of internal/objparts.
type store struct{ d *Driver }

var _ objparts.Store = store{}

func (s store) Create(ctx context.Context, key string) (io.WriteCloser, error) {
	w, err := s.d.bucket.NewWriter(ctx, key, s.d.writerOptions())
	if err != nil {
		return nil, err
	}
	return guardedWriter{w, ctx}, nil
}

// guardedWriter turns a panic of Close into an error. azureblob (v0.47.0)
// panics in Close when its upload failed before, as it does when the
// writer's context is cancelled: its upload goroutine clears the pipe
// reader that Close's deferred call then closes.
type guardedWriter struct {
	*blob.Writer
	ctx context.Context
}

func (w guardedWriter) Close() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("gocloud: closing the writer failed: %v", r)
			if cerr := w.ctx.Err(); cerr != nil {
				err = fmt.Errorf("%w (%v)", cerr, err)
			}
		}
	}()
	return w.Writer.Close()
}

func (s store) Put(ctx context.Context, key string, body io.ReadSeeker, size int64) error {
	opts := s.d.writerOptions()
	opts.BufferSize = 0 // the provider's default: one request for a part
	return s.d.bucket.Upload(ctx, key, body, opts)
}

func (s store) Get(ctx context.Context, key string, off int64) (io.ReadCloser, error) {
	return s.d.bucket.NewRangeReader(ctx, key, off, -1, nil)
}

func (s store) Head(ctx context.Context, key string) (int64, error) {
	attrs, err := s.d.bucket.Attributes(ctx, key)
	if err != nil {
		return 0, err
	}
	return attrs.Size, nil
}

func (s store) Copy(ctx context.Context, dst, src string, size int64) error {
	return s.d.copyObject(ctx, dst, src, size)
}

func (s store) Delete(ctx context.Context, key string) error {
	err := s.d.bucket.Delete(ctx, key)
	if isNotFound(err) {
		return nil
	}
	return err
}

func (s store) List(ctx context.Context, prefix string) iter.Seq2[objparts.Object, error] {
	return func(yield func(objparts.Object, error) bool) {
		// sorted reads a fileblob listing whole before the first object
		// is yielded: fileblob's walk fails on a file deleted under it,
		// as a delete of what is listed would.
		for obj, err := range sorted(ctx, s.d.bucket.List(&blob.ListOptions{Prefix: prefix})) {
			if err != nil {
				yield(objparts.Object{}, err)
				return
			}
			if !yield(objparts.Object{Key: obj.Key, Size: obj.Size, Modified: obj.ModTime}, nil) {
				return
			}
		}
	}
}

func (s store) NotFound(err error) bool {
	return isNotFound(err) || errors.Is(err, storage.ErrObjectNotExist)
}

// composingStore is the store of a bucket on GCS: Commit composes the parts
// server side with the bucket's own client.
type composingStore struct{ store }

var _ objparts.Composer = composingStore{}

func (s composingStore) Compose(ctx context.Context, dst string, srcs []string) error {
	return s.d.native.compose(ctx, dst, srcs)
}

func (composingStore) MaxCompose() int { return maxCompose }
