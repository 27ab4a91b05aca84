package gcs

import (
	"context"
	"iter"

	"cloud.google.com/go/storage"
	"google.golang.org/api/iterator"

	"github.com/stowage/stowage/driver"
)

func isDone(err error) bool { return err == iterator.Done }

// Walk implements driver.StorageDriver with one flat listing of the keys
// under path, starting at the hint.
func (d *Driver) Walk(ctx context.Context, path string, f driver.WalkFn, options ...func(*driver.WalkOptions)) error {
	opts := driver.ApplyWalkOptions(options...)
	q := &storage.Query{Prefix: d.dirKey(path)}
	if opts.StartAfterHint != "" && opts.StartAfterHint != "/" {
		if err := driver.CheckPath(opts.StartAfterHint); err == nil {
			// StartOffset is inclusive; WalkFiles drops the hint itself.
			q.StartOffset = d.key(opts.StartAfterHint)
		}
	}
	_ = q.SetAttrSelection([]string{"Name", "Size", "Updated"})
	return driver.WalkFiles(ctx, path, d.files(ctx, q), f, opts)
}

// files lists the objects of q as FileInfo, leaving out upload state.
func (d *Driver) files(ctx context.Context, q *storage.Query) iter.Seq2[driver.FileInfo, error] {
	return func(yield func(driver.FileInfo, error) bool) {
		it := d.bucket.Objects(ctx, q)
		for {
			attrs, err := it.Next()
			if err != nil {
				if !isDone(err) {
					yield(nil, err)
				}
				return
			}
			p, ok := d.layout.Path(attrs.Name)
			if !ok || attrs.Name == q.Prefix {
				continue
			}
			if !yield(driver.NewFileInfo(p, attrs.Size, attrs.Updated), nil) {
				return
			}
		}
	}
}
