// Package sdkbench does a registry's storage workloads with each provider's
// SDK used directly, the way code without stowage would: the "raw SDK" that
// stowage's adapters are measured against, by `stowage bench` (on the
// driver's own SDK client) and by the comparison benchmark of the
// distribution module (docs/performance.md).
//
// Every type here works at the adapter's part size, concurrency and
// integrity checks, so that a ratio measures what the adapter adds, not a
// different setting. Paths are driver paths ("/a/b"); Key maps them to the
// object keys the SDK uses, as the driver's root directory does.
package sdkbench

import (
	"context"
	"io"
)

// Target is one way of doing a registry's workloads on a store: here a
// provider's SDK (the comparison benchmark's driver slots implement it
// too). Paths are driver paths; an SDK works on the keys Key maps them to.
type Target interface {
	// Upload stores data at p with the SDK's own upload at the adapter's
	// part size and concurrency (one request below the part size); ws is
	// the size of the writes where the SDK's upload takes a stream.
	Upload(ctx context.Context, p string, data []byte, ws int) error
	// Open opens the object at p for reading from its start.
	Open(ctx context.Context, p string) (io.ReadCloser, error)
	// Read reads the object at p to the end and returns its size.
	Read(ctx context.Context, p string) (int64, error)
	// Put stores data at p in one request.
	Put(ctx context.Context, p string, data []byte) error
	// Move copies the object at src to dst on the server and deletes src.
	Move(ctx context.Context, src, dst string) error
	// Exists reports whether an object is stored at p (a HEAD).
	Exists(ctx context.Context, p string) (bool, error)
	// Walk lists everything under p and returns how many objects it saw.
	Walk(ctx context.Context, p string) (int, error)
	// Delete removes everything under p.
	Delete(ctx context.Context, p string) error
}

var (
	_ Target = S3{}
	_ Target = GCS{}
	_ Target = Azure{}
	_ Target = Swift{}
	_ Target = OSS{}
)
