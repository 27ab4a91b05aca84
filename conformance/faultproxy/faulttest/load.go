package faulttest

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
	"golang.org/x/sync/errgroup"

	"github.com/stowage/stowage/driver"
)

// LoadHarness tells Load how to open the driver and what memory it may
// take.
type LoadHarness struct {
	// Open returns a driver rooted at root.
	Open func(t testing.TB, root string) driver.StorageDriver
	// ChunkSize is the driver's part or segment size.
	ChunkSize int64
	// PerWriter is the documented memory bound of one writer, such as
	// chunksize × (maxconcurrency + 1).
	PerWriter int64
	// Writers and Readers are how many run at once; zero means 8 each
	// (64 with STOWAGE_LOAD=full).
	Writers, Readers int
	// ServerInProcess says that the server keeps what it stores in this
	// process's memory (oss/osstest): the bound then allows for it.
	ServerInProcess bool
}

// loadConstant is the memory allowed beyond the writers' bound: the
// readers' buffers (up to 1 MiB of a response read ahead by
// internal/retry, 32 KiB copies), the SDKs' clients and connection pools,
// the test's own payload.
func loadConstant(readers int, payload int64) int64 {
	return 64<<20 + int64(readers)*(2<<20) + payload
}

// LoadResult is what Load measured.
type LoadResult struct {
	Writers, Readers int
	// PeakLive is the largest live heap seen (runtime/metrics
	// /gc/heap/live:bytes, sampled while the writers and readers ran,
	// with the collector made eager), and Bound what it may be.
	PeakLive, PeakHeap, Bound int64
	Leaks                     int
}

func (r LoadResult) String() string {
	return fmt.Sprintf("%d writers and %d readers: peak live heap %.1f MiB (heap objects %.1f MiB), bound %.1f MiB; %d goroutines leaked",
		r.Writers, r.Readers, mib(r.PeakLive), mib(r.PeakHeap), mib(r.Bound), r.Leaks)
}

func mib(n int64) float64 { return float64(n) / (1 << 20) }

// Load runs Writers writers (each 2.5 chunks, closed once and resumed,
// then committed) and Readers readers (each reading whole objects
// committed before) at once, checks every object by sha256, that the peak
// live heap stays within PerWriter × Writers plus a constant, and that
// no goroutine is left once the driver is closed (go.uber.org/goleak).
func Load(t *testing.T, h LoadHarness) LoadResult {
	full := os.Getenv("STOWAGE_LOAD") == "full"
	if h.Writers == 0 {
		h.Writers = 8
		if full {
			h.Writers = 64
		}
	}
	if h.Readers == 0 {
		h.Readers = 8
		if full {
			h.Readers = 64
		}
	}
	ignore := goleak.IgnoreCurrent()
	size := 2*h.ChunkSize + h.ChunkSize/2
	data := payload(size, 21)
	want := sha256.Sum256(data)
	root := fmt.Sprintf("load-%d", time.Now().UnixNano())
	d := h.Open(t, root)
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Minute)
	defer cancel()

	const readObjects = 4
	for i := range readObjects {
		if err := d.PutContent(ctx, fmt.Sprintf("/r/%d", i), data); err != nil {
			t.Fatalf("seed object: %v", err)
		}
	}
	defer debug.SetGCPercent(debug.SetGCPercent(20))
	runtime.GC()
	stop := make(chan struct{})
	var peakLive, peakHeap int64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		samples := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/memory/classes/heap/objects:bytes"}}
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(samples)
			peakLive = max(peakLive, int64(samples[0].Value.Uint64()))
			peakHeap = max(peakHeap, int64(samples[1].Value.Uint64()))
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	g, gctx := errgroup.WithContext(ctx)
	for i := range h.Writers {
		g.Go(func() error { return loadWrite(gctx, d, fmt.Sprintf("/w/%d", i), data) })
	}
	for i := range h.Readers {
		g.Go(func() error { return loadRead(gctx, d, fmt.Sprintf("/r/%d", i%readObjects), want) })
	}
	err := g.Wait()
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	for i := range h.Writers {
		if err := loadRead(ctx, d, fmt.Sprintf("/w/%d", i), want); err != nil {
			t.Errorf("after the load: %v", err)
		}
	}
	res := LoadResult{Writers: h.Writers, Readers: h.Readers, PeakLive: peakLive, PeakHeap: peakHeap,
		Bound: h.PerWriter*int64(h.Writers) + loadConstant(h.Readers, size)}
	if h.ServerInProcess {
		// Its objects, and the parts of each while it is assembled.
		res.Bound += 2 * size * int64(h.Writers+readObjects)
	}
	if peakLive > res.Bound {
		t.Errorf("peak live heap %.1f MiB is above the bound of %.1f MiB (%d writers × %.1f MiB + %.1f MiB)",
			mib(peakLive), mib(res.Bound), h.Writers, mib(h.PerWriter), mib(loadConstant(h.Readers, size)))
	}
	for _, p := range []string{"/w", "/r"} {
		if err := d.Delete(ctx, p); err != nil {
			t.Errorf("delete %s: %v", p, err)
		}
	}
	if err := driver.Close(d); err != nil {
		t.Errorf("close: %v", err)
	}
	// Idle keep-alive connections of the drivers' pools are not leaks.
	leaks := goleak.Find(ignore,
		goleak.IgnoreAnyFunction("net/http.(*persistConn).readLoop"),
		goleak.IgnoreAnyFunction("net/http.(*persistConn).writeLoop"),
		// An in-process server's connections (oss/osstest) are not the
		// driver's.
		goleak.IgnoreAnyFunction("net/http.(*conn).serve"))
	if leaks != nil {
		res.Leaks = 1
		t.Errorf("goroutines left after the load and driver.Close: %v", leaks)
	}
	t.Logf("%s", res)
	return res
}

func loadWrite(ctx context.Context, d driver.StorageDriver, path string, data []byte) error {
	w, err := d.Writer(ctx, path, false)
	if err != nil {
		return err
	}
	half := int64(len(data)) / 2
	if _, err := w.Write(data[:half]); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("close %s: %w", path, err)
	}
	if w, err = d.Writer(ctx, path, true); err != nil {
		return fmt.Errorf("resume %s: %w", path, err)
	}
	for off := half; off < int64(len(data)); off += 1 << 20 {
		if _, err := w.Write(data[off:min(off+1<<20, int64(len(data)))]); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
	}
	return w.Commit(ctx)
}

func loadRead(ctx context.Context, d driver.StorageDriver, path string, want [32]byte) error {
	rc, err := d.Reader(ctx, path, 0)
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	defer rc.Close()
	h := sha256.New()
	if _, err := io.Copy(h, rc); err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	if [32]byte(h.Sum(nil)) != want {
		return fmt.Errorf("read %s: SILENT CORRUPTION: not the bytes written", path)
	}
	return nil
}
