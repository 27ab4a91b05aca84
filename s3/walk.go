package s3

import (
	"context"
	"iter"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/stowage/stowage/driver"
)

// Walk implements driver.StorageDriver with one flat listing of the keys
// under path, starting after the hint.
func (d *Driver) Walk(ctx context.Context, path string, f driver.WalkFn, options ...func(*driver.WalkOptions)) error {
	opts := driver.ApplyWalkOptions(options...)
	in := &s3.ListObjectsV2Input{Bucket: d.bucket, Prefix: aws.String(d.dirKey(path))}
	if opts.StartAfterHint != "" && opts.StartAfterHint != "/" {
		if err := driver.CheckPath(opts.StartAfterHint); err == nil {
			in.StartAfter = aws.String(d.key(opts.StartAfterHint))
		}
	}
	listed := 0
	files := d.files(ctx, path, in)
	counted := func(yield func(driver.FileInfo, error) bool) {
		for fi, err := range files {
			if err == nil {
				listed++
			}
			if !yield(fi, err) {
				return
			}
		}
	}
	if err := driver.WalkFiles(ctx, path, counted, f, opts); err != nil {
		return err
	}
	if listed == 0 && path != "/" && in.StartAfter == nil {
		return driver.PathNotFoundError{Path: path}
	}
	return nil
}

// files lists the objects of in as FileInfo, leaving out upload state.
func (d *Driver) files(ctx context.Context, path string, in *s3.ListObjectsV2Input) iter.Seq2[driver.FileInfo, error] {
	return func(yield func(driver.FileInfo, error) bool) {
		p := s3.NewListObjectsV2Paginator(d.client, in)
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				yield(nil, d.fail(path, err))
				return
			}
			for _, o := range page.Contents {
				k := aws.ToString(o.Key)
				if k == aws.ToString(in.Prefix) || d.hidden(k) {
					continue
				}
				if !yield(driver.NewFileInfo(d.pathOf(k), aws.ToInt64(o.Size), aws.ToTime(o.LastModified)), nil) {
					return
				}
			}
		}
	}
}
