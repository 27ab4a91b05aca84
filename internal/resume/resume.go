// Package resume is the one resumable reader of the adapters: a Reader
// whose stream breaks part way (a reset, a body cut short) reopens the
// object where it broke, with a range request pinned to the version it
// started reading, and goes on as if nothing happened. A replaced object
// is never stitched into the old one: the reopen is conditional
// (If-Match on the ETag, or the generation), and when the object changed
// the Reader fails with ErrChanged. It gives up after a bounded number of
// reopens with an error that says where and why.
package resume

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/stowage/stowage/internal/retry"
)

// ErrChanged is returned by a Reader when the object was replaced (or
// deleted) while it was being read: the rest of the old version is gone,
// and the new one is not mixed in.
var ErrChanged = errors.New("the object changed while it was being read; not resumed, so that two versions are never mixed")

// Open opens the object from off to its end, on condition that it is
// still version (an ETag, a generation, as the first open gave it). It
// returns ErrChanged (or an error that wraps it) when the condition fails
// or the object is gone.
type Open func(ctx context.Context, off int64, version string) (io.ReadCloser, error)

// Options bound the reopens.
type Options struct {
	// Policy gives the number of reopens in a row without progress
	// (MaxAttempts - 1) and the waits between them.
	Policy retry.Policy
	// Counter counts each reopen as a retry of a read; nil counts none.
	Counter *retry.Counter
	// Op names the read in logs, such as "GetObject /a/b".
	Op string
}

// Reader is a resumable stream of an object.
type Reader struct {
	ctx     context.Context
	open    Open
	opts    Options
	version string
	body    io.ReadCloser
	off     int64 // of the next byte
	end     int64 // offset past the last byte, or -1 when not known
	tries   int   // reopens since the last byte read
	resumed int
	err     error // sticky
}

// New returns a Reader over body, the stream of the object at version
// from offset off, end being the offset past its last byte (-1 when not
// known: then only a read error, not an early end of file, shows a break).
// ctx bounds the reopens and their waits.
func New(ctx context.Context, body io.ReadCloser, off, end int64, version string, open Open, opts Options) *Reader {
	return &Reader{ctx: ctx, open: open, opts: opts, version: version, body: body, off: off, end: end}
}

// Resumed returns how many times the stream was reopened.
func (r *Reader) Resumed() int { return r.resumed }

// Read implements io.Reader.
func (r *Reader) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	for {
		n, err := r.body.Read(p)
		r.off += int64(n)
		if n > 0 {
			r.tries = 0
		}
		if err == io.EOF && r.end >= 0 && r.off < r.end {
			err = fmt.Errorf("stream ended at offset %d of %d: %w", r.off, r.end, io.ErrUnexpectedEOF)
		}
		if err == nil || err == io.EOF {
			return n, err
		}
		if rerr := r.reopen(err); rerr != nil {
			r.err = rerr
			if n > 0 {
				return n, nil
			}
			return 0, rerr
		}
		if n > 0 {
			return n, nil
		}
	}
}

// reopen replaces the broken body with one from the current offset.
func (r *Reader) reopen(cause error) error {
	_ = r.body.Close()
	r.body = io.NopCloser(eofReader{})
	for {
		if r.ctx.Err() != nil {
			return fmt.Errorf("reading at offset %d: %w (then %w)", r.off, cause, r.ctx.Err())
		}
		if errors.Is(cause, ErrChanged) {
			return fmt.Errorf("reading at offset %d: %w", r.off, cause)
		}
		r.tries++
		if r.tries >= r.opts.Policy.Attempts() {
			return fmt.Errorf("reading at offset %d: the stream broke %d times in a row without progress: %w", r.off, r.tries, cause)
		}
		r.opts.Counter.Retry(r.ctx, retry.Read, r.tries+1, r.opts.Op, cause)
		if err := retry.Sleep(r.ctx, r.opts.Policy.Delay(r.tries)); err != nil {
			continue
		}
		if r.end >= 0 && r.off >= r.end {
			r.resumed++
			return nil // everything was read; the break came at the end
		}
		body, err := r.open(r.ctx, r.off, r.version)
		if err != nil {
			cause = err
			continue
		}
		r.body = body
		r.resumed++
		return nil
	}
}

// Close closes the stream.
func (r *Reader) Close() error {
	if r.err == nil {
		r.err = errors.New("resume: read after Close")
	}
	return r.body.Close()
}

type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }
