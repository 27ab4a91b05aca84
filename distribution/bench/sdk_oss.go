package bench

import (
	"context"
	"errors"

	alioss "github.com/aliyun/aliyun-oss-go-sdk/oss"
)

// OSSSDK does the workloads with aliyun-oss-go-sdk directly: PutObject for
// an upload shorter than PartSize, otherwise InitiateMultipartUpload,
// parts of PartSize with Concurrency in flight, CompleteMultipartUpload;
// CopyObject and DeleteObject for a move; ListObjectsV2 and DeleteObjects.
type OSSSDK struct {
	Bucket      *alioss.Bucket
	Prefix      string
	PartSize    int64
	Concurrency int
}

var _ Target = OSSSDK{}

// Upload implements Target.
func (t OSSSDK) Upload(ctx context.Context, p string, data []byte, _ int) error {
	key := keyOf(t.Prefix, p)
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

// Read implements Target.
func (t OSSSDK) Read(ctx context.Context, p string) (int64, error) {
	body, err := t.Bucket.GetObject(keyOf(t.Prefix, p), alioss.WithContext(ctx))
	if err != nil {
		return 0, err
	}
	defer body.Close()
	return readAll(body)
}

// Put implements Target.
func (t OSSSDK) Put(ctx context.Context, p string, data []byte) error {
	return t.Bucket.PutObject(keyOf(t.Prefix, p), reader(data), alioss.WithContext(ctx))
}

// Exists implements Target.
func (t OSSSDK) Exists(ctx context.Context, p string) (bool, error) {
	return t.Bucket.IsObjectExist(keyOf(t.Prefix, p), alioss.WithContext(ctx))
}

// Move implements Target.
func (t OSSSDK) Move(ctx context.Context, src, dst string) error {
	if _, err := t.Bucket.CopyObject(keyOf(t.Prefix, src), keyOf(t.Prefix, dst), alioss.WithContext(ctx)); err != nil {
		return err
	}
	return t.Bucket.DeleteObject(keyOf(t.Prefix, src), alioss.WithContext(ctx))
}

func (t OSSSDK) list(ctx context.Context, p string, f func(keys []string) error) error {
	token := ""
	for {
		opts := []alioss.Option{alioss.Prefix(dirOf(t.Prefix, p)), alioss.MaxKeys(1000), alioss.WithContext(ctx)}
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
func (t OSSSDK) Walk(ctx context.Context, p string) (int, error) {
	n := 0
	err := t.list(ctx, p, func(keys []string) error { n += len(keys); return nil })
	return n, err
}

// Delete implements Target.
func (t OSSSDK) Delete(ctx context.Context, p string) error {
	return t.list(ctx, p, func(keys []string) error {
		if len(keys) == 0 {
			return nil
		}
		_, err := t.Bucket.DeleteObjects(keys, alioss.DeleteObjectsQuiet(true), alioss.WithContext(ctx))
		return err
	})
}
