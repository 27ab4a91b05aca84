package gcs

import (
	"context"
	"hash/crc32"
	"io"
	"iter"

	"cloud.google.com/go/storage"

	"github.com/stowage/stowage/internal/objparts"
)

// store is the GCS side of internal/objparts: part objects written with
// resumable uploads of chunksize requests, assembled with compose.
type store struct{ d *Driver }

var (
	_ objparts.Store    = store{}
	_ objparts.Composer = store{}
)

const contentType = "application/octet-stream"

// writerCtx is a GCS object writer whose context is cancelled with it, so
// that a writer abandoned midway stores nothing.
type writerCtx struct {
	*storage.Writer
	cancel context.CancelFunc
}

func (w writerCtx) Close() error {
	defer w.cancel()
	return w.Writer.Close()
}

func (s store) Create(ctx context.Context, key string) (io.WriteCloser, error) {
	ctx, cancel := context.WithCancel(ctx)
	w := s.d.bucket.Object(key).NewWriter(ctx)
	w.ChunkSize = s.d.chunkSize
	w.ContentType = contentType
	return writerCtx{w, cancel}, nil
}

func (s store) Put(ctx context.Context, key string, body io.ReadSeeker, _ int64) error {
	return s.d.putOnce(ctx, key, body)
}

func (s store) Get(ctx context.Context, key string, off int64) (io.ReadCloser, error) {
	return s.d.bucket.Object(key).NewRangeReader(ctx, off, -1)
}

func (s store) Head(ctx context.Context, key string) (int64, error) {
	attrs, err := s.d.bucket.Object(key).Attrs(ctx)
	if err != nil {
		return 0, err
	}
	return attrs.Size, nil
}

// Copy is a rewrite, which GCS does without copying data when location and
// storage class match.
func (s store) Copy(ctx context.Context, dst, src string, _ int64) error {
	c := s.d.bucket.Object(dst).CopierFrom(s.d.bucket.Object(src))
	c.ContentType = contentType
	_, err := c.Run(ctx)
	return err
}

func (s store) Delete(ctx context.Context, key string) error {
	err := s.d.bucket.Object(key).Delete(ctx)
	if isNotExist(err) {
		return nil
	}
	return err
}

func (s store) List(ctx context.Context, prefix string) iter.Seq2[objparts.Object, error] {
	return func(yield func(objparts.Object, error) bool) {
		q := &storage.Query{Prefix: prefix}
		_ = q.SetAttrSelection([]string{"Name", "Size", "Updated"})
		it := s.d.bucket.Objects(ctx, q)
		for {
			attrs, err := it.Next()
			if isDone(err) {
				return
			}
			if err != nil {
				yield(objparts.Object{}, err)
				return
			}
			if !yield(objparts.Object{Key: attrs.Name, Size: attrs.Size, Modified: attrs.Updated}, nil) {
				return
			}
		}
	}
}

func (s store) NotFound(err error) bool { return isNotExist(err) }

// Compose writes the concatenation of srcs to dst in one compose request.
func (s store) Compose(ctx context.Context, dst string, srcs []string) error {
	handles := make([]*storage.ObjectHandle, len(srcs))
	for i, k := range srcs {
		handles[i] = s.d.bucket.Object(k)
	}
	c := s.d.bucket.Object(dst).ComposerFrom(handles...)
	c.ContentType = contentType
	_, err := c.Run(ctx)
	return err
}

// MaxCompose is the most sources GCS composes at once.
func (s store) MaxCompose() int { return 32 }

// putOnce stores body at key with a single-request upload, sent with its
// CRC32C and again from body while it fails with a transient error.
func (d *Driver) putOnce(ctx context.Context, key string, body io.ReadSeeker) error {
	sum, err := crc32c(body)
	if err != nil {
		return err
	}
	return retryPolicy.Again(ctx, d.retries, "upload "+key, body, storage.ShouldRetry, func() error {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		w := d.bucket.Object(key).NewWriter(ctx)
		w.ChunkSize = 0 // one request
		w.ContentType = contentType
		// GCS checks the CRC32C sent before it stores anything; the
		// library's own check, after the fact, would hash every byte again.
		w.CRC32C, w.SendCRC32C, w.DisableAutoChecksum = sum, true, true
		if _, err := io.Copy(w, body); err != nil {
			cancel()
			_ = w.Close()
			return err
		}
		return w.Close()
	})
}

// castagnoli is the CRC32C table.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// crc32c returns the CRC32C of body, with body back at its start. A
// single-request upload sent with it is checked by GCS before anything is
// stored: the library's own check of a single-request upload compares
// after the fact, when a damaged object may already be stored (and, as a
// part, would be resumed).
func crc32c(body io.ReadSeeker) (uint32, error) {
	h := crc32.New(castagnoli)
	if _, err := io.Copy(h, body); err != nil {
		return 0, err
	}
	if _, err := body.Seek(0, io.SeekStart); err != nil {
		return 0, err
	}
	return h.Sum32(), nil
}
