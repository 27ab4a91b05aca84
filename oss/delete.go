package oss

import (
	"context"

	alioss "github.com/aliyun/aliyun-oss-go-sdk/oss"

	"github.com/stowage/stowage/driver"
)

// deleteBatch is how many keys one DeleteMultipleObjects call takes.
const deleteBatch = 1000

// Delete implements driver.StorageDriver: the object at path and every
// object under path + "/" go in DeleteMultipleObjects calls of up to 1,000
// keys, as the listing pages arrive. Siblings sharing the prefix ("/ab" for
// "/a") are never listed.
func (d *Driver) Delete(ctx context.Context, path string) error {
	key := d.key(path)
	var batch []string
	deleted := 0
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if _, err := d.bucket.DeleteObjects(batch, alioss.DeleteObjectsQuiet(true), alioss.WithContext(ctx)); err != nil {
			return wrap("DeleteMultipleObjects", batch[0], err)
		}
		deleted += len(batch)
		batch = batch[:0]
		return nil
	}
	if _, err := d.bucket.GetObjectDetailedMeta(key, alioss.WithContext(ctx)); err == nil {
		batch = append(batch, key)
	} else if !isNotFound(err) {
		return wrap("HeadObject", key, err)
	}
	prefix := key + "/"
	token := ""
	for {
		opts := []alioss.Option{alioss.Prefix(prefix), alioss.MaxKeys(deleteBatch), alioss.WithContext(ctx)}
		if token != "" {
			opts = append(opts, alioss.ContinuationToken(token))
		}
		res, err := d.bucket.ListObjectsV2(opts...)
		if err != nil {
			return wrap("ListObjectsV2", prefix, err)
		}
		for _, o := range res.Objects {
			batch = append(batch, o.Key)
			if len(batch) == deleteBatch {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		if !res.IsTruncated || res.NextContinuationToken == "" {
			break
		}
		token = res.NextContinuationToken
	}
	if err := flush(); err != nil {
		return err
	}
	if deleted == 0 {
		return driver.PathNotFoundError{Path: path}
	}
	return nil
}
