package oss

import (
	"context"
	"iter"

	alioss "github.com/aliyun/aliyun-oss-go-sdk/oss"

	"github.com/stowage/stowage/driver"
)

// Walk implements driver.StorageDriver with one flat listing of the keys
// under path, starting after the StartAfterHint, handed to driver.WalkFiles.
func (d *Driver) Walk(ctx context.Context, path string, f driver.WalkFn, options ...func(*driver.WalkOptions)) error {
	opts := driver.ApplyWalkOptions(options...)
	prefix := d.dirPrefix(path)
	startAfter := ""
	if h := opts.StartAfterHint; h != "" && driver.CheckPath(h) == nil {
		if k := d.key(h); k > prefix {
			startAfter = k
		}
	}
	return driver.WalkFiles(ctx, path, d.files(ctx, prefix, startAfter), f, opts)
}

// files lists the files under prefix after startAfter, in key order.
func (d *Driver) files(ctx context.Context, prefix, startAfter string) iter.Seq2[driver.FileInfo, error] {
	return func(yield func(driver.FileInfo, error) bool) {
		token := ""
		for {
			opts := []alioss.Option{alioss.Prefix(prefix), alioss.MaxKeys(1000), alioss.WithContext(ctx)}
			if token != "" {
				opts = append(opts, alioss.ContinuationToken(token))
			} else if startAfter != "" {
				opts = append(opts, alioss.StartAfter(startAfter))
			}
			res, err := d.bucket.ListObjectsV2(opts...)
			if err != nil {
				yield(nil, wrap("ListObjectsV2", prefix, err))
				return
			}
			for _, o := range res.Objects {
				p, ok := d.path(o.Key)
				if !ok {
					continue
				}
				if !yield(driver.NewFileInfo(p, o.Size, o.LastModified), nil) {
					return
				}
			}
			if !res.IsTruncated || res.NextContinuationToken == "" {
				return
			}
			token = res.NextContinuationToken
		}
	}
}
