package bench

import (
	"context"
	"errors"
	"fmt"
	"io"

	storagedriver "github.com/distribution/distribution/v3/registry/storage/driver"

	"github.com/stowage/stowage/internal/sdkbench"
)

// Target is one way of doing the workloads on a store: a storage driver
// (stowage's adapter or distribution's own), or the provider's SDK used
// directly (package internal/sdkbench, whose interface this is). Paths are
// driver paths ("/a/b"); an SDK target maps them to keys under its own
// prefix as the drivers do.
type Target = sdkbench.Target

// Appender is a Target that can resume an upload closed by an earlier
// writer, as a registry does across the PATCH requests of one blob upload.
type Appender interface {
	// Append writes each of parts through its own writer (the first new,
	// the others resuming the upload after a Close) and commits with the
	// last.
	Append(ctx context.Context, p string, parts [][]byte, ws int) error
}

// DriverTarget is a Target over a distribution storage driver: stowage's
// adapters through package distribution, or distribution's own drivers.
type DriverTarget struct {
	D storagedriver.StorageDriver
}

var (
	_ Target   = DriverTarget{}
	_ Appender = DriverTarget{}
)

// Upload implements Target.
func (t DriverTarget) Upload(ctx context.Context, p string, data []byte, ws int) error {
	w, err := t.D.Writer(ctx, p, false)
	if err != nil {
		return err
	}
	if err := sdkbench.WriteIn(w, data, ws); err != nil {
		_ = w.Cancel(ctx)
		return err
	}
	if err := w.Commit(ctx); err != nil {
		_ = w.Cancel(ctx)
		return err
	}
	if w.Size() != int64(len(data)) {
		return fmt.Errorf("writer of %s: size %d after commit, wrote %d", p, w.Size(), len(data))
	}
	return w.Close()
}

// Append implements Appender.
func (t DriverTarget) Append(ctx context.Context, p string, parts [][]byte, ws int) error {
	var total int64
	for i, part := range parts {
		w, err := t.D.Writer(ctx, p, i > 0)
		if err != nil {
			return err
		}
		if w.Size() != total {
			return fmt.Errorf("resumed writer of %s: size %d, want %d", p, w.Size(), total)
		}
		if err := sdkbench.WriteIn(w, part, ws); err != nil {
			_ = w.Cancel(ctx)
			return err
		}
		total += int64(len(part))
		if i < len(parts)-1 {
			if err := w.Close(); err != nil {
				return err
			}
			continue
		}
		if err := w.Commit(ctx); err != nil {
			_ = w.Cancel(ctx)
			return err
		}
		if err := w.Close(); err != nil {
			return err
		}
	}
	return nil
}

// Open implements Target.
func (t DriverTarget) Open(ctx context.Context, p string) (io.ReadCloser, error) {
	return t.D.Reader(ctx, p, 0)
}

// Read implements Target.
func (t DriverTarget) Read(ctx context.Context, p string) (int64, error) {
	return sdkbench.Read(ctx, t.Open, p)
}

// Put implements Target.
func (t DriverTarget) Put(ctx context.Context, p string, data []byte) error {
	return t.D.PutContent(ctx, p, data)
}

// Move implements Target.
func (t DriverTarget) Move(ctx context.Context, src, dst string) error {
	return t.D.Move(ctx, src, dst)
}

// Exists implements Target.
func (t DriverTarget) Exists(ctx context.Context, p string) (bool, error) {
	_, err := t.D.Stat(ctx, p)
	if errors.As(err, new(storagedriver.PathNotFoundError)) {
		return false, nil
	}
	return err == nil, err
}

// Walk implements Target.
func (t DriverTarget) Walk(ctx context.Context, p string) (int, error) {
	n := 0
	err := t.D.Walk(ctx, p, func(fi storagedriver.FileInfo) error {
		if !fi.IsDir() {
			n++
		}
		return nil
	})
	return n, err
}

// Delete implements Target.
func (t DriverTarget) Delete(ctx context.Context, p string) error {
	return t.D.Delete(ctx, p)
}
