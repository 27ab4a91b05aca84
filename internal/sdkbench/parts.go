package sdkbench

import (
	"bytes"
	"context"
	"io"
	"strings"

	"golang.org/x/sync/errgroup"
)

// part is a part an SDK multipart upload stored.
type part struct {
	n    int
	etag string
}

// uploadParts uploads data in parts of partSize, at most concurrency at a
// time, with put, and returns the parts in order: what code using an SDK's
// multipart calls directly does.
func uploadParts(ctx context.Context, data []byte, partSize int64, concurrency int, put func(ctx context.Context, n int, b []byte) (string, error)) ([]part, error) {
	count := (int64(len(data)) + partSize - 1) / partSize
	parts := make([]part, count)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(concurrency, 1))
	for i := range parts {
		g.Go(func() error {
			off := int64(i) * partSize
			etag, err := put(gctx, i+1, data[off:min(off+partSize, int64(len(data)))])
			parts[i] = part{n: i + 1, etag: etag}
			return err
		})
	}
	return parts, g.Wait()
}

// Under returns a Key function that maps a driver path to a key under
// prefix ("" or "dir/"): Under("area/")("/a/b") is "area/a/b".
func Under(prefix string) func(string) string {
	return func(p string) string { return prefix + strings.TrimPrefix(p, "/") }
}

// dirOf returns the key prefix of what is under the path p.
func dirOf(key func(string) string, p string) string { return key(p) + "/" }

// WriteIn writes data to w in writes of ws bytes (a registry streams a
// PATCH body the same way).
func WriteIn(w io.Writer, data []byte, ws int) error {
	ws = max(ws, 1)
	for off := 0; off < len(data); off += ws {
		if _, err := w.Write(data[off:min(off+ws, len(data))]); err != nil {
			return err
		}
	}
	return nil
}

// readAll reads r to the end and returns the byte count.
func readAll(r io.Reader) (int64, error) { return io.Copy(io.Discard, r) }

// reader returns a fresh reader over data, for SDK calls that want one.
func reader(data []byte) *bytes.Reader { return bytes.NewReader(data) }

// Read opens p with open and reads it to the end, returning the byte
// count: the Read of every Target, given its Open.
func Read(ctx context.Context, open func(context.Context, string) (io.ReadCloser, error), p string) (int64, error) {
	rc, err := open(ctx, p)
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	return readAll(rc)
}
