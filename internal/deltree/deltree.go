// Package deltree is the one recursive delete of the object-store
// adapters: the object at a path and every object under it, listed page by
// page and deleted in batches as the pages arrive, a bounded number of
// requests at a time, with PathNotFound when nothing was there. An adapter
// supplies a Store (the listing and the delete calls of its SDK) and its
// batch size.
package deltree

import (
	"context"
	"iter"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/internal/layout"
)

// Store is what Tree needs of a provider. O is what its listing yields (a
// key, or an object with the metadata its delete needs, such as Swift's
// large-object manifests).
type Store[O any] interface {
	// List lists the objects whose keys start with prefix.
	List(ctx context.Context, prefix string) iter.Seq2[O, error]
	// Delete deletes objs (at most Config.Batch of them); objects already
	// gone are not an error.
	Delete(ctx context.Context, objs []O) error
	// DeleteKey deletes the object at key, if any, and reports whether
	// there was one.
	DeleteKey(ctx context.Context, key string) (bool, error)
}

// Config bounds the requests of Tree.
type Config struct {
	// Batch is the most objects one Delete call takes (1 for stores that
	// delete one object per request).
	Batch int
	// Concurrency is the most Delete calls in flight.
	Concurrency int
}

// Tree deletes the object at exact (unless "") and every object whose key
// starts with prefix, and returns how many there were. Listing goes on
// while batches are deleted; the first error stops everything.
func Tree[O any](ctx context.Context, s Store[O], exact, prefix string, cfg Config) (int, error) {
	batch := max(cfg.Batch, 1)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(cfg.Concurrency, 1) + 1) // + the exact key
	var found atomic.Int64
	if exact != "" {
		g.Go(func() error {
			ok, err := s.DeleteKey(gctx, exact)
			if ok {
				found.Add(1)
			}
			return err
		})
	}
	var objs []O
	send := func() {
		b := objs
		objs = nil
		found.Add(int64(len(b)))
		g.Go(func() error { return s.Delete(gctx, b) })
	}
	var listErr error
	for o, err := range s.List(gctx, prefix) {
		if err != nil {
			listErr = err
			break
		}
		objs = append(objs, o)
		if len(objs) == batch {
			send()
		}
	}
	if len(objs) > 0 && listErr == nil {
		send()
	}
	err := g.Wait()
	if err == nil {
		err = listErr
	}
	return int(found.Load()), err
}

// Path deletes the object at path and everything under path + "/" (never
// a sibling sharing the prefix, such as "/ab" for "/a"), and returns a
// driver.PathNotFoundError when there was nothing.
func Path[O any](ctx context.Context, s Store[O], l layout.Layout, path string, cfg Config) error {
	n, err := Tree(ctx, s, l.Key(path), l.DirPrefix(path), cfg)
	if err != nil {
		return err
	}
	if n == 0 {
		return driver.PathNotFoundError{Path: path}
	}
	return nil
}
