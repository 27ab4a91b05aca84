package swift

import (
	"bytes"
	"context"
	"net/http"
	"sync"

	ncw "github.com/ncw/swift/v2"

	"github.com/stowage/stowage/driver"
)

// Move implements driver.StorageDriver with a server-side copy and a
// delete. A large object moves as its manifest (the segments stay where
// they are); the segments of a large object it replaces are deleted.
//
// Before the copy Move looks up the source and the destination at once:
// whether either is a large object, and which segments the destination's
// holds. Where the driver already knows both — a plain object it has just
// stored or looked up, and a destination Stat found empty less than
// seen.AbsentFor ago, as in a registry's blob commit (Stat of the digest's
// path, Stat of the upload, Move) — it skips the lookups (see moveSeen).
func (d *Driver) Move(ctx context.Context, sourcePath, destPath string) error {
	src, dst := d.key(sourcePath), d.key(destPath)
	if sourcePath != destPath {
		if done, err := d.moveSeen(ctx, src, dst, sourcePath); done {
			return err
		}
	}
	// The source and what the destination holds now are looked up at the
	// same time (one round trip, not two in a row).
	var (
		info           ncw.Object
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
	info, h, kind, segs, srcErr = d.inspect(ctx, src)
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
	var (
		err    error
		copied ncw.Headers
	)
	d.writing(dst)
	switch kind {
	case sloObject:
		err = d.putSLO(ctx, dst, segs)
	case dloObject:
		_, err = d.conn.ObjectPut(ctx, d.container, dst, bytes.NewReader(nil), false, "", contentType,
			ncw.Headers{"Content-Length": "0", "X-Object-Manifest": h["X-Object-Manifest"]})
	default:
		copied, err = d.conn.ObjectCopy(ctx, d.container, src, d.container, dst, nil)
	}
	if err != nil {
		return fail(sourcePath, err)
	}
	d.seen.Forget(src)
	if kind == plainObject {
		d.seen.Saw(dst, info.Bytes, copied["Etag"])
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

// moveSeen moves a plain object the driver has just stored or looked up
// onto a path Stat has just found empty, with the copy and the delete
// alone: the copy is made on condition that the source is still the
// object seen (Swift's copy applies If-Match to its source), and
// fails otherwise (412, or 404 for a source gone), when moveSeen returns
// done false for Move to look both up as it does without this. What it
// cannot check is the destination: a large object another process
// stores there after the Stat and before the copy is replaced without
// its segments being deleted (they stay stored, unreferenced; the data
// at the path is the source's, as asked). Move's lookups leave the same
// window between the lookup and the copy; this widens it to the time
// since the Stat, never more than seen.AbsentFor.
func (d *Driver) moveSeen(ctx context.Context, src, dst, sourcePath string) (done bool, err error) {
	o, ok := d.seen.Get(src)
	if !ok || !d.absent.Recent(dst) {
		return false, nil
	}
	d.writing(dst)
	copied, err := d.conn.ObjectCopy(ctx, d.container, src, d.container, dst, ncw.Headers{"If-Match": o.ETag})
	if err != nil {
		d.seen.Forget(src)
		if s := statusOf(err); s == http.StatusPreconditionFailed || s == http.StatusNotFound {
			return false, nil
		}
		return true, fail(sourcePath, err)
	}
	d.seen.Forget(src)
	d.seen.Saw(dst, o.Size, copied["Etag"])
	if err := d.conn.ObjectDelete(ctx, d.container, src); err != nil && !isNotFound(err) {
		return true, err
	}
	return true, nil
}

var _ driver.StorageDriver = (*Driver)(nil)
