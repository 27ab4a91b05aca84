// Package faulttest runs a storage driver through conformance/faultproxy
// and checks that faults cost nothing but time: every operation that
// reports success stored exactly the bytes written (checked by sha256
// through a second driver on a clean connection), every failure is a clear
// error, a failed upload stays resumable, nothing acknowledged is lost, no
// call hangs past its context.
//
// An adapter's faults_test.go gives a Harness (how to open its driver
// through a proxy and directly) and calls Run. Run does, at each rate of
// Harness.Rates:
//
//   - Conformance: the suite's write, read, move, delete and walk cases
//     through the proxy, when the rate is at most StrictRate (at higher
//     rates operations may fail, and the cases would report it).
//   - Uploads: resumable uploads of 0 B to MaxSize, each written in pieces
//     across Close and Writer(path, true), committed, verified, read back
//     through the proxy from offset 0 and from the middle, moved and
//     deleted. At most StrictRate every call must succeed; above it, a
//     failed call must say what failed, and the upload is resumed (or, one
//     time in four, cancelled) until it is committed.
//   - NoHang: every response stalls for an hour; each call must return
//     once its context ends.
//
// The counts (faults injected per kind, operations verified, silent
// corruptions, reads resumed, retries) are logged, and returned by Run.
//
// The package has the other checks of a driver under adversity too:
// Integrity (bodies damaged on the way: the server refuses them, the
// driver sends them again), Secrets (the most verbose logs and every error
// show no credential), Crash (a writing process killed with SIGKILL; the
// upload resumed bit-exact or cancelled without a trace; and a writer
// cancelled with a part in flight when its context ended, which leaves no
// trace either, though the store stores that part late), Load
// (concurrent writers and readers within a memory bound, no goroutine
// leaked) and CheckCause (errors that name their cause).
package faulttest

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/stowage/stowage/conformance"
	"github.com/stowage/stowage/conformance/faultproxy"
	"github.com/stowage/stowage/driver"
)

// quiet drops the SDKs' warnings about the faults (connections reset
// while a body was drained, and the like): errors only.
var quiet = driver.WithLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError})))

// StrictRate is the highest fault rate at which every call must succeed.
const StrictRate = 0.2

// Harness tells Run how to reach the driver under test.
type Harness struct {
	// Target is the server's base URL the proxy forwards to.
	Target string
	// TargetHost is faultproxy.Config.TargetHost.
	TargetHost bool
	// Exempt is faultproxy.Config.Exempt.
	Exempt func(*http.Request) bool
	// Open returns a driver rooted at root whose requests go to proxyURL
	// (the proxy's base URL, in place of Target) with opts applied.
	Open func(t testing.TB, proxyURL, root string, opts ...driver.Option) driver.StorageDriver
	// Clean returns a driver rooted at root talking to Target directly.
	Clean func(t testing.TB, root string) driver.StorageDriver
	// ChunkSize is the driver's part or segment size.
	ChunkSize int64
	// Rates are the fault rates to run at; nil means 0.2 and 0.45.
	Rates []float64
	// Uploads is the number of uploads per rate; zero means 8 (40 with
	// STOWAGE_FAULTS=full).
	Uploads int
	// MaxSize is the largest upload; zero means 33 MiB.
	MaxSize int64
	// Seed seeds the proxy and the sizes; zero means 1.
	Seed uint64
	// Conformance, when set, keeps only these conformance cases (by
	// name) of the default selection.
	Conformance func(name string) bool
	// NoConformance skips the conformance cases.
	NoConformance bool
	// HangsKnown names NoHang calls known to outlive their context (with
	// the reason in the test), which are then not run.
	HangsKnown []string
}

// Full reports whether STOWAGE_FAULTS=full asks for the long runs.
func Full() bool { return envFull }

// Counts is what one rate of Run counted.
type Counts struct {
	Rate               float64
	Proxy              faultproxy.Stats
	Uploads            int // committed and verified
	Verified           int // operations whose result was checked byte for byte
	Failed             int // calls that failed (clearly) and were recovered from
	Cancelled          int
	SilentCorruptions  int
	ReadsResumed       int64
	RequestRetries     int64
	FaultsOffToRecover int // uploads that had to be finished with the faults off
}

func (c Counts) String() string {
	return fmt.Sprintf("rate %.0f%%: %d uploads committed and verified, %d operations verified, %d calls failed clearly and were recovered (%d uploads cancelled, %d finished with faults off), %d silent corruptions, %d reads resumed, %d requests retried; proxy: %v",
		c.Rate*100, c.Uploads, c.Verified, c.Failed, c.Cancelled, c.FaultsOffToRecover, c.SilentCorruptions, c.ReadsResumed, c.RequestRetries, c.Proxy)
}

// conformanceCase reports whether a case is one of the write, read, move,
// delete and walk cases run through the proxy. Left out: Delete/ManyFiles
// (long), and Delete/Missing: a DELETE whose first attempt got no answer
// and whose repeat finds nothing is taken to have deleted the object
// (internal/retry's lost deletes), so that a delete that succeeded is not
// reported as a delete of nothing; a delete of nothing whose first attempt
// got no answer is then reported as done.
func conformanceCase(name string) bool {
	switch name {
	case "Delete/ManyFiles", "Delete/Missing":
		return false
	}
	for _, p := range []string{"PutContent/", "GetContent/", "Reader/", "Writer/", "Move/", "Delete/", "Walk/", "Registry/", "Stream/SizesAcrossChunk"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// Run runs the fault runs of h as subtests of t and returns the counts of
// each rate.
func Run(t *testing.T, h Harness) []Counts {
	t.Helper()
	if h.Rates == nil {
		h.Rates = []float64{StrictRate, 0.45}
	}
	if h.Uploads == 0 {
		h.Uploads = 8
		if envFull {
			h.Uploads = 40
		}
	}
	if h.MaxSize == 0 {
		h.MaxSize = 33 << 20
	}
	if h.Seed == 0 {
		h.Seed = 1
	}
	var all []Counts
	for _, rate := range h.Rates {
		t.Run(fmt.Sprintf("Rate%.0f", rate*100), func(t *testing.T) {
			c := run(t, h, rate)
			t.Logf("%s", c)
			all = append(all, c)
		})
	}
	t.Run("NoHang", func(t *testing.T) { noHang(t, h) })
	return all
}

func startProxy(t testing.TB, cfg faultproxy.Config) *faultproxy.Proxy {
	t.Helper()
	p, err := faultproxy.Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Close() })
	return p
}

func run(t *testing.T, h Harness, rate float64) Counts {
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	p := startProxy(t, faultproxy.Config{Target: h.Target, TargetHost: h.TargetHost, Exempt: h.Exempt, Seed: h.Seed, Rate: rate})
	c := Counts{Rate: rate}
	if rate <= StrictRate && !h.NoConformance {
		t.Run("Conformance", func(t *testing.T) {
			conformance.Run(t, conformance.Harness{
				Open: func(ct conformance.TB, root string) driver.StorageDriver {
					return h.Open(ct.(testing.TB), p.URL(), root, driver.WithMeterProvider(mp), quiet)
				},
				ChunkSize: h.ChunkSize,
				LargeSize: 3 * h.ChunkSize,
				Select: func(name string) bool {
					return conformanceCase(name) && (h.Conformance == nil || h.Conformance(name))
				},
			})
		})
	}
	t.Run("Uploads", func(t *testing.T) {
		root := fmt.Sprintf("faults-%d-%d", int(rate*100), time.Now().UnixNano())
		u := &uploads{
			t: t, h: h, p: p, rate: rate, c: &c,
			d:     h.Open(t, p.URL(), root, driver.WithMeterProvider(mp), quiet),
			clean: h.Clean(t, root),
			rnd:   rand.New(rand.NewPCG(h.Seed, uint64(rate*1000))),
			data:  payload(h.MaxSize, h.Seed),
		}
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			_ = u.clean.Delete(ctx, "/f")
			_, _ = driver.PurgeUploads(ctx, u.clean, 0)
		})
		u.run()
	})
	c.Proxy = p.Stats()
	c.RequestRetries, c.ReadsResumed = retries(t, reader)
	return c
}

// retries sums stowage.driver.retries by what was retried.
func retries(t testing.TB, reader *sdkmetric.ManualReader) (requests, reads int64) {
	var rm metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &rm); err != nil {
		t.Errorf("collect metrics: %v", err)
		return
	}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if m.Name != "stowage.driver.retries" {
				continue
			}
			sum, ok := m.Data.(metricdata.Sum[int64])
			if !ok {
				continue
			}
			for _, dp := range sum.DataPoints {
				what, _ := dp.Attributes.Value("stowage.retry")
				if what.AsString() == "read" {
					reads += dp.Value
				} else {
					requests += dp.Value
				}
			}
		}
	}
	return requests, reads
}

// payload returns n deterministic pseudo-random bytes.
func payload(n int64, seed uint64) []byte {
	b := make([]byte, n)
	r := rand.NewChaCha8([32]byte{byte(seed), byte(seed >> 8), 's', 't', 'o', 'w'})
	_, _ = r.Read(b)
	return b
}

// sizes returns the sizes of n uploads: the edges of a chunk first, then
// sizes spread up to max.
func sizes(n int, chunk, max int64, rnd *rand.Rand) []int64 {
	edges := []int64{0, 1, chunk - 1, chunk, chunk + 1, 2*chunk + chunk/2, max, 1000}
	out := make([]int64, 0, n)
	for i := 0; i < n; i++ {
		if i < len(edges) {
			out = append(out, min(edges[i], max))
			continue
		}
		out = append(out, rnd.Int64N(max+1))
	}
	return out
}

// clear checks that a failed call says what failed: an error whose text
// names the driver, or a typed driver error.
func clear(err error) bool {
	if err == nil {
		return false
	}
	var de *driver.Error
	msg := err.Error()
	return msg != "" && (errors.As(err, &de) || driver.IsNotFound(err) || strings.Contains(msg, ":"))
}

func sum(b []byte) [32]byte { return sha256.Sum256(b) }

func readAll(ctx context.Context, d driver.StorageDriver, path string, off int64) ([]byte, error) {
	rc, err := d.Reader(ctx, path, off)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}
