package sdkbench

import (
	"context"
	"errors"
	"io"

	ncw "github.com/ncw/swift/v2"
)

// Swift does the workloads with ncw/swift directly: an upload shorter
// than ChunkSize is one PUT, a longer one the SDK's static large object
// writer with segments of ChunkSize in the same container; a move is the
// SDK's ObjectMove (copy, delete); a walk lists the objects; a delete lists
// the names and bulk deletes them.
type Swift struct {
	Conn      *ncw.Connection
	Container string
	// Key maps a driver path to the object key (Under gives one for a prefix).
	Key       func(path string) string
	ChunkSize int64
}

// Upload implements Target.
func (t Swift) Upload(ctx context.Context, p string, data []byte, ws int) error {
	key := t.Key(p)
	if int64(len(data)) < t.ChunkSize {
		return t.Conn.ObjectPutBytes(ctx, t.Container, key, data, "application/octet-stream")
	}
	f, err := t.Conn.StaticLargeObjectCreateFile(ctx, &ncw.LargeObjectOpts{
		Container: t.Container, ObjectName: key, ChunkSize: t.ChunkSize, ContentType: "application/octet-stream",
		SegmentContainer: t.Container, SegmentPrefix: key + "~segments", // beside the object, removed with its directory
	})
	if err != nil {
		return err
	}
	if err := WriteIn(f, data, ws); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

// Open implements Target.
func (t Swift) Open(ctx context.Context, p string) (io.ReadCloser, error) {
	f, _, err := t.Conn.ObjectOpen(ctx, t.Container, t.Key(p), false, nil)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// Read implements Target.
func (t Swift) Read(ctx context.Context, p string) (int64, error) { return Read(ctx, t.Open, p) }

// Put implements Target.
func (t Swift) Put(ctx context.Context, p string, data []byte) error {
	return t.Conn.ObjectPutBytes(ctx, t.Container, t.Key(p), data, "application/octet-stream")
}

// Exists implements Target.
func (t Swift) Exists(ctx context.Context, p string) (bool, error) {
	_, _, err := t.Conn.Object(ctx, t.Container, t.Key(p))
	if errors.Is(err, ncw.ObjectNotFound) {
		return false, nil
	}
	return err == nil, err
}

// Move implements Target.
func (t Swift) Move(ctx context.Context, src, dst string) error {
	return t.Conn.ObjectMove(ctx, t.Container, t.Key(src), t.Container, t.Key(dst))
}

// Walk implements Target. It lists the objects with their sizes and
// times (JSON), as a Walk needs them: the SDK's name-only listing (plain
// text) would be less work than a Walk does.
func (t Swift) Walk(ctx context.Context, p string) (int, error) {
	objs, err := t.Conn.ObjectsAll(ctx, t.Container, &ncw.ObjectsOpts{Prefix: dirOf(t.Key, p)})
	return len(objs), err
}

// Delete implements Target.
func (t Swift) Delete(ctx context.Context, p string) error {
	names, err := t.Conn.ObjectNamesAll(ctx, t.Container, &ncw.ObjectsOpts{Prefix: dirOf(t.Key, p)})
	if err != nil {
		return err
	}
	for len(names) > 0 {
		n := min(len(names), 1000)
		if _, err := t.Conn.BulkDelete(ctx, t.Container, names[:n]); err != nil {
			return err
		}
		names = names[n:]
	}
	return nil
}
