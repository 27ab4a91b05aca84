// Package inflight is how a writer stores its parts in the background: a
// Group runs the uploads, a bounded number at a time, and keeps the first
// error; Buffers pools the part buffers across the writers of a driver, so
// that a registry's stream of uploads reuses memory instead of allocating
// a chunk per part. Used by internal/multipart (s3, oss), internal/objparts
// (gcs, gocloud), swift and azure.
package inflight

import (
	"context"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
)

// Group runs the part uploads of one writer in the background, at most
// limit at a time, with a context of their own.
type Group struct {
	ctx    context.Context
	cancel context.CancelFunc
	g      errgroup.Group

	mu  sync.Mutex
	err error
}

// NewGroup returns a group whose uploads run with a context derived from
// ctx, limit (at least 1) at a time.
func NewGroup(ctx context.Context, limit int) *Group {
	g := &Group{}
	g.ctx, g.cancel = context.WithCancel(ctx)
	g.g.SetLimit(max(limit, 1))
	return g
}

// Grace is how long the uploads of a NewDetached group go on after the
// context they were detached from ended: long enough for a part a store
// has received whole to be answered and for the Cancel that follows to
// wait for it, short enough that a part stuck on a connection that never
// answers is not kept for ever when no Cancel comes.
const Grace = time.Minute

// NewDetached returns a group whose uploads are not cancelled when ctx
// ends but grace later (or when a WaitFor's context ends, or at Wait): a
// writer's part in flight when the writer's context ends is finished, so
// that a Cancel after it knows everything the store holds. (A request the
// store received whole may still be stored after the client gave up on
// it: a part that lands after the upload was aborted or deleted stays.)
func NewDetached(ctx context.Context, limit int, grace time.Duration) *Group {
	g := NewGroup(context.WithoutCancel(ctx), limit)
	stop := context.AfterFunc(ctx, func() {
		t := time.AfterFunc(grace, g.cancel)
		context.AfterFunc(g.ctx, func() { t.Stop() })
	})
	context.AfterFunc(g.ctx, func() { stop() })
	return g
}

// Go runs upload in the background once fewer than limit uploads are in
// flight (it blocks until then). The first error an upload returns is the
// group's Err; the uploads still in flight go on (a writer decides what a
// failure means for them).
func (g *Group) Go(upload func(ctx context.Context) error) {
	g.g.Go(func() error {
		if err := upload(g.ctx); err != nil {
			g.setErr(err)
		}
		return nil
	})
}

func (g *Group) setErr(err error) {
	g.mu.Lock()
	if g.err == nil {
		g.err = err
	}
	g.mu.Unlock()
}

// Err returns the first error of an upload so far, or nil.
func (g *Group) Err() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.err
}

// Wait waits for every upload, releases the group's context and returns
// the first error.
func (g *Group) Wait() error {
	_ = g.g.Wait()
	g.cancel()
	return g.Err()
}

// WaitFor is Wait, cancelling the uploads if ctx ends first. With a group
// whose context does not end with the caller's (NewDetached), it lets a
// Cancel wait for the uploads a request may still store, within its own
// deadline.
func (g *Group) WaitFor(ctx context.Context) error {
	stop := context.AfterFunc(ctx, g.cancel)
	defer stop()
	return g.Wait()
}

// Buffers pools byte buffers of one capacity.
type Buffers struct {
	size int64
	pool sync.Pool // *[]byte of cap size
}

// NewBuffers returns a pool of buffers of capacity size.
func NewBuffers(size int64) *Buffers {
	b := &Buffers{size: size}
	b.pool.New = func() any {
		buf := make([]byte, 0, size)
		return &buf
	}
	return b
}

// Get returns an empty buffer of capacity n: from the pool when n is the
// pool's size, else a new one.
func (b *Buffers) Get(n int64) []byte {
	if n != b.size {
		return make([]byte, 0, n)
	}
	return (*b.pool.Get().(*[]byte))[:0]
}

// Put returns buf to the pool, if it has the pool's capacity; nothing may
// use buf afterwards.
func (b *Buffers) Put(buf []byte) {
	if int64(cap(buf)) == b.size {
		buf = buf[:0]
		b.pool.Put(&buf)
	}
}
