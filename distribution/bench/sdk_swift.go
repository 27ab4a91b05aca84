package bench

import (
	"context"
	"errors"
	"fmt"

	ncw "github.com/ncw/swift/v2"
)

// SwiftSDK does the workloads with ncw/swift directly: an upload shorter
// than ChunkSize is one PUT, a longer one the SDK's static large object
// writer with segments of ChunkSize in the same container; a move is the
// SDK's ObjectMove (copy, delete); a walk lists the objects; a delete lists
// the names and bulk deletes them.
type SwiftSDK struct {
	Conn      *ncw.Connection
	Container string
	Prefix    string
	ChunkSize int64
}

var _ Target = SwiftSDK{}

// Upload implements Target.
func (t SwiftSDK) Upload(ctx context.Context, p string, data []byte, ws int) error {
	key := keyOf(t.Prefix, p)
	if int64(len(data)) < t.ChunkSize {
		return t.Conn.ObjectPutBytes(ctx, t.Container, key, data, "application/octet-stream")
	}
	f, err := t.Conn.StaticLargeObjectCreateFile(ctx, &ncw.LargeObjectOpts{
		Container: t.Container, ObjectName: key, ChunkSize: t.ChunkSize, ContentType: "application/octet-stream",
		SegmentContainer: t.Container, SegmentPrefix: fmt.Sprintf("%s~sdksegments/%s", t.Prefix, key),
	})
	if err != nil {
		return err
	}
	if err := writeIn(f, data, ws); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

// Read implements Target.
func (t SwiftSDK) Read(ctx context.Context, p string) (int64, error) {
	f, _, err := t.Conn.ObjectOpen(ctx, t.Container, keyOf(t.Prefix, p), false, nil)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return readAll(f)
}

// Put implements Target.
func (t SwiftSDK) Put(ctx context.Context, p string, data []byte) error {
	return t.Conn.ObjectPutBytes(ctx, t.Container, keyOf(t.Prefix, p), data, "application/octet-stream")
}

// Exists implements Target.
func (t SwiftSDK) Exists(ctx context.Context, p string) (bool, error) {
	_, _, err := t.Conn.Object(ctx, t.Container, keyOf(t.Prefix, p))
	if errors.Is(err, ncw.ObjectNotFound) {
		return false, nil
	}
	return err == nil, err
}

// Move implements Target.
func (t SwiftSDK) Move(ctx context.Context, src, dst string) error {
	return t.Conn.ObjectMove(ctx, t.Container, keyOf(t.Prefix, src), t.Container, keyOf(t.Prefix, dst))
}

// Walk implements Target. It lists the objects with their sizes and
// times (JSON), as a Walk needs them: the SDK's name-only listing (plain
// text) would be less work than a Walk does.
func (t SwiftSDK) Walk(ctx context.Context, p string) (int, error) {
	objs, err := t.Conn.ObjectsAll(ctx, t.Container, &ncw.ObjectsOpts{Prefix: dirOf(t.Prefix, p)})
	return len(objs), err
}

// Delete implements Target.
func (t SwiftSDK) Delete(ctx context.Context, p string) error {
	names, err := t.Conn.ObjectNamesAll(ctx, t.Container, &ncw.ObjectsOpts{Prefix: dirOf(t.Prefix, p)})
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
