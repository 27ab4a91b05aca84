package gcs

import (
	"context"
	"iter"

	"cloud.google.com/go/storage"

	"github.com/stowage/stowage/internal/deltree"
)

// Delete implements driver.StorageDriver with internal/deltree: the object
// at path and every object under path + "/", deleted one request each, at
// most maxconcurrency at a time, as the listing pages arrive.
func (d *Driver) Delete(ctx context.Context, path string) error {
	return deltree.Path(ctx, deleter{d}, d.layout, path, d.deleteConfig())
}

func (d *Driver) deleteConfig() deltree.Config {
	return deltree.Config{Batch: 1, Concurrency: d.concurrency}
}

// deletePrefix deletes the objects whose keys start with prefix, and the
// object named exact when not empty. It returns how many it deleted.
func (d *Driver) deletePrefix(ctx context.Context, prefix, exact string) (int, error) {
	return deltree.Tree(ctx, deleter{d}, exact, prefix, d.deleteConfig())
}

// deleter is the GCS side of deltree.
type deleter struct{ d *Driver }

func (x deleter) List(ctx context.Context, prefix string) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		q := &storage.Query{Prefix: prefix}
		_ = q.SetAttrSelection([]string{"Name"})
		it := x.d.bucket.Objects(ctx, q)
		for {
			attrs, err := it.Next()
			if isDone(err) {
				return
			}
			if !yield(attrsName(attrs), err) || err != nil {
				return
			}
		}
	}
}

func attrsName(a *storage.ObjectAttrs) string {
	if a == nil {
		return ""
	}
	return a.Name
}

func (x deleter) Delete(ctx context.Context, keys []string) error {
	for _, k := range keys {
		if _, err := x.DeleteKey(ctx, k); err != nil {
			return err
		}
	}
	return nil
}

// DeleteKey deletes in one request: GCS says whether the object existed.
func (x deleter) DeleteKey(ctx context.Context, key string) (bool, error) {
	err := x.d.bucket.Object(key).Delete(ctx)
	if isNotExist(err) {
		return false, nil // never there, or deleted concurrently
	}
	return err == nil, err
}
