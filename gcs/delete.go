package gcs

import (
	"context"
	"sync/atomic"

	"cloud.google.com/go/storage"
	"golang.org/x/sync/errgroup"

	"github.com/stowage/stowage/driver"
)

// Delete implements driver.StorageDriver: the object at path and every
// object under path + "/", deleted in parallel (at most maxconcurrency
// requests at a time).
func (d *Driver) Delete(ctx context.Context, path string) error {
	n, err := d.deletePrefix(ctx, d.key(path)+"/", d.key(path))
	if err != nil {
		return err
	}
	if n == 0 {
		return driver.PathNotFoundError{Path: path}
	}
	return nil
}

// deletePrefix deletes the objects whose keys start with prefix, and the
// object named exact when not empty. It returns how many it deleted.
func (d *Driver) deletePrefix(ctx context.Context, prefix, exact string) (int, error) {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(d.concurrency)
	var count atomic.Int64
	del := func(key string) {
		g.Go(func() error {
			err := d.bucket.Object(key).Delete(gctx)
			if err == nil {
				count.Add(1)
				return nil
			}
			if isNotExist(err) {
				return nil // deleted concurrently
			}
			return err
		})
	}
	if exact != "" {
		del(exact)
	}
	q := &storage.Query{Prefix: prefix}
	_ = q.SetAttrSelection([]string{"Name"})
	it := d.bucket.Objects(gctx, q)
	var listErr error
	for {
		attrs, err := it.Next()
		if err != nil {
			if !isDone(err) {
				listErr = err
			}
			break
		}
		del(attrs.Name)
	}
	err := g.Wait()
	if listErr != nil {
		return int(count.Load()), listErr
	}
	return int(count.Load()), err
}
