package inflight

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

func TestGroupLimitAndFirstError(t *testing.T) {
	g := NewGroup(context.Background(), 2)
	var running, most atomic.Int32
	track := func(upload func() error) func(context.Context) error {
		return func(context.Context) error {
			n := running.Add(1)
			defer running.Add(-1)
			for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
			}
			return upload()
		}
	}
	first := errors.New("first")
	release := make(chan struct{})
	g.Go(track(func() error { return first }))
	g.Go(track(func() error { <-release; return errors.New("later") }))
	// Two in flight: this one starts once the first has failed.
	g.Go(track(func() error { return nil }))
	if err := g.Err(); err != first {
		t.Fatalf("Err = %v once the first upload is done, want its error", err)
	}
	close(release)
	for range 3 {
		g.Go(track(func() error { return nil }))
	}
	if err := g.Wait(); err != first {
		t.Fatalf("Wait = %v, want the first error", err)
	}
	if most.Load() > 2 {
		t.Fatalf("%d uploads ran at once, limit 2", most.Load())
	}
	select {
	case <-g.ctx.Done():
	default:
		t.Fatal("the group's context is live after Wait")
	}
}

// TestGroupWaitFor: WaitFor cancels the uploads when its own context ends
// (an upload that outlives its caller's context: TestNewDetached).
func TestGroupWaitFor(t *testing.T) {
	g := NewGroup(context.Background(), 1)
	g.Go(func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() })
	waitCtx, cancelWait := context.WithCancel(context.Background())
	cancelWait()
	if err := g.WaitFor(waitCtx); !errors.Is(err, context.Canceled) {
		t.Fatalf("WaitFor with its context ended = %v, want the upload cancelled", err)
	}
}

func TestBuffers(t *testing.T) {
	b := NewBuffers(64)
	buf := b.Get(64)
	if len(buf) != 0 || cap(buf) != 64 {
		t.Fatalf("Get(64): len %d cap %d", len(buf), cap(buf))
	}
	b.Put(append(buf, 1, 2, 3))
	if other := b.Get(10); cap(other) != 10 {
		t.Fatalf("Get(10): cap %d, want a buffer of its own", cap(other))
	}
	if again := b.Get(64); len(again) != 0 || cap(again) != 64 {
		t.Fatalf("Get after Put: len %d cap %d", len(again), cap(again))
	}
}

// TestNewDetached: an upload of a detached group goes on after the
// caller's context ends, for grace; one still running then is cancelled
// (a part stuck on a connection that never answers is not kept for ever).
// A group waited for before grace keeps no timer. synctest's clock: no
// wall-clock time passes.
func TestNewDetached(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		caller, cancelCaller := context.WithCancel(t.Context())
		g := NewDetached(caller, 1, time.Minute)
		var stopped atomic.Int64 // nanoseconds after the caller's end
		start := time.Now()
		g.Go(func(ctx context.Context) error {
			<-ctx.Done()
			stopped.Store(int64(time.Since(start)))
			return ctx.Err()
		})
		cancelCaller()
		time.Sleep(59 * time.Second)
		synctest.Wait()
		if stopped.Load() != 0 {
			t.Fatalf("the upload was cancelled %v after the caller's context ended, before grace", time.Duration(stopped.Load()))
		}
		if err := g.Wait(); !errors.Is(err, context.Canceled) {
			t.Fatalf("Wait = %v, want the upload cancelled at grace", err)
		}
		if got := time.Duration(stopped.Load()); got != time.Minute {
			t.Fatalf("the upload was cancelled %v after the caller's context ended, want grace (1m)", got)
		}

		// Finished before grace: nothing is cancelled, nothing is left.
		caller, cancelCaller = context.WithCancel(t.Context())
		g = NewDetached(caller, 1, time.Minute)
		release := make(chan struct{})
		g.Go(func(ctx context.Context) error {
			select {
			case <-release:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
		cancelCaller()
		time.Sleep(time.Second)
		close(release)
		if err := g.Wait(); err != nil {
			t.Fatalf("Wait = %v, want the upload finished after the caller's context ended", err)
		}
	})
}
