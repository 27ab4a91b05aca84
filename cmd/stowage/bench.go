package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/stowage/stowage/configmap"
	"github.com/stowage/stowage/driver"
)

func newBenchCmd(o *options) *cobra.Command {
	var count int
	var sizeFlag string
	var latency time.Duration
	var noSDK bool
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure write and read throughput of the configured storage",
		Long: `bench writes --count blobs of --size through resumable writers (as a
registry stores pushed layers), reads them back and deletes them, showing
progress on a terminal, and prints the throughput of each phase.
Everything is written under /stowage-bench-<time> and removed at the end,
also when bench is interrupted (Ctrl-C, SIGTERM): the upload in progress
is cancelled, then the directory and any upload state left under it are
removed. A second Ctrl-C stops at once.

On s3, gcs, azure, swift and oss the same blobs are also written and read
with the provider's SDK used directly, on the driver's own SDK client, at
the driver's part size and concurrency, taking turns with the driver blob
after blob, and bench prints each phase's ratio stowage/sdk: the SDK's
time divided by the driver's, above 1 when the driver is faster. The
driver takes each blob as a stream of writes, as a registry passes it a
PATCH body; the SDK uploads it from memory, as code without stowage would:
s3 and oss a single PutObject below
chunksize, otherwise a multipart upload of chunksize parts with
maxconcurrency in flight (with a Content-MD5 where the driver sends one);
gcs one storage.Writer of chunksize; azure UploadStream of 4 MiB blocks,
maxconcurrency in flight; swift one PUT below chunksize, otherwise a
static large object of chunksize segments. --no-sdk leaves that out.

--latency adds a delay to every request in each direction, as a network
with a round trip of twice the delay would: the driver then sends its
requests through a plain HTTP client of bench's (TLS parameters such as
skipverify do not apply).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			size, err := configmap.ParseSize(sizeFlag)
			if err != nil || size <= 0 {
				return usageError{fmt.Errorf("--size: expected a size such as 16MiB, got %q", sizeFlag)}
			}
			if count < 1 {
				return usageError{fmt.Errorf("--count: expected at least 1, got %d", count)}
			}
			if latency < 0 {
				return usageError{fmt.Errorf("--latency: expected a duration of 0 or more, got %s", latency)}
			}
			if latency > 0 {
				// Every driver the command opens gets the delaying client,
				// given with the options of the session.
				meters, client := o.meters, delayedClient(latency)
				o.meters = func(do *driver.Options) {
					if meters != nil {
						meters(do)
					}
					do.HTTPClient = client
				}
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
			if !noSDK {
				b.sdk = sdkFor(s.sd, cfg)
			}
			desc := fmt.Sprintf("storage %s: %d blobs of %s", cfg.Provider, count, configmap.Size(size))
			switch {
			case latency > 0 && (cfg.Provider == "filesystem" || cfg.Provider == "inmemory"):
				desc += fmt.Sprintf(" (--latency %s: no effect, %s sends no request)", latency, cfg.Provider)
			case latency > 0:
				desc += fmt.Sprintf(", %s added each way to every request", latency)
			}
			if b.sdk != nil {
				desc += ", beside the " + b.sdk.name
			}
			fmt.Fprintln(o.out, desc)
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
	cmd.Flags().DurationVar(&latency, "latency", 0, "delay added to every request in each direction, such as 10ms")
	cmd.Flags().BoolVar(&noSDK, "no-sdk", false, "do not compare with the provider's SDK used directly")
	return cmd
}

// delayedClient returns an HTTP client whose requests wait d before they
// are sent, and whose responses wait d before they are returned.
func delayedClient(d time.Duration) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64
	return &http.Client{Transport: delayTransport{next: tr, d: d}}
}

// delayTransport delays each request and each response by d.
type delayTransport struct {
	next http.RoundTripper
	d    time.Duration
}

func (t delayTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if err := sleep(r.Context(), t.d); err != nil {
		if r.Body != nil {
			_ = r.Body.Close()
		}
		return nil, err
	}
	resp, err := t.next.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	if err := sleep(r.Context(), t.d); err != nil {
		resp.Body.Close()
		return nil, err
	}
	return resp, nil
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

type bench struct {
	o       *options
	d       driver.StorageDriver // rooted at the scratch directory
	count   int
	size    int64
	scratch *scratch
	sdk     *sdkBench // nil when there is none to compare with
}

func (b *bench) blob(i int) string { return b.scratch.path(fmt.Sprintf("/blob%04d", i)) }

func (b *bench) sdkBlob(i int) string { return b.scratch.path(fmt.Sprintf("/sdk/blob%04d", i)) }

// step is one blob's work in a phase, given the phase's progress meter.
type step func(i int, m meter) error

// meter shows a phase's progress: copy copies with progress, add counts
// bytes moved otherwise (an SDK upload from memory).
type meter struct {
	copy func(io.Writer, io.Reader) error
	add  func(int64)
}

func (b *bench) run(ctx context.Context) error {
	data := make([]byte, b.size)
	_, _ = rand.Read(data)
	total := b.size * int64(b.count)
	write := func(i int, m meter) error {
		w, err := b.d.Writer(ctx, b.blob(i), false)
		if err != nil {
			return err
		}
		if err := m.copy(w, bytes.NewReader(data)); err != nil {
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
	}
	var sdkWrite, sdkRead step
	if b.sdk != nil {
		// The SDK uploads from the blob in memory, as the sdk slot of the
		// comparison benchmark does (docs/performance.md).
		sdkWrite = func(i int, m meter) error {
			if err := b.sdk.target.Upload(ctx, b.sdkBlob(i), data, writeSize); err != nil {
				return err
			}
			m.add(b.size)
			return nil
		}
		sdkRead = func(i int, m meter) error {
			rc, err := b.sdk.target.Open(ctx, b.sdkBlob(i))
			if err != nil {
				return err
			}
			defer rc.Close()
			var n countingWriter
			if err := m.copy(&n, rc); err != nil {
				return err
			}
			if int64(n) != b.size {
				return fmt.Errorf("sdk read %d bytes of %d from %s", n, b.size, b.sdkBlob(i))
			}
			return nil
		}
	}
	wd, swd, err := b.phase(ctx, "write", total, write, sdkWrite)
	if err != nil {
		return err
	}
	b.report("write", total, wd, swd)
	read := func(i int, m meter) error {
		rc, err := b.d.Reader(ctx, b.blob(i), 0)
		if err != nil {
			return err
		}
		defer rc.Close()
		var n countingWriter
		if err := m.copy(&n, rc); err != nil {
			return err
		}
		if int64(n) != b.size {
			return fmt.Errorf("read %d bytes of %d from %s", n, b.size, b.blob(i))
		}
		return nil
	}
	rd, srd, err := b.phase(ctx, "read", total, read, sdkRead)
	if err != nil {
		return err
	}
	b.report("read", total, rd, srd)
	start := time.Now()
	for i := range b.count {
		if err := b.d.Delete(ctx, b.blob(i)); err != nil {
			return err
		}
	}
	fmt.Fprintf(b.o.out, "delete %d blobs: %s\n", b.count, time.Since(start).Round(time.Millisecond))
	return nil
}

// phase runs f, and sdk when it is not nil, for every blob with a progress
// bar of total bytes (twice that with the SDK), and returns the time each
// spent. The two take turns blob after blob, starting with the driver on
// even blobs and with the SDK on odd ones.
func (b *bench) phase(ctx context.Context, name string, total int64, f, sdk step) (time.Duration, time.Duration, error) {
	barTotal := total
	if sdk != nil {
		barTotal *= 2
	}
	bar := b.o.newBar(barTotal, name, b.o.showProgress(barTotal, 0))
	defer func() { _ = bar.Clear() }()
	m := meter{
		copy: func(w io.Writer, r io.Reader) error {
			_, err := copyWithProgress(ctx, w, r, bar)
			return err
		},
		add: func(n int64) { _ = bar.Add64(n) },
	}
	var spent [2]time.Duration
	contenders := [2]step{f, sdk}
	for i := range b.count {
		order := [2]int{0, 1}
		if i%2 == 1 {
			order = [2]int{1, 0}
		}
		for _, k := range order {
			if contenders[k] == nil {
				continue
			}
			if err := ctx.Err(); err != nil {
				return 0, 0, err
			}
			start := time.Now()
			if err := contenders[k](i, m); err != nil {
				return 0, 0, err
			}
			spent[k] += time.Since(start)
		}
	}
	_ = bar.Finish()
	return spent[0], spent[1], nil
}

func (b *bench) report(name string, total int64, d, sdk time.Duration) {
	fmt.Fprintf(b.o.out, "%-6s %10.1f MiB/s  %8s", name, float64(total)/d.Seconds()/(1<<20), d.Round(time.Millisecond))
	if sdk > 0 {
		fmt.Fprintf(b.o.out, "   sdk %10.1f MiB/s  %8s   stowage/sdk %.2f", float64(total)/sdk.Seconds()/(1<<20), sdk.Round(time.Millisecond), sdk.Seconds()/d.Seconds())
	}
	fmt.Fprintln(b.o.out)
}

// countingWriter counts and discards what is written to it.
type countingWriter int64

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
}
