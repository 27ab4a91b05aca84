package swift

import (
	"context"
	"fmt"
	"sync"

	ncw "github.com/ncw/swift/v2"

	"github.com/stowage/stowage/driver"
)

// Delete implements driver.StorageDriver: the object at path and every
// object under path + "/", with the segments of those that are large
// objects. Objects go in bulk-delete requests where the cluster has bulk
// delete, one DELETE each otherwise.
func (d *swiftDriver) Delete(ctx context.Context, path string) error {
	key := d.key(path)
	var objs []ncw.Object
	first, err := d.conn.Objects(ctx, d.container, &ncw.ObjectsOpts{Prefix: key, Limit: 1})
	if err != nil {
		return mapErr(err, path)
	}
	if len(first) == 1 && first[0].Name == key {
		objs = append(objs, first[0])
	}
	under, err := d.conn.ObjectsAll(ctx, d.container, &ncw.ObjectsOpts{Prefix: key + "/"})
	if err != nil {
		return mapErr(err, path)
	}
	objs = append(objs, under...)
	if len(objs) == 0 {
		return driver.PathNotFoundError{Path: path}
	}

	names := make([]string, 0, len(objs))
	var segs []segment
	for _, o := range objs {
		names = append(names, o.Name)
		// Listings mark SLO manifests (slo_etag); a DLO manifest is an
		// empty object with an X-Object-Manifest header.
		var s []segment
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

// deleteParallel is how many delete requests run at once. Swift's bulk
// middleware deletes two objects at a time per request by default, so
// splitting a large delete over a few requests shortens it.
const deleteParallel = 4

// deleteObjects deletes names from container; names already gone are
// fine.
func (d *swiftDriver) deleteObjects(ctx context.Context, container string, names []string) error {
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
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	sem := make(chan struct{}, deleteParallel)
	for start := 0; start < len(names); start += size {
		batch := names[start:min(start+size, len(names))]
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if err := f(ctx, batch); err != nil {
				mu.Lock()
				if first == nil {
					first = err
					cancel()
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if first != nil {
		return first
	}
	return ctx.Err()
}
