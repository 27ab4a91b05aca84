package main

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/stowage/stowage/configmap"
	"github.com/stowage/stowage/driver"
)

// cleanupTimeout bounds the removal of what a command wrote, once it is
// interrupted or done; a second Ctrl-C ends it sooner.
const cleanupTimeout = 5 * time.Minute

// cleanupContext returns a context for removing what a command wrote: not
// cancelled with ctx (which an interrupt cancels), but bounded.
func cleanupContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
}

// interrupted reports whether ctx was cancelled by a signal (or any other
// cancellation of the command's context).
func interrupted(ctx context.Context) bool { return ctx.Err() != nil }

// rootParam is the parameter that prefixes every key, per driver.
func rootParam(provider string) string {
	if provider == "swift" {
		return "prefix"
	}
	return "rootdirectory"
}

// under returns cfg with its root moved to dir (a path such as
// /stowage-check/run) below the configured one.
func under(cfg *configmap.StorageConfig, dir string) *configmap.StorageConfig {
	params := maps.Clone(cfg.Params)
	if params == nil {
		params = map[string]any{}
	}
	key := rootParam(cfg.Provider)
	base, _ := params[key].(string)
	params[key] = strings.TrimSuffix(base, "/") + dir
	c := *cfg
	c.Params = params
	return &c
}

// scratch is a directory a command writes under and removes at the end,
// uploads in progress included, also when it is interrupted.
type scratch struct {
	o   *options
	cfg *configmap.StorageConfig
	d   driver.StorageDriver // rooted at the configured root
	dir string               // such as /stowage-bench-1234
	// sd is rooted at dir, so that the state of its uploads is kept under
	// dir too and purging it touches nothing beside (for inmemory, which
	// has no root, it is d); path gives a path for it.
	sd     driver.StorageDriver
	prefix string
}

// newScratch opens a driver rooted at dir below the configured root.
func (o *options) newScratch(ctx context.Context, cfg *configmap.StorageConfig, d driver.StorageDriver, dir string) (*scratch, error) {
	s := &scratch{o: o, cfg: cfg, d: d, dir: dir}
	if cfg.Provider == "inmemory" {
		s.sd, s.prefix = d, dir
		return s, nil
	}
	c := under(cfg, dir)
	c.Middleware = nil
	sd, err := o.openConfig(ctx, c)
	if err != nil {
		return nil, err
	}
	s.sd = sd
	return s, nil
}

// path returns the path of p (such as /blob0001) for s.sd.
func (s *scratch) path(p string) string { return s.prefix + p }

// remove deletes everything under the scratch directory: first the state
// of uploads still in progress (through s.sd, so nothing beside it is
// touched), then the directory itself. It reports what it did on standard
// error when the command was interrupted.
func (s *scratch) remove(ctx context.Context) error {
	cctx, cancel := cleanupContext(ctx)
	defer cancel()
	var errs []error
	if s.sd != s.d {
		if _, err := driver.PurgeUploads(cctx, s.sd, 0); err != nil && !errors.Is(err, driver.ErrUnsupportedMethod) && !driver.IsNotFound(err) {
			errs = append(errs, fmt.Errorf("remove uploads under %s: %w", s.dir, err))
		}
	}
	if err := s.d.Delete(cctx, s.dir); err != nil && !driver.IsNotFound(err) {
		errs = append(errs, fmt.Errorf("remove %s: %w", s.dir, err))
	}
	err := errors.Join(errs...)
	if interrupted(ctx) {
		if err != nil {
			fmt.Fprintf(s.o.errOut, "interrupted: could not remove everything under %s: %v\n", s.dir, err)
		} else {
			fmt.Fprintf(s.o.errOut, "interrupted: removed %s and its uploads in progress\n", s.dir)
		}
	}
	return err
}

// removeIfEmpty deletes dir when nothing is left under it, such as the
// parent of a scratch directory that other runs may share.
func removeIfEmpty(ctx context.Context, d driver.StorageDriver, dir string) {
	cctx, cancel := cleanupContext(ctx)
	defer cancel()
	if left, err := d.List(cctx, dir); err == nil && len(left) == 0 {
		_ = d.Delete(cctx, dir)
	}
}
