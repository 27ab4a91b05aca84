package bench

import (
	"context"
	"strings"

	"golang.org/x/sync/errgroup"
)

// sdkPart is a part an SDK multipart upload stored.
type sdkPart struct {
	n    int
	etag string
}

// uploadParts uploads data in parts of partSize, at most concurrency at a
// time, with put, and returns the parts in order: what code using an SDK's
// multipart calls directly does.
func uploadParts(ctx context.Context, data []byte, partSize int64, concurrency int, put func(ctx context.Context, n int, b []byte) (string, error)) ([]sdkPart, error) {
	count := (int64(len(data)) + partSize - 1) / partSize
	parts := make([]sdkPart, count)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(concurrency, 1))
	for i := range parts {
		g.Go(func() error {
			off := int64(i) * partSize
			etag, err := put(gctx, i+1, data[off:min(off+partSize, int64(len(data)))])
			parts[i] = sdkPart{n: i + 1, etag: etag}
			return err
		})
	}
	return parts, g.Wait()
}

// keyOf maps a driver path to a key under prefix ("" or "dir/").
func keyOf(prefix, p string) string { return prefix + strings.TrimPrefix(p, "/") }

// dirOf maps a driver path to the key prefix of what is under it.
func dirOf(prefix, p string) string { return keyOf(prefix, p) + "/" }
