package swift

import (
	"context"
	"fmt"
	"iter"

	ncw "github.com/ncw/swift/v2"
	"golang.org/x/sync/errgroup"

	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/internal/deltree"
)

// deleteParallel is how many delete requests run at once. Swift's bulk
// middleware deletes two objects at a time per request by default, so
// splitting a large delete over a few requests shortens it.
const deleteParallel = 4

// Delete implements driver.StorageDriver with internal/deltree: the object
// at path and every object under path + "/", with the segments of those
// that are large objects. Objects go in bulk-delete requests where the
// cluster has bulk delete, one DELETE each otherwise.
func (d *Driver) Delete(ctx context.Context, path string) error {
	batch := 1
	if d.features.bulkDelete {
		batch = d.features.maxDeletes
	}
	key := d.key(path)
	d.seen.Forget(key)
	n, err := deltree.Tree(ctx, deleter{d, path}, key, key+"/", deltree.Config{Batch: batch, Concurrency: deleteParallel})
	if err != nil {
		return err
	}
	if n == 0 {
		return driver.PathNotFoundError{Path: path}
	}
	return nil
}

// deleter is the Swift side of deltree: listed objects carry what tells a
// large-object manifest, whose segments go with it.
type deleter struct {
	d    *Driver
	path string
}

func (x deleter) List(ctx context.Context, prefix string) iter.Seq2[ncw.Object, error] {
	return func(yield func(ncw.Object, error) bool) {
		err := x.d.conn.ObjectsWalk(ctx, x.d.container, &ncw.ObjectsOpts{Prefix: prefix}, func(ctx context.Context, opts *ncw.ObjectsOpts) (any, error) {
			objs, err := x.d.conn.Objects(ctx, x.d.container, opts)
			if err == nil {
				for _, o := range objs {
					if !yield(o, nil) {
						return objs, errStopListing
					}
				}
			}
			return objs, err
		})
		if err != nil && err != errStopListing {
			yield(ncw.Object{}, fail(x.path, err))
		}
	}
}

func (x deleter) Delete(ctx context.Context, objs []ncw.Object) error {
	d := x.d
	names := make([]string, 0, len(objs))
	var segs []segment
	for _, o := range objs {
		names = append(names, o.Name)
		// Listings mark SLO manifests (slo_etag); a DLO manifest is an
		// empty object with an X-Object-Manifest header.
		var s []segment
		var err error
		switch {
		case o.SLOHash != "":
			s, err = d.sloSegments(ctx, o.Name)
		case o.Bytes == 0 && !d.features.slo:
			_, _, _, s, err = d.inspect(ctx, o.Name)
		}
		if err != nil && !isNotFound(err) {
			return err
		}
		segs = append(segs, s...)
	}
	if err := d.deleteObjects(ctx, d.container, names); err != nil {
		return err
	}
	return d.deleteSegments(ctx, segs, nil)
}

// DeleteKey inspects the object (a HEAD, and the manifest of a large
// object) and deletes it with its segments.
func (x deleter) DeleteKey(ctx context.Context, key string) (bool, error) {
	d := x.d
	_, _, _, segs, err := d.inspect(ctx, key)
	if isNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, fail(x.path, err)
	}
	if err := d.deleteObjects(ctx, d.container, []string{key}); err != nil {
		return true, err
	}
	return true, d.deleteSegments(ctx, segs, nil)
}

// deleteObjects deletes names from container; names already gone are
// fine.
func (d *Driver) deleteObjects(ctx context.Context, container string, names []string) error {
	if len(names) == 0 {
		return nil
	}
	if !d.features.bulkDelete || len(names) == 1 {
		return forEach(ctx, names, 1, func(ctx context.Context, batch []string) error {
			err := d.conn.ObjectDelete(ctx, container, batch[0])
			if isNotFound(err) {
				return nil
			}
			return err
		})
	}
	size := min(d.features.maxDeletes, max(25, (len(names)+deleteParallel-1)/deleteParallel))
	return forEach(ctx, names, size, func(ctx context.Context, batch []string) error {
		res, err := d.conn.BulkDelete(ctx, container, batch)
		if err != nil && !isNotFound(err) {
			return err
		}
		for name, e := range res.Errors {
			if e != nil && !isNotFound(e) {
				return fmt.Errorf("bulk delete of %s/%s: %w", container, name, e)
			}
		}
		return nil
	})
}

// forEach calls f on batches of at most size names, deleteParallel at a
// time, and returns the first error.
func forEach(ctx context.Context, names []string, size int, f func(context.Context, []string) error) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(deleteParallel)
	for start := 0; start < len(names); start += size {
		batch := names[start:min(start+size, len(names))]
		g.Go(func() error { return f(gctx, batch) })
	}
	return g.Wait()
}
