// Package multipart is the one upload engine of the adapters whose store
// has multipart uploads (s3, oss): resumable writers of uniform parts plus
// a hidden tail, over a small Store interface each adapter implements with
// its SDK.
//
// An upload is a provider multipart upload of parts of exactly ChunkSize
// bytes (S3-compatible stores such as Cloudflare R2 refuse uploads whose
// non-trailing parts differ in size), and a tail: the bytes written after
// the last whole part. Close stores a state object (see state) holding the
// upload ID, the parts and the tail, under the upload's prefix in the key
// layout (internal/layout), so that a writer in any process resumes it
// with one GET. Commit uploads the tail as the last part and completes the
// upload; an upload that never filled a part is stored with a single Put.
// Cancel aborts the upload and deletes the state.
//
// Parts are uploaded in the background, at most MaxConcurrency at a time,
// each from one of at most MaxConcurrency+1 buffers of ChunkSize bytes;
// buffers are shared by the writers of an Engine through a pool. The
// multipart upload is started in the background too, when the first part
// is dispatched: the writer goes on filling the next buffer while the store
// answers (a registry's PATCH body is not held for that round trip), and
// the part uploads wait for the upload ID.
package multipart

import (
	"bufio"
	"context"
	"fmt"
	"io"

	"golang.org/x/sync/errgroup"

	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/internal/inflight"
	"github.com/stowage/stowage/internal/layout"
)

// Config is the engine's configuration.
type Config struct {
	// ChunkSize is the size of every part but the last.
	ChunkSize int64
	// MaxConcurrency is the number of part uploads (and part copies) one
	// writer has in flight at most.
	MaxConcurrency int
	// MaxParts is the most parts an upload may have (10,000 on S3 and OSS).
	MaxParts int
	// Fail turns a store error about path into the driver's error
	// (provider detail, permissions named). Not-found errors are turned
	// into driver.PathNotFoundError before Fail sees them.
	Fail func(path string, err error) error
}

// Engine makes the writers of one driver.
type Engine struct {
	store  Store
	layout layout.Layout
	cfg    Config
	bufs   *inflight.Buffers // of cap ChunkSize
}

// New returns an engine over store, keeping upload state where l says.
func New(store Store, l layout.Layout, cfg Config) *Engine {
	if cfg.MaxConcurrency < 1 {
		cfg.MaxConcurrency = 1
	}
	if cfg.MaxParts < 1 {
		cfg.MaxParts = 10000
	}
	if cfg.Fail == nil {
		cfg.Fail = func(_ string, err error) error { return err }
	}
	return &Engine{store: store, layout: l, cfg: cfg, bufs: inflight.NewBuffers(cfg.ChunkSize)}
}

// StateKey returns the key of the state object of an upload to path.
func (e *Engine) StateKey(path string) string { return e.layout.Upload(path) + stateName }

func (e *Engine) fail(path string, err error) error {
	return driver.MapError(path, err, e.store.NotFound, e.cfg.Fail)
}

// Writer starts (appendMode false) or resumes (true) an upload to path.
//
// A new upload sends no request: nothing is looked up or deleted until the
// writer has something to store. An older upload closed at the same path
// and never committed or cancelled is replaced when the new one first
// closes, and removed by Purge.
//
// Resuming reads the state object of the upload; with none, the committed
// object at path becomes the start of a new upload: its whole parts are
// copied server side as parts, the rest is read into the tail.
func (e *Engine) Writer(ctx context.Context, path string, appendMode bool) (driver.FileWriter, error) {
	w := e.newWriter(ctx, path, e.cfg.ChunkSize)
	if !appendMode {
		return w, nil
	}
	w.resumed = true
	found, err := w.resume(ctx)
	if err != nil {
		w.releaseBuffers()
		return nil, e.fail(path, err)
	}
	if found {
		return w, nil
	}
	if err := w.appendToObject(ctx); err != nil {
		w.abandon(context.WithoutCancel(ctx))
		return nil, e.fail(path, err)
	}
	return w, nil
}

// resume loads the state of the upload to the writer's path, if any.
func (w *writer) resume(ctx context.Context) (bool, error) {
	rc, err := w.e.store.Get(ctx, w.stateKey, 0)
	if err != nil {
		if w.e.store.NotFound(err) {
			return false, nil
		}
		return false, err
	}
	defer rc.Close()
	br := bufio.NewReader(rc)
	s, err := readState(br)
	if err != nil {
		return false, fmt.Errorf("upload state %s: %w", w.stateKey, err)
	}
	if s.tailSize >= s.chunk {
		return false, fmt.Errorf("upload state %s: %w: tail of %d bytes is not shorter than a part (%d)", w.stateKey, errBadState, s.tailSize, s.chunk)
	}
	w.chunk = s.chunk
	w.uploadID = s.uploadID
	w.parts = s.parts
	w.stored = s.stored()
	w.stateStored = true
	w.buf = w.e.bufs.Get(w.chunk)
	w.buf = w.buf[:s.tailSize]
	if _, err := io.ReadFull(br, w.buf); err != nil {
		return false, fmt.Errorf("upload state %s: reading the %d-byte tail: %w", w.stateKey, s.tailSize, err)
	}
	return true, nil
}

// appendToObject starts an upload with the committed object at the path:
// its whole parts copied server side, the rest read into the tail.
func (w *writer) appendToObject(ctx context.Context) error {
	e := w.e
	size, err := e.store.Head(ctx, w.key)
	if err != nil {
		return err
	}
	whole := size / w.chunk
	if whole+1 > int64(e.cfg.MaxParts) {
		return fmt.Errorf("appending to %s (%d bytes) needs more than %d parts of chunksize %d: raise chunksize", w.path, size, e.cfg.MaxParts, w.chunk)
	}
	if whole > 0 {
		if err := w.ensureUpload(ctx); err != nil {
			return err
		}
		parts := make([]Part, whole)
		g, gctx := errgroup.WithContext(ctx)
		g.SetLimit(e.cfg.MaxConcurrency)
		for i := range parts {
			n := i + 1
			g.Go(func() error {
				etag, err := e.store.CopyPart(gctx, w.key, w.uploadID, n, w.key, int64(i)*w.chunk, w.chunk)
				parts[i] = Part{Number: n, ETag: etag, Size: w.chunk}
				return err
			})
		}
		if err := g.Wait(); err != nil {
			return err
		}
		w.parts = parts
		w.stored = whole * w.chunk
	}
	w.buf = w.e.bufs.Get(w.chunk)
	if rest := size - w.stored; rest > 0 {
		rc, err := e.store.Get(ctx, w.key, w.stored)
		if err != nil {
			return err
		}
		defer rc.Close()
		w.buf = w.buf[:rest]
		if _, err := io.ReadFull(rc, w.buf); err != nil {
			return fmt.Errorf("reading the last %d bytes of %s: %w", rest, w.key, err)
		}
	}
	return nil
}
