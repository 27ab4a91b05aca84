package main

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/spf13/cobra"
	"golang.org/x/sync/errgroup"

	"github.com/stowage/stowage/configmap"
	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/s3"
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

Where the driver gives access to its SDK client (s3), the same blobs are
also written and read with the SDK directly (a single PutObject below
chunksize, otherwise a multipart upload of chunksize parts with
maxconcurrency in flight, with a Content-MD5 where the driver sends one),
taking turns with the driver blob after blob, and bench prints each
phase's ratio stowage/sdk: the SDK's time divided by the driver's, above
1 when the driver is faster. --no-sdk leaves that out.

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
				desc += ", beside the " + b.sdk.name()
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
	sdk     sdkBench // nil when there is none to compare with
}

// sdkBench writes and reads blobs with a provider's SDK directly, beside
// the driver, at paths of the same driver (keys under its root).
type sdkBench interface {
	name() string
	write(ctx context.Context, path string, r io.Reader, size int64) error
	read(ctx context.Context, path string, w io.Writer) error
}

// sdkFor returns the SDK comparison for the driver d opened from cfg, or
// nil when the driver does not give its SDK client.
func sdkFor(d driver.StorageDriver, cfg *configmap.StorageConfig) sdkBench {
	if cfg.Provider != s3.Name {
		return nil
	}
	type s3Client interface {
		Client() *awss3.Client
		S3BucketKey(string) string
	}
	c, ok := driver.As[s3Client](d)
	if !ok {
		return nil
	}
	var p s3.Params
	if err := configmap.Decode(cfg.Params, &p); err != nil {
		return nil
	}
	return s3SDK{c: c.Client(), key: c.S3BucketKey, bucket: p.Bucket, chunk: int64(p.ChunkSize), concurrency: p.MaxConcurrency, md5: !p.V4Auth}
}

type s3SDK struct {
	c           *awss3.Client
	key         func(string) string
	bucket      string
	chunk       int64
	concurrency int
	md5         bool // Content-MD5 on every object and part, as the driver sends under Signature Version 2
}

func (s s3SDK) name() string { return "aws-sdk-go-v2 client of the s3 driver" }

func (s s3SDK) md5Of(b []byte) *string {
	if !s.md5 {
		return nil
	}
	sum := md5.Sum(b)
	return aws.String(base64.StdEncoding.EncodeToString(sum[:]))
}

func (s s3SDK) write(ctx context.Context, path string, r io.Reader, size int64) error {
	key := aws.String(s.key(path))
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if size < s.chunk {
		_, err := s.c.PutObject(ctx, &awss3.PutObjectInput{Bucket: &s.bucket, Key: key, Body: bytes.NewReader(data), ContentLength: aws.Int64(size), ContentMD5: s.md5Of(data)})
		return err
	}
	up, err := s.c.CreateMultipartUpload(ctx, &awss3.CreateMultipartUploadInput{Bucket: &s.bucket, Key: key})
	if err != nil {
		return err
	}
	parts := make([]types.CompletedPart, (size+s.chunk-1)/s.chunk)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(s.concurrency, 1))
	for i := range parts {
		g.Go(func() error {
			b := data[int64(i)*s.chunk : min(int64(i+1)*s.chunk, size)]
			out, err := s.c.UploadPart(gctx, &awss3.UploadPartInput{
				Bucket: &s.bucket, Key: key, UploadId: up.UploadId, PartNumber: aws.Int32(int32(i + 1)),
				Body: bytes.NewReader(b), ContentLength: aws.Int64(int64(len(b))), ContentMD5: s.md5Of(b),
			})
			if err == nil {
				parts[i] = types.CompletedPart{PartNumber: aws.Int32(int32(i + 1)), ETag: out.ETag}
			}
			return err
		})
	}
	if err := g.Wait(); err != nil {
		_, aerr := s.c.AbortMultipartUpload(context.WithoutCancel(ctx), &awss3.AbortMultipartUploadInput{Bucket: &s.bucket, Key: key, UploadId: up.UploadId})
		return errors.Join(err, aerr)
	}
	_, err = s.c.CompleteMultipartUpload(ctx, &awss3.CompleteMultipartUploadInput{
		Bucket: &s.bucket, Key: key, UploadId: up.UploadId, MultipartUpload: &types.CompletedMultipartUpload{Parts: parts},
	})
	return err
}

func (s s3SDK) read(ctx context.Context, path string, w io.Writer) error {
	out, err := s.c.GetObject(ctx, &awss3.GetObjectInput{Bucket: &s.bucket, Key: aws.String(s.key(path))})
	if err != nil {
		return err
	}
	defer out.Body.Close()
	_, err = io.Copy(w, out.Body)
	return err
}

func (b *bench) blob(i int) string { return b.scratch.path(fmt.Sprintf("/blob%04d", i)) }

func (b *bench) sdkBlob(i int) string { return b.scratch.path(fmt.Sprintf("/sdk/blob%04d", i)) }

// step is one blob's work in a phase, given a copy function that shows
// progress.
type step func(i int, copyTo func(io.Writer, io.Reader) error) error

func (b *bench) run(ctx context.Context) error {
	data := make([]byte, b.size)
	_, _ = rand.Read(data)
	total := b.size * int64(b.count)
	write := func(i int, copyTo func(io.Writer, io.Reader) error) error {
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
	}
	var sdkWrite, sdkRead step
	if b.sdk != nil {
		sdkWrite = func(i int, copyTo func(io.Writer, io.Reader) error) error {
			pr, pw := io.Pipe()
			go func() { pw.CloseWithError(copyTo(pw, bytes.NewReader(data))) }()
			err := b.sdk.write(ctx, b.sdkBlob(i), pr, b.size)
			pr.CloseWithError(err)
			return err
		}
		sdkRead = func(i int, copyTo func(io.Writer, io.Reader) error) error {
			var n countingWriter
			pr, pw := io.Pipe()
			done := make(chan error, 1)
			go func() { done <- copyTo(&n, pr) }()
			err := b.sdk.read(ctx, b.sdkBlob(i), pw)
			pw.CloseWithError(err)
			if cerr := <-done; err == nil {
				err = cerr
			}
			if err == nil && int64(n) != b.size {
				err = fmt.Errorf("sdk read %d bytes of %d from %s", n, b.size, b.sdkBlob(i))
			}
			return err
		}
	}
	wd, swd, err := b.phase(ctx, "write", total, write, sdkWrite)
	if err != nil {
		return err
	}
	b.report("write", total, wd, swd)
	read := func(i int, copyTo func(io.Writer, io.Reader) error) error {
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
	copyTo := func(w io.Writer, r io.Reader) error {
		_, err := copyWithProgress(ctx, w, r, bar)
		return err
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
			if err := contenders[k](i, copyTo); err != nil {
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
