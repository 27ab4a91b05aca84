package sdkbench

import (
	"context"
	"errors"
	"io"

	"cloud.google.com/go/storage"
	"golang.org/x/sync/errgroup"
	"google.golang.org/api/iterator"
)

// GCS does the workloads with cloud.google.com/go/storage directly: an
// upload is one storage.Writer with ChunkSize (the driver's chunksize); a
// put is a Writer with ChunkSize 0 (one request); a move is a copy and a
// delete; a delete lists and deletes object by object, Concurrency at a
// time.
type GCS struct {
	Bucket *storage.BucketHandle
	// Key maps a driver path to the object key (Under gives one for a prefix).
	Key         func(path string) string
	ChunkSize   int
	Concurrency int
}

func (t GCS) write(ctx context.Context, key string, data []byte, chunk, ws int) error {
	w := t.Bucket.Object(key).NewWriter(ctx)
	w.ChunkSize = chunk
	w.ContentType = "application/octet-stream"
	if err := WriteIn(w, data, max(ws, 1)); err != nil {
		_ = w.Close()
		return err
	}
	return w.Close()
}

// Upload implements Target.
func (t GCS) Upload(ctx context.Context, p string, data []byte, ws int) error {
	return t.write(ctx, t.Key(p), data, t.ChunkSize, ws)
}

// Open implements Target.
func (t GCS) Open(ctx context.Context, p string) (io.ReadCloser, error) {
	return t.Bucket.Object(t.Key(p)).NewReader(ctx)
}

// Read implements Target.
func (t GCS) Read(ctx context.Context, p string) (int64, error) { return Read(ctx, t.Open, p) }

// Put implements Target.
func (t GCS) Put(ctx context.Context, p string, data []byte) error {
	return t.write(ctx, t.Key(p), data, 0, len(data))
}

// Exists implements Target.
func (t GCS) Exists(ctx context.Context, p string) (bool, error) {
	_, err := t.Bucket.Object(t.Key(p)).Attrs(ctx)
	if errors.Is(err, storage.ErrObjectNotExist) {
		return false, nil
	}
	return err == nil, err
}

// Move implements Target.
func (t GCS) Move(ctx context.Context, src, dst string) error {
	from := t.Bucket.Object(t.Key(src))
	if _, err := t.Bucket.Object(t.Key(dst)).CopierFrom(from).Run(ctx); err != nil {
		return err
	}
	return from.Delete(ctx)
}

func (t GCS) list(ctx context.Context, p string, f func(name string)) error {
	it := t.Bucket.Objects(ctx, &storage.Query{Prefix: dirOf(t.Key, p)})
	for {
		o, err := it.Next()
		if errors.Is(err, iterator.Done) {
			return nil
		}
		if err != nil {
			return err
		}
		f(o.Name)
	}
}

// Walk implements Target.
func (t GCS) Walk(ctx context.Context, p string) (int, error) {
	n := 0
	err := t.list(ctx, p, func(string) { n++ })
	return n, err
}

// Delete implements Target.
func (t GCS) Delete(ctx context.Context, p string) error {
	var names []string
	if err := t.list(ctx, p, func(name string) { names = append(names, name) }); err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(t.Concurrency, 1))
	for _, name := range names {
		g.Go(func() error { return t.Bucket.Object(name).Delete(gctx) })
	}
	return g.Wait()
}
