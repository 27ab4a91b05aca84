package oss

import (
	"context"
	"iter"

	alioss "github.com/aliyun/aliyun-oss-go-sdk/oss"

	"github.com/stowage/stowage/internal/deltree"
)

// deleteBatch is how many keys one DeleteMultipleObjects call takes.
const deleteBatch = 1000

// deleteConcurrency is the most DeleteMultipleObjects calls one Delete
// has in flight.
const deleteConcurrency = 8

// Delete implements driver.StorageDriver with internal/deltree: the object
// at path and every object under path + "/" go in DeleteMultipleObjects
// calls of up to 1,000 keys, as the listing pages arrive. Siblings sharing
// the prefix ("/ab" for "/a") are never listed.
func (d *Driver) Delete(ctx context.Context, path string) error {
	return deltree.Path(ctx, deleter{d}, d.layout, path, deltree.Config{Batch: deleteBatch, Concurrency: deleteConcurrency})
}

// deleter is the OSS side of deltree.
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
	if _, err := x.d.bucket.DeleteObjects(keys, alioss.DeleteObjectsQuiet(true), alioss.WithContext(ctx)); err != nil {
		return wrap("DeleteMultipleObjects", keys[0], err)
	}
	return nil
}

// DeleteKey checks with a HEAD whether the key exists: DeleteObject does
// not say.
func (x deleter) DeleteKey(ctx context.Context, key string) (bool, error) {
	if _, err := x.d.bucket.GetObjectDetailedMeta(key, alioss.WithContext(ctx)); err != nil {
		if isNotFound(err) {
			return false, nil
		}
		return false, wrap("HeadObject", key, err)
	}
	return true, store(x).Delete(ctx, key)
}
