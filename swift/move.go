package swift

import (
	"bytes"
	"context"

	ncw "github.com/ncw/swift/v2"

	"github.com/stowage/stowage/driver"
)

// Move implements driver.StorageDriver with a server-side copy and a
// delete. A large object moves as its manifest (the segments stay where
// they are); the segments of a large object it replaces are deleted.
func (d *Driver) Move(ctx context.Context, sourcePath, destPath string) error {
	src, dst := d.key(sourcePath), d.key(destPath)
	_, h, kind, segs, err := d.inspect(ctx, src)
	if err != nil {
		return fail(sourcePath, err)
	}
	if sourcePath == destPath {
		return nil
	}
	_, _, oldKind, oldSegs, err := d.inspect(ctx, dst)
	if err != nil && !isNotFound(err) {
		return err
	}
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
