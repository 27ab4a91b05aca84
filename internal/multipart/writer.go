package multipart

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"slices"
	"sync"

	"github.com/stowage/stowage/internal/inflight"
)

// writer is one writer of an upload. driver.Base enforces its life cycle
// (no Write after Close, Commit or Cancel; Commit or Cancel once) and
// answers Size; the writer keeps its own count for the state it stores.
type writer struct {
	e        *Engine
	ctx      context.Context // of the Writer call: part uploads during Write
	path     string
	key      string
	stateKey string
	chunk    int64

	uploadID    string
	creating    *creation // the start of the multipart upload, in flight; nil before it and once resolved
	stateStored bool      // a state object of this upload exists (resumed or closed)
	resumed     bool      // the writer resumed an upload or appends to an object

	mu     sync.Mutex
	parts  []Part // stored parts, in any order until sorted
	stored int64  // bytes in parts, including parts in flight
	err    error  // first failure outside the part uploads

	// inflight runs the part uploads, at most MaxConcurrency at a time;
	// nil until the first part is dispatched.
	inflight *inflight.Group
	nextPart int

	buf []byte // bytes not yet in a part, fewer than chunk
}

func (e *Engine) newWriter(ctx context.Context, path string, chunk int64) *writer {
	return &writer{
		e: e, ctx: ctx, path: path, key: e.layout.Key(path), stateKey: e.StateKey(path),
		chunk: chunk,
	}
}

// Write implements io.Writer. Every time the buffer holds a whole part and
// another byte comes, the part is uploaded in the background; Write waits
// only when MaxConcurrency parts are already in flight. A full buffer waits
// for that byte so that an upload of exactly one part is one Put at Commit,
// not a multipart upload of one part.
func (w *writer) Write(p []byte) (int, error) {
	if err := w.failed(); err != nil {
		return 0, err
	}
	n := 0
	for len(p) > 0 {
		if err := w.dispatchFull(); err != nil {
			return n, err
		}
		if w.buf == nil {
			w.buf = w.e.bufs.Get(w.chunk)
		}
		k := min(len(p), int(w.chunk)-len(w.buf))
		w.buf = append(w.buf, p[:k]...)
		p = p[k:]
		n += k
	}
	return n, nil
}

// dispatchFull uploads the buffer as the next part if it holds a whole one.
func (w *writer) dispatchFull() error {
	if int64(len(w.buf)) < w.chunk {
		return nil
	}
	if err := w.dispatch(w.buf); err != nil {
		return err
	}
	w.buf = nil
	return nil
}

// failed returns the writer's first failure: its own or a part upload's.
func (w *writer) failed() error {
	w.mu.Lock()
	err := w.err
	w.mu.Unlock()
	if err == nil && w.inflight != nil {
		err = w.inflight.Err()
	}
	return err
}

// creation is a start of a multipart upload in flight: the first part is
// dispatched at once, and the writer goes on filling the next while the
// store answers, instead of waiting a round trip with a full buffer. The
// part uploads wait for it.
type creation struct {
	done chan struct{}
	id   string
	err  error
}

func (w *writer) startCreate() *creation {
	c := &creation{done: make(chan struct{})}
	// The start ends with the writer's context (unlike the parts): an
	// upload it started unknown to the writer is found by the listing of
	// Cancel and of a new writer at the path.
	ctx, key := w.ctx, w.key
	go func() {
		defer close(c.done)
		c.id, c.err = w.e.store.Create(ctx, key)
	}()
	return c
}

// wait waits for the upload to start, or for ctx (a part upload's, which a
// wait whose own context ended abandons).
func (c *creation) wait(ctx context.Context) (string, error) {
	select {
	case <-c.done:
		return c.id, c.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// resolveCreate waits for a start of the upload in flight, even after a
// Cancel (so that the upload it starts is known, to be aborted), and
// records its ID.
func (w *writer) resolveCreate() error {
	c := w.creating
	if c == nil {
		return nil
	}
	<-c.done
	w.creating = nil
	if c.err != nil {
		err := w.e.fail(w.path, c.err)
		w.setErr(err)
		return err
	}
	w.uploadID = c.id
	return nil
}

// ensureUpload starts the multipart upload if the writer has none yet.
func (w *writer) ensureUpload(ctx context.Context) error {
	if err := w.resolveCreate(); err != nil {
		return err
	}
	if w.uploadID != "" {
		return nil
	}
	id, err := w.e.store.Create(ctx, w.key)
	if err != nil {
		return err
	}
	w.uploadID = id
	return nil
}

// dispatch uploads b as the next part in the background. b belongs to the
// upload from then on and goes back to the pool when it is stored.
func (w *writer) dispatch(b []byte) error {
	if err := w.failed(); err != nil {
		return err
	}
	if err := w.ctx.Err(); err != nil {
		// Nothing more starts once the writer's context is done.
		err = w.e.fail(w.path, err)
		w.setErr(err)
		return err
	}
	if w.inflight == nil {
		w.inflight = w.newGroup()
		w.nextPart = len(w.parts) + 1
	}
	if w.uploadID == "" && w.creating == nil {
		w.creating = w.startCreate()
	}
	n := w.nextPart
	if n > w.e.cfg.MaxParts {
		err := fmt.Errorf("upload to %s needs more than %d parts of chunksize %d: raise chunksize", w.path, w.e.cfg.MaxParts, w.chunk)
		w.setErr(err)
		return err
	}
	w.nextPart++
	w.mu.Lock()
	w.stored += int64(len(b))
	w.mu.Unlock()
	c, id := w.creating, w.uploadID
	w.inflight.Go(func(ctx context.Context) error {
		defer w.e.bufs.Put(b)
		if c != nil {
			var err error
			if id, err = c.wait(ctx); err != nil {
				return w.e.fail(w.path, err)
			}
		}
		etag, err := w.e.store.UploadPart(ctx, w.key, id, n, bytes.NewReader(b), int64(len(b)))
		if err != nil {
			return w.e.fail(w.path, err)
		}
		w.mu.Lock()
		w.parts = append(w.parts, Part{Number: n, ETag: etag, Size: int64(len(b))})
		w.mu.Unlock()
		return nil
	})
	return w.failed()
}

// newGroup returns the group the parts of the writer upload in. A part in
// flight is not abandoned when the writer's context ends: a request the
// store has received whole may still store its part after the client gave
// up on it, and a part that lands after the upload was aborted stays
// stored (S3 documents that an abort may have to be repeated for that
// reason). Nothing new is dispatched once the context is done (see
// dispatch); waits abandon the parts when their own context ends
// (Group.WaitFor), and nothing holds them longer than inflight.Grace after
// the writer's context ended.
func (w *writer) newGroup() *inflight.Group {
	return inflight.NewDetached(w.ctx, w.e.cfg.MaxConcurrency, inflight.Grace)
}

func (w *writer) setErr(err error) {
	w.mu.Lock()
	if w.err == nil {
		w.err = err
	}
	w.mu.Unlock()
}

// wait waits for the part uploads in flight (abandoning them if ctx ends
// first) and the start of the upload, and returns the first error.
func (w *writer) wait(ctx context.Context) error {
	if w.inflight != nil {
		if err := w.inflight.WaitFor(ctx); err != nil {
			w.setErr(err)
		}
		w.inflight = nil
	}
	_ = w.resolveCreate()
	return w.failed()
}

// Size implements driver.FileWriter.
func (w *writer) Size() int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.stored + int64(len(w.buf))
}

func (w *writer) sortedParts() []Part {
	parts := slices.Clone(w.parts)
	slices.SortFunc(parts, func(a, b Part) int { return a.Number - b.Number })
	return parts
}

// Close implements io.Closer: it stores the state of the upload (its parts
// and the tail) so that a later Writer(path, true) resumes it. An upload
// that never filled a part has no multipart upload yet: its state holds
// only the tail.
func (w *writer) Close() error {
	defer w.releaseBuffers()
	if err := w.dispatchFull(); err != nil { // the tail is shorter than a part
		return err
	}
	if err := w.wait(w.ctx); err != nil {
		return err
	}
	s := state{uploadID: w.uploadID, chunk: w.chunk, parts: w.sortedParts(), tailSize: int64(len(w.buf))}
	body := newConcat(s.header(), w.buf)
	if !w.stateStored && !w.resumed {
		// The first Close of a new upload: a state already at the path is
		// an older upload this one replaces, whose parts must not stay
		// stored (and billed). The conditional Put costs nothing when
		// there is none, the usual case.
		created, err := w.e.store.PutIfAbsent(w.ctx, w.stateKey, body, body.size)
		if err != nil {
			return w.e.fail(w.path, err)
		}
		if created {
			w.stateStored = true
			return nil
		}
		if err := w.abortReplaced(w.ctx); err != nil {
			return err
		}
		_, _ = body.Seek(0, io.SeekStart)
	}
	if err := w.e.store.Put(w.ctx, w.stateKey, body, body.size); err != nil {
		return w.e.fail(w.path, err)
	}
	w.stateStored = true
	return nil
}

// abortReplaced aborts the multipart upload of the state at the path, if it
// is not this writer's: an older upload a new one replaces.
func (w *writer) abortReplaced(ctx context.Context) error {
	id, err := w.e.stateUpload(ctx, w.stateKey)
	if err != nil && !w.e.store.NotFound(err) {
		return w.e.fail(w.path, err)
	}
	if id == "" || id == w.uploadID {
		return nil
	}
	if err := w.e.store.Abort(ctx, w.key, id); err != nil && !w.e.store.NotFound(err) {
		return w.e.fail(w.path, err)
	}
	return nil
}

// replaced runs, beside the Commit of a new upload that never closed, the
// removal of an older upload closed at the same path: its multipart upload
// aborted and its state deleted once the commit succeeded. It returns a
// function to call with the commit's outcome, which waits for the check.
func (w *writer) replaced(ctx context.Context) func(committed bool) error {
	if w.resumed || w.stateStored {
		return func(bool) error { return nil }
	}
	type result struct {
		id  string
		err error
	}
	ch := make(chan result, 1)
	go func() {
		id, err := w.e.stateUpload(ctx, w.stateKey)
		ch <- result{id, err}
	}()
	var r *result
	return func(committed bool) error {
		if r == nil {
			got := <-ch
			r = &got
		}
		if !committed || w.e.store.NotFound(r.err) {
			return nil
		}
		if r.err != nil {
			return w.e.fail(w.path, r.err)
		}
		if r.id != "" && r.id != w.uploadID {
			if err := w.e.store.Abort(ctx, w.key, r.id); err != nil && !w.e.store.NotFound(err) {
				return w.e.fail(w.path, err)
			}
		}
		if err := w.e.store.Delete(ctx, w.stateKey); err != nil {
			return w.e.fail(w.path, err)
		}
		return nil
	}
}

// Commit implements driver.FileWriter: an upload that never filled a part
// is stored with one Put; otherwise the tail is uploaded as the last part
// (alongside the parts still in flight) and the upload completed. The
// state object, if this upload has one, is deleted last (once the upload is
// completed, beside the check of the object's size): until then the upload
// can be resumed or cancelled again.
//
// A Commit that fails keeps what it was given: when the single Put fails,
// the bytes stay in the buffer and Commit may be called again; when a part
// fails, the writer keeps the error and the upload stays resumable from its
// last Close, or can be cancelled.
func (w *writer) Commit(ctx context.Context) error {
	done := w.replaced(ctx)
	if w.uploadID == "" && len(w.parts) == 0 && w.inflight == nil {
		body := newConcat(w.buf)
		if err := w.e.store.Put(ctx, w.key, body, body.size); err != nil {
			_ = done(false)
			return w.e.fail(w.path, err)
		}
		w.releaseBuffers()
		if err := done(true); err != nil {
			return err
		}
		return w.deleteState(ctx)
	}
	if len(w.buf) > 0 {
		if w.inflight == nil {
			// No part in flight: the last part goes with the commit's
			// context.
			w.ctx = ctx
		}
		if err := w.dispatch(w.buf); err != nil {
			_ = done(false)
			return err
		}
		w.buf = nil
	}
	if err := w.wait(ctx); err != nil {
		_ = done(false)
		return err
	}
	if err := w.e.store.Complete(ctx, w.key, w.uploadID, w.sortedParts()); err != nil {
		_ = done(false)
		return w.e.fail(w.path, err)
	}
	// The multipart upload is gone: its state can go, and an older upload
	// it replaced, while the size of a resumed upload's object is checked
	// (one round trip instead of three in a row). A writer that uploaded
	// every part itself named each part's ETag in Complete, so the store
	// assembled exactly those bytes: its object is not looked up again.
	checked := make(chan error, 1)
	if w.resumed {
		go func() { checked <- w.checkSize(ctx) }()
	} else {
		checked <- nil
	}
	err := done(true)
	if err == nil {
		err = w.deleteState(ctx)
	}
	if cerr := <-checked; cerr != nil {
		return cerr
	}
	return err
}

// checkSize fails a commit of a resumed upload whose object does not hold
// the bytes written: parts lost or doubled between the writers of the
// upload (the parts of earlier writers come from the store's listing),
// a store that assembled something else.
func (w *writer) checkSize(ctx context.Context) error {
	size, err := w.e.store.Head(ctx, w.key)
	if err != nil {
		return w.e.fail(w.path, fmt.Errorf("checking the size of the committed object: %w", err))
	}
	if size != w.stored {
		return fmt.Errorf("commit of %s: the store holds %d bytes where %d were written in %d parts", w.path, size, w.stored, len(w.parts))
	}
	return nil
}

func (w *writer) deleteState(ctx context.Context) error {
	if !w.stateStored {
		return nil
	}
	if err := w.e.store.Delete(ctx, w.stateKey); err != nil {
		return w.e.fail(w.path, err)
	}
	w.stateStored = false
	return nil
}

// Cancel implements driver.FileWriter: the part uploads in flight are
// waited for (within ctx: so that none lands after the abort), the
// multipart upload aborted and the state deleted. A new
// writer also removes the upload it replaced, if one was closed at the
// path and never finished, and the multipart uploads of the path that no
// state records (of a writer that died before its first Close): Cancel
// leaves no upload state at the path.
func (w *writer) Cancel(ctx context.Context) error {
	_ = w.wait(ctx)
	w.releaseBuffers()
	if err := w.abandon(ctx); err != nil {
		return err
	}
	if w.resumed {
		return nil
	}
	if err := w.abortOrphans(ctx); err != nil {
		return err
	}
	older := w.e.newWriter(ctx, w.path, w.chunk)
	found, err := older.resume(ctx)
	if err != nil {
		return w.e.fail(w.path, err)
	}
	older.releaseBuffers()
	if !found {
		return nil
	}
	return older.abandon(ctx)
}

// abortOrphans aborts the multipart uploads of the writer's key that no
// state records: those of writers that died before their first Close (a
// crashed process), which no writer can resume. Listing the uploads of one
// key works on every store, MinIO included (whose listing by prefix, as
// Purge does, finds nothing).
func (w *writer) abortOrphans(ctx context.Context) error {
	for u, err := range w.e.store.Uploads(ctx, w.key) {
		if err != nil {
			return w.e.fail(w.path, err)
		}
		if u.Key != w.key || u.ID == w.uploadID {
			continue
		}
		if err := w.e.store.Abort(ctx, u.Key, u.ID); err != nil && !w.e.store.NotFound(err) {
			return w.e.fail(w.path, err)
		}
	}
	return nil
}

// abandon aborts the writer's multipart upload and deletes its state.
func (w *writer) abandon(ctx context.Context) error {
	if w.uploadID != "" {
		if err := w.e.store.Abort(ctx, w.key, w.uploadID); err != nil && !w.e.store.NotFound(err) {
			return w.e.fail(w.path, err)
		}
	}
	return w.deleteState(ctx)
}

func (w *writer) releaseBuffers() {
	if w.buf != nil {
		w.e.bufs.Put(w.buf)
		w.buf = nil
	}
}
