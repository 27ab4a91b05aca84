package gcs

import (
	"context"
	"time"

	"cloud.google.com/go/storage"
	gax "github.com/googleapis/gax-go/v2"

	"github.com/stowage/stowage/internal/retry"
)

// retryPolicy is how internal/retry repeats what the library does not:
// single-request uploads.
var retryPolicy = retry.Policy{MaxAttempts: 10, Base: 100 * time.Millisecond, Max: 5 * time.Second}

// replayLimit is the longest single-request upload body internal/retry
// keeps a copy of to send again; the driver sends a longer one again
// itself (putOnce).
const replayLimit = 1 << 20

// retryOptions is how the client retries: the errors the library calls
// transient (429, 5xx, resets, bodies cut short), up to 10 attempts with
// exponential backoff, every call included.
//
// storage.RetryAlways also repeats the calls the library does not know to
// be idempotent (writes and deletes without a generation precondition).
// Every such call of the driver is safe to repeat: uploads and composites
// go to names of their own (one upload session's part objects), and a
// repeated write of a path stores the bytes the first one did (the write
// and the compose are made again from the same sources, which are deleted
// only after); a repeated delete finds the object gone, which deletes
// count as done. The Reader resumes by itself: the library reopens a broken
// stream at the offset reached, pinned to the generation it started.
func retryOptions(c *retry.Counter) []storage.RetryOption {
	return []storage.RetryOption{
		storage.WithPolicy(storage.RetryAlways),
		storage.WithMaxAttempts(10),
		storage.WithBackoff(gax.Backoff{Initial: 100 * time.Millisecond, Max: 5 * time.Second, Multiplier: 2}),
		storage.WithErrorFunc(func(err error) bool {
			if !storage.ShouldRetry(err) {
				return false
			}
			c.Retry(context.Background(), retry.Request, 0, "gcs", err)
			return true
		}),
	}
}
