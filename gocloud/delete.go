package gocloud

import (
	"context"
	"iter"

	"github.com/stowage/stowage/internal/deltree"
)

// Delete implements driver.StorageDriver with internal/deltree: the object
// at path and every object under path + "/", listed flat and deleted one
// request each (the Go CDK has no batch delete), at most maxconcurrency at
// a time, as the listing pages arrive.
func (d *Driver) Delete(ctx context.Context, path string) error {
	return deltree.Path(ctx, deleter{d}, d.layout, path, deltree.Config{Batch: 1, Concurrency: d.concurrency})
}

// deleter is the Go CDK side of deltree.
type deleter struct{ d *Driver }

func (x deleter) List(ctx context.Context, prefix string) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		for o, err := range store(x).List(ctx, prefix) {
			if !yield(o.Key, err) || err != nil {
				return
			}
		}
	}
}

func (x deleter) Delete(ctx context.Context, keys []string) error {
	for _, k := range keys {
		if _, err := x.DeleteKey(ctx, k); err != nil {
			return err
		}
	}
	return nil
}

// DeleteKey deletes in one request: the Go CDK says whether the object
// existed. fileblob refuses to delete a key that is a directory of other
// keys; no object is there.
func (x deleter) DeleteKey(ctx context.Context, key string) (bool, error) {
	err := x.d.bucket.Delete(ctx, key)
	if err == nil {
		return true, nil
	}
	if isNotFound(err) {
		return false, nil // never there, or deleted concurrently
	}
	if _, aerr := x.d.bucket.Attributes(ctx, key); isNotFound(aerr) {
		return false, nil
	}
	return false, err
}
