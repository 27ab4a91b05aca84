package objparts

import (
	"bytes"
	"context"
	"io"
	"slices"
	"sync"

	"github.com/stowage/stowage/internal/inflight"
)

// writer is one session of an upload. driver.Base enforces its life cycle
// (no Write after Close, Commit or Cancel; Commit or Cancel once) and
// answers Size from the writer's own count.
type writer struct {
	e      *Engine
	ctx    context.Context // of the Writer call: the session's part streams with it
	path   string
	key    string
	prefix string // of the upload's objects

	mu     sync.Mutex // guards parts and stored while parts are in flight
	parts  []Part     // stored parts, in order (in any order while in flight)
	stored int64      // bytes in parts, those in flight included
	next   int        // number of the session's part (the next part, when parallel)

	// inflight runs the part uploads of a parallel engine; nil until the
	// first part is dispatched.
	inflight *inflight.Group

	// resumed is set once the upload's state is this upload's alone: the
	// writer resumed it (or appends to a committed object), or it closed
	// once and removed whatever an older upload had left at the path.
	resumed bool

	buf    []byte         // the session's bytes while fewer than ChunkSize
	cur    io.WriteCloser // the session's part, once streaming
	cancel context.CancelFunc
	curKey string
	curN   int64
	err    error
}

// Write implements io.Writer: the bytes are buffered until the session has
// more than ChunkSize, then streamed into the session's part; or, with a
// parallel engine, each full buffer is stored as a part in the background
// once a byte more arrives.
func (w *writer) Write(p []byte) (int, error) {
	if err := w.failed(); err != nil {
		return 0, err
	}
	if w.e.parallel {
		return w.writeParts(p)
	}
	if w.cur == nil {
		if int64(len(w.buf)+len(p)) <= w.e.cfg.ChunkSize {
			w.buf = append(w.buf, p...)
			return len(p), nil
		}
		if err := w.open(); err != nil {
			return 0, err
		}
	}
	n, err := w.cur.Write(p)
	w.curN += int64(n)
	if err != nil {
		w.err = w.e.fail(w.path, err)
		return n, w.err
	}
	return n, nil
}

// open starts streaming the session's part with the bytes buffered so far.
func (w *writer) open() error {
	ctx, cancel := context.WithCancel(w.ctx)
	key := w.prefix + partName(w.next)
	cur, err := w.e.store.Create(ctx, key)
	if err != nil {
		cancel()
		w.err = w.e.fail(w.path, err)
		return w.err
	}
	w.cur, w.cancel, w.curKey, w.curN = cur, cancel, key, 0
	if len(w.buf) > 0 {
		n, err := cur.Write(w.buf)
		w.curN += int64(n)
		if err != nil {
			w.err = w.e.fail(w.path, err)
			return w.err
		}
	}
	w.buf = nil
	return nil
}

// writeParts is Write with a parallel engine.
func (w *writer) writeParts(p []byte) (int, error) {
	n := 0
	for len(p) > 0 {
		if int64(len(w.buf)) == w.e.cfg.ChunkSize {
			if err := w.dispatch(w.ctx); err != nil {
				return n, err
			}
		}
		if w.buf == nil {
			w.buf = w.e.bufs.Get(w.e.cfg.ChunkSize)
		}
		k := min(int(w.e.cfg.ChunkSize)-len(w.buf), len(p))
		w.buf = append(w.buf, p[:k]...)
		p = p[k:]
		n += k
	}
	return n, nil
}

// failed returns the writer's first failure: its own or a part upload's.
func (w *writer) failed() error {
	if w.err == nil && w.inflight != nil {
		return w.inflight.Err()
	}
	return w.err
}

// dispatch stores the buffer as the next part in the background; the
// buffer belongs to the part from then on. The first part of a new upload
// first removes what an older upload closed at the path left under the
// same prefix (its parts would otherwise mix with this one's).
func (w *writer) dispatch(ctx context.Context) error {
	if err := w.failed(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		// Nothing more starts once the caller's context is done.
		w.err = w.e.fail(w.path, err)
		return w.err
	}
	if !w.resumed {
		if err := w.e.deleteUpload(ctx, w.prefix); err != nil {
			return w.e.fail(w.path, err)
		}
		w.resumed = true
	}
	if w.inflight == nil {
		w.inflight = w.newGroup(ctx)
	}
	b := w.buf
	part := Part{Number: w.next, Key: w.prefix + partName(w.next), Size: int64(len(b))}
	w.buf = nil
	w.next++
	w.mu.Lock()
	w.stored += part.Size
	w.mu.Unlock()
	w.inflight.Go(func(ctx context.Context) error {
		defer w.e.bufs.Put(b)
		if err := w.e.store.Put(ctx, part.Key, bytes.NewReader(b), part.Size); err != nil {
			return w.e.fail(w.path, err)
		}
		w.mu.Lock()
		w.parts = append(w.parts, part)
		w.mu.Unlock()
		return nil
	})
	return w.failed()
}

// newGroup returns the group the parts of the writer upload in. A part
// in flight is not abandoned when ctx (the caller's) is done: a request the
// store has received whole may still store its part after the client gave
// up on it, and would then outlive a Cancel that deleted the upload's
// objects before it landed. Nothing new is dispatched once ctx is done
// (see dispatch); waits abandon the parts when their own context ends
// (Group.WaitFor), and no wait holds them longer than inflight.Grace after
// ctx ended.
func (w *writer) newGroup(ctx context.Context) *inflight.Group {
	return inflight.NewDetached(ctx, w.e.cfg.Parallel, inflight.Grace)
}

// wait waits for the parts in flight (abandoning them if ctx ends first),
// which are then in order, and returns the first failure (kept: the writer
// fails from then on).
func (w *writer) wait(ctx context.Context) error {
	if w.inflight == nil {
		return w.err
	}
	err := w.inflight.WaitFor(ctx)
	slices.SortFunc(w.parts, func(a, b Part) int { return a.Number - b.Number })
	if err != nil {
		w.err = err
		return err
	}
	w.inflight = nil
	return w.err
}

// Size implements driver.FileWriter.
func (w *writer) Size() int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.stored + int64(len(w.buf)) + w.curN
}

// finish stores the session's part: it finishes the stream, or puts the
// buffered bytes. A session with no bytes stores nothing unless empty is
// set.
func (w *writer) finish(ctx context.Context, empty bool) error {
	if w.e.parallel {
		if len(w.buf) > 0 || empty {
			if w.inflight == nil {
				// No part in flight: the last one goes with ctx.
				w.inflight = w.newGroup(ctx)
			}
			if err := w.dispatch(ctx); err != nil {
				return err
			}
		}
		return w.wait(ctx)
	}
	if w.err != nil {
		return w.err
	}
	var p Part
	switch {
	case w.cur != nil:
		err := w.cur.Close()
		w.cancel()
		w.cur = nil
		if err != nil {
			w.err = w.e.fail(w.path, err)
			return w.err
		}
		p = Part{Number: w.next, Key: w.curKey, Size: w.curN}
		w.curN = 0
	case len(w.buf) > 0 || empty:
		p = Part{Number: w.next, Key: w.prefix + partName(w.next), Size: int64(len(w.buf))}
		if err := w.e.store.Put(ctx, p.Key, bytes.NewReader(w.buf), p.Size); err != nil {
			return w.e.fail(w.path, err)
		}
		w.buf = nil
	default:
		return nil
	}
	w.parts = append(w.parts, p)
	w.stored += p.Size
	w.next++
	return nil
}

// Close implements io.Closer: it stores the session's part so that a later
// Writer(path, true) resumes the upload. An upload with no bytes yet gets
// an empty part, so that it can be resumed too. The first Close of a new
// upload first removes what an older upload closed at the path left.
func (w *writer) Close() error {
	if !w.resumed {
		if err := w.e.deleteUpload(w.ctx, w.prefix); err != nil {
			return w.e.fail(w.path, err)
		}
		w.resumed = true
	}
	return w.finish(w.ctx, len(w.parts) == 0 && w.inflight == nil)
}

// Commit implements driver.FileWriter: the fast path stores an upload that
// never had a part with one Put (beside the removal of an older upload at
// the path); otherwise the session's part is finished and the parts
// assembled at the path. The upload's objects are deleted last: until
// then the upload can be resumed or cancelled again.
func (w *writer) Commit(ctx context.Context) error {
	if w.cur == nil && len(w.parts) == 0 && w.inflight == nil {
		// A new upload never closed: one Put, beside the removal of what
		// an older upload closed at the path left (the new writer
		// replaces it whether the Put succeeds or not), so that a small
		// upload costs one round trip, not two in a row.
		cleared := make(chan error, 1)
		go func() { cleared <- w.e.deleteUpload(ctx, w.prefix) }()
		err := w.e.store.Put(ctx, w.key, bytes.NewReader(w.buf), int64(len(w.buf)))
		cerr := <-cleared
		if err != nil {
			return w.e.fail(w.path, err)
		}
		w.stored = int64(len(w.buf))
		w.releaseBuffer()
		if cerr != nil {
			return w.e.fail(w.path, cerr)
		}
		return nil
	}
	if err := w.finish(ctx, false); err != nil {
		return err
	}
	if err := w.e.assemble(ctx, w.key, w.prefix, w.parts); err != nil {
		return w.e.fail(w.path, err)
	}
	// A new upload never closed may replace an older one closed at the
	// path: its parts go too.
	if err := w.e.deleteUpload(ctx, w.prefix); err != nil {
		return w.e.fail(w.path, err)
	}
	return nil
}

// Cancel implements driver.FileWriter: the session's part is abandoned,
// the parts in flight are waited for, and every object of the upload
// deleted, those of an older upload a new writer replaced included.
func (w *writer) Cancel(ctx context.Context) error {
	if w.cur != nil {
		w.cancel()
		_ = w.cur.Close()
		w.cur = nil
	}
	if w.inflight != nil {
		// The parts in flight land (or fail) before the upload's objects
		// are deleted, unless ctx ends first.
		_ = w.inflight.WaitFor(ctx)
	}
	w.releaseBuffer()
	if err := w.e.deleteUpload(ctx, w.prefix); err != nil {
		return w.e.fail(w.path, err)
	}
	return nil
}

// releaseBuffer returns a parallel engine's buffer to its pool.
func (w *writer) releaseBuffer() {
	if w.e.parallel && w.buf != nil {
		w.e.bufs.Put(w.buf)
	}
	w.buf = nil
}
