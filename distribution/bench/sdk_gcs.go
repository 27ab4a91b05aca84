package bench

import (
	"context"
	"errors"

	"cloud.google.com/go/storage"
	"golang.org/x/sync/errgroup"
	"google.golang.org/api/iterator"
)

// GCSSDK does the workloads with cloud.google.com/go/storage directly: an
// upload is one storage.Writer with ChunkSize (the driver's chunksize); a
// put is a Writer with ChunkSize 0 (one request); a move is a copy and a
// delete; a delete lists and deletes object by object, Concurrency at a
// time.
type GCSSDK struct {
	Bucket      *storage.BucketHandle
	Prefix      string
	ChunkSize   int
	Concurrency int
}

var _ Target = GCSSDK{}

func (t GCSSDK) write(ctx context.Context, key string, data []byte, chunk, ws int) error {
	w := t.Bucket.Object(key).NewWriter(ctx)
	w.ChunkSize = chunk
	w.ContentType = "application/octet-stream"
	if err := writeIn(w, data, max(ws, 1)); err != nil {
		_ = w.Close()
		return err
	}
	return w.Close()
}

// Upload implements Target.
func (t GCSSDK) Upload(ctx context.Context, p string, data []byte, ws int) error {
	return t.write(ctx, keyOf(t.Prefix, p), data, t.ChunkSize, ws)
}

// Read implements Target.
func (t GCSSDK) Read(ctx context.Context, p string) (int64, error) {
	r, err := t.Bucket.Object(keyOf(t.Prefix, p)).NewReader(ctx)
	if err != nil {
		return 0, err
	}
	defer r.Close()
	return readAll(r)
}

// Put implements Target.
func (t GCSSDK) Put(ctx context.Context, p string, data []byte) error {
	return t.write(ctx, keyOf(t.Prefix, p), data, 0, len(data))
}

// Exists implements Target.
func (t GCSSDK) Exists(ctx context.Context, p string) (bool, error) {
	_, err := t.Bucket.Object(keyOf(t.Prefix, p)).Attrs(ctx)
	if errors.Is(err, storage.ErrObjectNotExist) {
		return false, nil
	}
	return err == nil, err
}

// Move implements Target.
func (t GCSSDK) Move(ctx context.Context, src, dst string) error {
	from := t.Bucket.Object(keyOf(t.Prefix, src))
	if _, err := t.Bucket.Object(keyOf(t.Prefix, dst)).CopierFrom(from).Run(ctx); err != nil {
		return err
	}
	return from.Delete(ctx)
}

func (t GCSSDK) list(ctx context.Context, p string, f func(name string)) error {
	it := t.Bucket.Objects(ctx, &storage.Query{Prefix: dirOf(t.Prefix, p)})
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
func (t GCSSDK) Walk(ctx context.Context, p string) (int, error) {
	n := 0
	err := t.list(ctx, p, func(string) { n++ })
	return n, err
}

// Delete implements Target.
func (t GCSSDK) Delete(ctx context.Context, p string) error {
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
