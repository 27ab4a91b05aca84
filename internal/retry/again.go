package retry

import (
	"context"
	"io"
)

// Again calls send, and again with body back at its start, while it fails
// with an error transient reports as passing, within the policy's attempts
// and ctx; it returns the last error. It is for an upload whose body a
// Transport would otherwise keep a copy of to replay it (an SDK that sends
// it through a reader of its own, without GetBody): with the Transport's
// ReplayLimit below the body's size, the caller sends it again from the
// seekable body it already holds. c counts the retries (nil counts none).
func (p Policy) Again(ctx context.Context, c *Counter, op string, body io.Seeker, transient func(error) bool, send func() error) error {
	for attempt := 1; ; attempt++ {
		err := send()
		if err == nil || !transient(err) || attempt >= p.Attempts() || ctx.Err() != nil {
			return err
		}
		c.Retry(ctx, Request, attempt+1, op, err)
		if Sleep(ctx, p.Delay(attempt)) != nil {
			return err
		}
		if _, serr := body.Seek(0, io.SeekStart); serr != nil {
			return err
		}
	}
}
