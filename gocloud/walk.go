package gocloud

import (
	"context"
	"io"
	"iter"
	"os"
	"slices"
	"strings"

	"cloud.google.com/go/storage"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"gocloud.dev/blob"

	"github.com/stowage/stowage/driver"
)

// Walk implements driver.StorageDriver with one flat listing of the keys
// under path, handed to driver.WalkFiles. The Go CDK lists from the start
// of a prefix; on S3 and GCS the listing starts after the StartAfterHint
// (ListObjectsV2's StartAfter, the query's StartOffset, set through the
// listing's BeforeList).
func (d *Driver) Walk(ctx context.Context, path string, f driver.WalkFn, options ...func(*driver.WalkOptions)) error {
	opts := driver.ApplyWalkOptions(options...)
	prefix := d.layout.DirPrefix(path)
	lo := &blob.ListOptions{Prefix: prefix}
	if h := opts.StartAfterHint; h != "" && driver.CheckPath(h) == nil {
		if start := d.layout.Key(h); start > prefix {
			lo.BeforeList = d.native.startAfter(start)
		}
	}
	return driver.WalkFiles(ctx, path, d.files(ctx, lo), f, opts)
}

// files lists the objects of lo as FileInfo, in key order. It leaves out
// directory markers and keys that are not paths, and stops at the upload
// state: it sorts after every valid path, as does everything listed after
// it.
func (d *Driver) files(ctx context.Context, lo *blob.ListOptions) iter.Seq2[driver.FileInfo, error] {
	return func(yield func(driver.FileInfo, error) bool) {
		for obj, err := range sorted(ctx, d.bucket.List(lo)) {
			if err != nil {
				yield(nil, err)
				return
			}
			if d.layout.Hidden(obj.Key) {
				return
			}
			p, ok := d.layout.Path(obj.Key)
			if !ok || strings.HasSuffix(obj.Key, "/") {
				continue
			}
			if !yield(driver.NewFileInfo(p, obj.Size, obj.ModTime), nil) {
				return
			}
		}
	}
}

// startAfter returns the BeforeList hook that starts a listing after key
// where the provider can (the key is below the URL's prefix, which the Go
// CDK adds above the provider), or nil.
func (n native) startAfter(key string) func(func(any) bool) error {
	return func(as func(any) bool) error {
		var in *s3.ListObjectsV2Input
		if as(&in) {
			in.StartAfter = aws.String(n.prefix + key)
			return nil
		}
		var q *storage.Query
		if as(&q) {
			q.StartOffset = n.prefix + key
		}
		return nil
	}
}

// sorted yields the objects of a listing in key order. Object stores list
// in key order; fileblob, whose objects give an os.FileInfo, lists in the
// order of a directory walk ("a/b" before "a-b"), so its listing is read
// whole and sorted.
func sorted(ctx context.Context, it *blob.ListIterator) iter.Seq2[*blob.ListObject, error] {
	return func(yield func(*blob.ListObject, error) bool) {
		var walked []*blob.ListObject
		for {
			obj, err := it.Next(ctx)
			if err == io.EOF {
				break
			}
			if err != nil {
				yield(nil, err)
				return
			}
			var fi os.FileInfo
			if walked == nil && !obj.As(&fi) {
				if !yield(obj, nil) {
					return
				}
				continue
			}
			walked = append(walked, obj)
		}
		slices.SortFunc(walked, func(a, b *blob.ListObject) int { return strings.Compare(a.Key, b.Key) })
		for _, obj := range walked {
			if !yield(obj, nil) {
				return
			}
		}
	}
}
