package s3

import (
	"context"
	"iter"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/stowage/stowage/driver"
)

// Walk implements driver.StorageDriver with one flat listing of the keys
// under path, starting after the StartAfterHint, handed to driver.WalkFiles.
func (d *Driver) Walk(ctx context.Context, path string, f driver.WalkFn, options ...func(*driver.WalkOptions)) error {
	opts := driver.ApplyWalkOptions(options...)
	in := &s3.ListObjectsV2Input{Bucket: d.bucket, Prefix: aws.String(d.dirKey(path))}
	if h := opts.StartAfterHint; h != "" && driver.CheckPath(h) == nil {
		if k := d.key(h); k > aws.ToString(in.Prefix) {
			in.StartAfter = aws.String(k)
		}
	}
	return driver.WalkFiles(ctx, path, d.files(ctx, path, in), f, opts)
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
				p, ok := d.layout.Path(k)
				if !ok || k == aws.ToString(in.Prefix) {
					continue
				}
				if !yield(driver.NewFileInfo(p, aws.ToInt64(o.Size), aws.ToTime(o.LastModified)), nil) {
					return
				}
			}
		}
	}
}
