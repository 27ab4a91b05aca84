package main

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/stowage/stowage/configmap"
)

func newBenchCmd(o *options) *cobra.Command {
	var count int
	var sizeFlag string
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure write and read throughput of the configured storage",
		Long: `bench writes --count blobs of --size through resumable writers (as a
registry stores pushed layers), reads them back, walks them and deletes them,
showing progress, and prints the throughput of each phase. Everything is
written under /stowage-bench-<time> and removed at the end.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			size, err := configmap.ParseSize(sizeFlag)
			if err != nil || size <= 0 {
				return usageError{fmt.Errorf("--size: expected a size such as 16MiB, got %q", sizeFlag)}
			}
			if count < 1 {
				return usageError{fmt.Errorf("--count: expected at least 1, got %d", count)}
			}
			d, cfg, err := o.open(ctx)
			if err != nil {
				return err
			}
			data := make([]byte, size)
			_, _ = rand.Read(data)
			dir := fmt.Sprintf("/stowage-bench-%d", time.Now().UnixNano())
			defer func() { _ = d.Delete(ctx, dir) }()
			total := int64(size) * int64(count)
			fmt.Fprintf(o.out, "storage %s: %d blobs of %s\n", cfg.Provider, count, configmap.Size(size))
			phase := func(name string, f func(i int, bar *progressbar.ProgressBar) error) (time.Duration, error) {
				bar := progressbar.NewOptions64(total, progressbar.OptionSetWriter(o.errOut),
					progressbar.OptionSetDescription(name), progressbar.OptionShowBytes(true),
					progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())
				start := time.Now()
				for i := range count {
					if err := f(i, bar); err != nil {
						return 0, err
					}
				}
				_ = bar.Finish()
				return time.Since(start), nil
			}
			report := func(name string, d time.Duration) {
				fmt.Fprintf(o.out, "%-6s %10.1f MiB/s  %8s\n", name, float64(total)/d.Seconds()/(1<<20), d.Round(time.Millisecond))
			}
			wd, err := phase("write", func(i int, bar *progressbar.ProgressBar) error {
				w, err := d.Writer(ctx, fmt.Sprintf("%s/blob%04d", dir, i), false)
				if err != nil {
					return err
				}
				if _, err := io.Copy(io.MultiWriter(w, bar), bytes.NewReader(data)); err != nil {
					_ = w.Cancel(ctx)
					return err
				}
				if err := w.Commit(ctx); err != nil {
					return err
				}
				return w.Close()
			})
			if err != nil {
				return err
			}
			report("write", wd)
			rd, err := phase("read", func(i int, bar *progressbar.ProgressBar) error {
				rc, err := d.Reader(ctx, fmt.Sprintf("%s/blob%04d", dir, i), 0)
				if err != nil {
					return err
				}
				defer rc.Close()
				n, err := io.Copy(bar, rc)
				if err == nil && n != int64(size) {
					err = fmt.Errorf("read %d bytes of %d", n, size)
				}
				return err
			})
			if err != nil {
				return err
			}
			report("read", rd)
			start := time.Now()
			if err := d.Delete(ctx, dir); err != nil {
				return err
			}
			fmt.Fprintf(o.out, "delete %d blobs: %s\n", count, time.Since(start).Round(time.Millisecond))
			return nil
		},
	}
	cmd.Flags().IntVar(&count, "count", 8, "number of blobs")
	cmd.Flags().StringVar(&sizeFlag, "size", "16MiB", "size of each blob")
	return cmd
}
