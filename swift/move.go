package swift

import (
	"bytes"
	"context"
	"sync"

	ncw "github.com/ncw/swift/v2"

	"github.com/stowage/stowage/driver"
)

// Move implements driver.StorageDriver with a server-side copy and a
// delete. A large object moves as its manifest (the segments stay where
// they are); the segments of a large object it replaces are deleted.
func (d *Driver) Move(ctx context.Context, sourcePath, destPath string) error {
	src, dst := d.key(sourcePath), d.key(destPath)
	// The source and what the destination holds now are looked up at the
	// same time (one round trip, not two in a row).
	var (
		h              ncw.Headers
		kind, oldKind  objectKind
		segs, oldSegs  []segment
		srcErr, dstErr error
		lookups        sync.WaitGroup
	)
	lookups.Add(1)
	go func() {
		defer lookups.Done()
		if sourcePath != destPath {
			_, _, oldKind, oldSegs, dstErr = d.inspect(ctx, dst)
		}
	}()
	_, h, kind, segs, srcErr = d.inspect(ctx, src)
	lookups.Wait()
	if srcErr != nil {
		return fail(sourcePath, srcErr)
	}
	if sourcePath == destPath {
		return nil
	}
	if dstErr != nil && !isNotFound(dstErr) {
		return dstErr
	}
	var err error
	switch kind {
	case sloObject:
		err = d.putSLO(ctx, dst, segs)
	case dloObject:
		_, err = d.conn.ObjectPut(ctx, d.container, dst, bytes.NewReader(nil), false, "", contentType,
			ncw.Headers{"Content-Length": "0", "X-Object-Manifest": h["X-Object-Manifest"]})
	default:
		_, err = d.conn.ObjectCopy(ctx, d.container, src, d.container, dst, nil)
	}
	if err != nil {
		return fail(sourcePath, err)
	}
	// A plain DELETE of a manifest leaves its segments, now the
	// destination's.
	if err := d.conn.ObjectDelete(ctx, d.container, src); err != nil && !isNotFound(err) {
		return err
	}
	if oldKind != plainObject {
		return d.deleteSegments(ctx, oldSegs, segs)
	}
	return nil
}

var _ driver.StorageDriver = (*Driver)(nil)
