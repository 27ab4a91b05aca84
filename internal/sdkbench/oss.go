package sdkbench

import (
	"context"
	"errors"
	"io"

	alioss "github.com/aliyun/aliyun-oss-go-sdk/oss"
)

// OSS does the workloads with aliyun-oss-go-sdk directly: PutObject for
// an upload shorter than PartSize, otherwise InitiateMultipartUpload,
// parts of PartSize with Concurrency in flight, CompleteMultipartUpload;
// CopyObject and DeleteObject for a move; ListObjectsV2 and DeleteObjects.
type OSS struct {
	Bucket *alioss.Bucket
	// Key maps a driver path to the object key (Under gives one for a prefix).
	Key         func(path string) string
	PartSize    int64
	Concurrency int
}

// Upload implements Target.
func (t OSS) Upload(ctx context.Context, p string, data []byte, _ int) error {
	key := t.Key(p)
	if int64(len(data)) < t.PartSize {
		return t.Bucket.PutObject(key, reader(data), alioss.WithContext(ctx))
	}
	imur, err := t.Bucket.InitiateMultipartUpload(key, alioss.WithContext(ctx))
	if err != nil {
		return err
	}
	parts, err := uploadParts(ctx, data, t.PartSize, t.Concurrency, func(ctx context.Context, n int, b []byte) (string, error) {
		up, err := t.Bucket.UploadPart(imur, reader(b), int64(len(b)), n, alioss.WithContext(ctx))
		return up.ETag, err
	})
	if err != nil {
		return errors.Join(err, t.Bucket.AbortMultipartUpload(imur))
	}
	done := make([]alioss.UploadPart, len(parts))
	for i, pt := range parts {
		done[i] = alioss.UploadPart{PartNumber: pt.n, ETag: pt.etag}
	}
	_, err = t.Bucket.CompleteMultipartUpload(imur, done, alioss.WithContext(ctx))
	return err
}

// Open implements Target.
func (t OSS) Open(ctx context.Context, p string) (io.ReadCloser, error) {
	return t.Bucket.GetObject(t.Key(p), alioss.WithContext(ctx))
}

// Read implements Target.
func (t OSS) Read(ctx context.Context, p string) (int64, error) { return Read(ctx, t.Open, p) }

// Put implements Target.
func (t OSS) Put(ctx context.Context, p string, data []byte) error {
	return t.Bucket.PutObject(t.Key(p), reader(data), alioss.WithContext(ctx))
}

// Exists implements Target.
func (t OSS) Exists(ctx context.Context, p string) (bool, error) {
	return t.Bucket.IsObjectExist(t.Key(p), alioss.WithContext(ctx))
}

// Move implements Target.
func (t OSS) Move(ctx context.Context, src, dst string) error {
	if _, err := t.Bucket.CopyObject(t.Key(src), t.Key(dst), alioss.WithContext(ctx)); err != nil {
		return err
	}
	return t.Bucket.DeleteObject(t.Key(src), alioss.WithContext(ctx))
}

func (t OSS) list(ctx context.Context, p string, f func(keys []string) error) error {
	token := ""
	for {
		opts := []alioss.Option{alioss.Prefix(dirOf(t.Key, p)), alioss.MaxKeys(1000), alioss.WithContext(ctx)}
		if token != "" {
			opts = append(opts, alioss.ContinuationToken(token))
		}
		res, err := t.Bucket.ListObjectsV2(opts...)
		if err != nil {
			return err
		}
		keys := make([]string, len(res.Objects))
		for i, o := range res.Objects {
			keys[i] = o.Key
		}
		if err := f(keys); err != nil {
			return err
		}
		if !res.IsTruncated {
			return nil
		}
		token = res.NextContinuationToken
	}
}

// Walk implements Target.
func (t OSS) Walk(ctx context.Context, p string) (int, error) {
	n := 0
	err := t.list(ctx, p, func(keys []string) error { n += len(keys); return nil })
	return n, err
}

// Delete implements Target.
func (t OSS) Delete(ctx context.Context, p string) error {
	return t.list(ctx, p, func(keys []string) error {
		if len(keys) == 0 {
			return nil
		}
		_, err := t.Bucket.DeleteObjects(keys, alioss.DeleteObjectsQuiet(true), alioss.WithContext(ctx))
		return err
	})
}
