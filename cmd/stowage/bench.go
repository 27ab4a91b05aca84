package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/stowage/stowage/configmap"
	"github.com/stowage/stowage/driver"
)

func newBenchCmd(o *options) *cobra.Command {
	var count int
	var sizeFlag string
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure write and read throughput of the configured storage",
		Long: `bench writes --count blobs of --size through resumable writers (as a
registry stores pushed layers), reads them back and deletes them, showing
progress on a terminal, and prints the throughput of each phase.
Everything is written under /stowage-bench-<time> and removed at the end,
also when bench is interrupted (Ctrl-C, SIGTERM): the upload in progress
is cancelled, then the directory and any upload state left under it are
removed. A second Ctrl-C stops at once.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			size, err := configmap.ParseSize(sizeFlag)
			if err != nil || size <= 0 {
				return usageError{fmt.Errorf("--size: expected a size such as 16MiB, got %q", sizeFlag)}
			}
			if count < 1 {
				return usageError{fmt.Errorf("--count: expected at least 1, got %d", count)}
			}
			ctx := cmd.Context()
			d, cfg, err := o.open(ctx)
			if err != nil {
				return err
			}
			s, err := o.newScratch(ctx, cfg, d, fmt.Sprintf("/stowage-bench-%d", time.Now().UnixNano()))
			if err != nil {
				return err
			}
			b := &bench{o: o, d: s.sd, count: count, size: int64(size), scratch: s}
			fmt.Fprintf(o.out, "storage %s: %d blobs of %s\n", cfg.Provider, count, configmap.Size(size))
			err = b.run(ctx)
			if rerr := s.remove(ctx); err == nil {
				err = rerr
			}
			if interrupted(ctx) {
				return errInterrupted
			}
			return err
		},
	}
	cmd.Flags().IntVar(&count, "count", 8, "number of blobs")
	cmd.Flags().StringVar(&sizeFlag, "size", "16MiB", "size of each blob")
	return cmd
}

type bench struct {
	o       *options
	d       driver.StorageDriver // rooted at the scratch directory
	count   int
	size    int64
	scratch *scratch
}

func (b *bench) blob(i int) string { return b.scratch.path(fmt.Sprintf("/blob%04d", i)) }

func (b *bench) run(ctx context.Context) error {
	data := make([]byte, b.size)
	_, _ = rand.Read(data)
	total := b.size * int64(b.count)
	wd, err := b.phase(ctx, "write", total, func(i int, copyTo func(io.Writer, io.Reader) error) error {
		w, err := b.d.Writer(ctx, b.blob(i), false)
		if err != nil {
			return err
		}
		if err := copyTo(w, bytes.NewReader(data)); err != nil {
			cctx, cancel := cleanupContext(ctx)
			defer cancel()
			return errors.Join(err, w.Cancel(cctx))
		}
		if err := w.Commit(ctx); err != nil {
			cctx, cancel := cleanupContext(ctx)
			defer cancel()
			return errors.Join(err, w.Cancel(cctx))
		}
		return w.Close()
	})
	if err != nil {
		return err
	}
	b.report("write", total, wd)
	rd, err := b.phase(ctx, "read", total, func(i int, copyTo func(io.Writer, io.Reader) error) error {
		rc, err := b.d.Reader(ctx, b.blob(i), 0)
		if err != nil {
			return err
		}
		defer rc.Close()
		var n countingWriter
		if err := copyTo(&n, rc); err != nil {
			return err
		}
		if int64(n) != b.size {
			return fmt.Errorf("read %d bytes of %d from %s", n, b.size, b.blob(i))
		}
		return nil
	})
	if err != nil {
		return err
	}
	b.report("read", total, rd)
	start := time.Now()
	for i := range b.count {
		if err := b.d.Delete(ctx, b.blob(i)); err != nil {
			return err
		}
	}
	fmt.Fprintf(b.o.out, "delete %d blobs: %s\n", b.count, time.Since(start).Round(time.Millisecond))
	return nil
}

// phase runs f for every blob with a progress bar of total bytes.
func (b *bench) phase(ctx context.Context, name string, total int64, f func(i int, copyTo func(io.Writer, io.Reader) error) error) (time.Duration, error) {
	bar := b.o.newBar(total, name, b.o.showProgress(total, 0))
	defer func() { _ = bar.Clear() }()
	copyTo := func(w io.Writer, r io.Reader) error {
		_, err := copyWithProgress(ctx, w, r, bar)
		return err
	}
	start := time.Now()
	for i := range b.count {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		if err := f(i, copyTo); err != nil {
			return 0, err
		}
	}
	_ = bar.Finish()
	return time.Since(start), nil
}

func (b *bench) report(name string, total int64, d time.Duration) {
	fmt.Fprintf(b.o.out, "%-6s %10.1f MiB/s  %8s\n", name, float64(total)/d.Seconds()/(1<<20), d.Round(time.Millisecond))
}

// countingWriter counts and discards what is written to it.
type countingWriter int64

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
}
