package multipart

import (
	"context"
	"io"
	"iter"
	"time"
)

// Store is what the engine needs of a provider with multipart uploads
// (S3 and the stores compatible with it, Alibaba OSS): a few object calls
// and the multipart calls. Keys are full object keys. Methods return the
// provider's own errors; NotFound tells which of them mean "no such object
// or upload".
type Store interface {
	// Create starts a multipart upload to key and returns its ID.
	Create(ctx context.Context, key string) (uploadID string, err error)
	// UploadPart stores body (size bytes, seekable for retries) as part
	// number n (from 1) and returns its ETag.
	UploadPart(ctx context.Context, key, uploadID string, n int, body io.ReadSeeker, size int64) (etag string, err error)
	// CopyPart stores bytes [off, off+size) of the object at src as part n.
	CopyPart(ctx context.Context, key, uploadID string, n int, src string, off, size int64) (etag string, err error)
	// Complete assembles parts, in order, into the object at key.
	Complete(ctx context.Context, key, uploadID string, parts []Part) error
	// Abort discards an upload and its parts.
	Abort(ctx context.Context, key, uploadID string) error
	// Uploads lists the multipart uploads in progress whose key starts
	// with prefix (some servers, such as MinIO, list only the uploads of a
	// key given in full).
	Uploads(ctx context.Context, prefix string) iter.Seq2[Upload, error]

	// Put stores body (size bytes, seekable) as the object at key, in one
	// request.
	Put(ctx context.Context, key string, body io.ReadSeeker, size int64) error
	// PutIfAbsent is Put on condition that no object is at key (S3's
	// If-None-Match: *, OSS's x-oss-forbid-overwrite); it returns false,
	// and stores nothing, when one is. A store without conditional writes
	// may always store and return true.
	PutIfAbsent(ctx context.Context, key string, body io.ReadSeeker, size int64) (bool, error)
	// Get returns the bytes of the object at key from off to the end.
	Get(ctx context.Context, key string, off int64) (io.ReadCloser, error)
	// Head returns the size of the object at key.
	Head(ctx context.Context, key string) (int64, error)
	// Delete removes the object at key; a missing object is not an error.
	Delete(ctx context.Context, key string) error
	// List lists the objects whose key starts with prefix.
	List(ctx context.Context, prefix string) iter.Seq2[Object, error]

	// NotFound reports whether err means that the object or the upload
	// does not exist (and not, say, that the bucket does not).
	NotFound(err error) bool
}

// Part is a stored part of a multipart upload.
type Part struct {
	Number int
	ETag   string
	Size   int64
}

// Upload is a multipart upload in progress.
type Upload struct {
	Key       string
	ID        string
	Initiated time.Time
}

// Object is a listed object.
type Object struct {
	Key      string
	Size     int64
	Modified time.Time
}
