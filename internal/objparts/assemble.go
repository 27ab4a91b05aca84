package objparts

import (
	"context"
	"fmt"
	"io"
	"strings"

	"golang.org/x/sync/errgroup"
)

// assemble writes the concatenation of parts to key: an empty object when
// they hold no byte, a server-side Copy of the only part that does, a
// Compose where the store is a Composer, or else one new object the parts
// are streamed into, in order.
func (e *Engine) assemble(ctx context.Context, key, prefix string, parts []Part) error {
	var srcs []Part
	for _, p := range parts {
		if p.Size > 0 {
			srcs = append(srcs, p)
		}
	}
	switch {
	case len(srcs) == 0:
		return e.store.Put(ctx, key, strings.NewReader(""), 0)
	case len(srcs) == 1:
		return e.store.Copy(ctx, key, srcs[0].Key, srcs[0].Size)
	}
	if c, ok := e.store.(Composer); ok {
		names := make([]string, len(srcs))
		for i, p := range srcs {
			names[i] = p.Key
		}
		return e.compose(ctx, c, key, prefix, names, 0)
	}
	return e.concatenate(ctx, key, srcs)
}

// compose writes the concatenation of srcs to dst: in one Compose when
// there are at most MaxCompose, otherwise through intermediate composites
// under the upload's prefix, MaxCompose sources each, level by level.
func (e *Engine) compose(ctx context.Context, c Composer, dst, prefix string, srcs []string, level int) error {
	limit := max(c.MaxCompose(), 2)
	if len(srcs) <= limit {
		return c.Compose(ctx, dst, srcs)
	}
	groups := (len(srcs) + limit - 1) / limit
	next := make([]string, groups)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(e.cfg.Concurrency)
	for i := range groups {
		group := srcs[i*limit : min((i+1)*limit, len(srcs))]
		next[i] = fmt.Sprintf("%scompose-%02d-%06d", prefix, level, i)
		g.Go(func() error {
			if len(group) == 1 {
				next[i] = group[0]
				return nil
			}
			return c.Compose(gctx, next[i], group)
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	return e.compose(ctx, c, dst, prefix, next, level+1)
}

// concatenate streams the parts, in order, into one new object at key,
// which appears only once every byte is in.
func (e *Engine) concatenate(ctx context.Context, key string, parts []Part) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w, err := e.store.Create(ctx, key)
	if err != nil {
		return err
	}
	if err := copyParts(ctx, e.store, w, parts); err != nil {
		cancel() // abandon the object: nothing appears at key
		_ = w.Close()
		return err
	}
	return w.Close()
}

func copyParts(ctx context.Context, s Store, w io.Writer, parts []Part) error {
	for _, p := range parts {
		rc, err := s.Get(ctx, p.Key, 0)
		if err != nil {
			return err
		}
		n, err := io.Copy(w, rc)
		rc.Close()
		if err != nil {
			return fmt.Errorf("copying part %s: %w", p.Key, err)
		}
		if n != p.Size {
			return fmt.Errorf("part %s holds %d bytes, %d were listed", p.Key, n, p.Size)
		}
	}
	return nil
}
