package objparts

import (
	"context"
	"io"
	"iter"
	"time"
)

// Store is what the engine needs of an object store without multipart
// uploads it can resume (GCS, Azure and every store behind the Go CDK): a
// few object calls. Keys are full object keys. Methods return the store's
// own errors; NotFound tells which of them mean "no such object".
type Store interface {
	// Create starts an object at key whose bytes are streamed through the
	// returned writer. The object appears, complete, when Close returns
	// nil; until then nothing is visible at key. Cancelling ctx abandons
	// it (Close then returns an error and stores nothing).
	Create(ctx context.Context, key string) (io.WriteCloser, error)
	// Put stores body (size bytes, seekable for retries) as the object at
	// key, in one request.
	Put(ctx context.Context, key string, body io.ReadSeeker, size int64) error
	// Get returns the bytes of the object at key from off to the end.
	Get(ctx context.Context, key string, off int64) (io.ReadCloser, error)
	// Head returns the size of the object at key.
	Head(ctx context.Context, key string) (int64, error)
	// Copy copies the object at src (size bytes) to dst, server side where
	// the store can (GCS rewrite, S3 CopyObject), replacing dst.
	Copy(ctx context.Context, dst, src string, size int64) error
	// Delete removes the object at key; a missing object is not an error.
	Delete(ctx context.Context, key string) error
	// List lists the objects whose key starts with prefix, in key order.
	List(ctx context.Context, prefix string) iter.Seq2[Object, error]

	// NotFound reports whether err means that the object does not exist
	// (and not, say, that the bucket does not).
	NotFound(err error) bool
}

// Composer is implemented by stores that concatenate objects server side,
// such as GCS with compose. Without it, Commit concatenates the parts of an
// upload by streaming them, in order, into one new object.
type Composer interface {
	// Compose writes the concatenation of the objects srcs, in order, to
	// dst, replacing it. srcs holds at most MaxCompose keys.
	Compose(ctx context.Context, dst string, srcs []string) error
	// MaxCompose is the most sources one Compose call takes (32 on GCS).
	MaxCompose() int
}

// Object is a listed object.
type Object struct {
	Key      string
	Size     int64
	Modified time.Time
}

// Part is a stored part of an upload.
type Part struct {
	// Number orders the parts of an upload (from 0: part 0 is the copy of
	// a committed object that an append started from).
	Number int
	Key    string
	Size   int64
}
