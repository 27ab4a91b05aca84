package bench

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"runtime"
	"runtime/metrics"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"
)

// Slot names. Every comparison has Stowage and Again (the same driver
// opened a second time, for the A/A control); Reference and SDK where the
// provider has them.
const (
	Stowage   = "stowage"
	Again     = "stowage-again"
	Reference = "reference"
	SDK       = "sdk"
	// SDKBuffer is azblob's UploadBuffer with its defaults: one Put Blob
	// for anything up to 256 MiB, from the whole content in memory.
	SDKBuffer = "sdk-buffer"
	// SDKStream is aws-sdk-go-v2's transfer manager uploading from a
	// stream written 1 MiB at a time, copying it into part buffers as a
	// writer does (s3, with -compare.s3stream).
	SDKStream = "sdk-stream"
)

// Slot is one contender: a name and a Target rooted in an area of the
// store of its own, so that the slots never see each other's objects.
type Slot struct {
	Name   string
	Target Target
}

// Config sizes the workloads.
type Config struct {
	// Size is the size of the writer and reader workloads (512 MiB); the
	// other workloads have fixed sizes, scaled down with Size when Size is
	// under 64 MiB (for smoke runs).
	Size int64
	// WriteSize is the size of each Write (1 MiB).
	WriteSize int
	// Rounds is how many times each workload runs per slot, the slots
	// taking turns in an order rotated every round.
	Rounds int
	// Only, when set, selects the workloads whose name it matches.
	Only *regexp.Regexp
	// Scale adds the registry-scale workloads: Walk and recursive Delete
	// of 100,000 objects, 64 concurrent uploads.
	Scale bool
	// Log receives a line per measurement (may be nil).
	Log io.Writer
}

// Result is what one slot measured for one workload, every round.
type Result struct {
	Provider string `json:"provider"`
	// Latency is the delay added each way to every request ("0s", "10ms").
	Latency  string `json:"latency"`
	Workload string `json:"workload"`
	Slot     string `json:"slot"`
	// Seconds is the duration of each round.
	Seconds []float64 `json:"seconds"`
	// HeapMiB is, per round, how far the Go heap grew above where it was
	// before the round (workloads that measure memory only).
	HeapMiB []float64 `json:"heap_mib,omitempty"`
}

type workload struct {
	name string
	// setup prepares a slot once, untimed (objects to read or walk).
	setup func(ctx context.Context, t Target) error
	// prep prepares a round, untimed; run is timed; cleanup is untimed.
	prep    func(ctx context.Context, t Target, round int) error
	run     func(ctx context.Context, t Target, round int) error
	cleanup func(ctx context.Context, t Target, round int) error
	// appends: only for targets that resume uploads (drivers).
	appends bool
	mem     bool
}

const (
	kib = 1 << 10
	mib = 1 << 20
)

func sizeName(n int64) string {
	if n >= mib && n%mib == 0 {
		return fmt.Sprintf("%dMiB", n/mib)
	}
	return fmt.Sprintf("%dKiB", n/kib)
}

// fill puts n 1-byte objects under dir, in 20 directories, 32 at a time.
func fill(ctx context.Context, t Target, dir string, n int) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(32)
	for i := range n {
		g.Go(func() error {
			return t.Put(gctx, fmt.Sprintf("%s/d%02d/f%06d", dir, i%20, i), []byte{'x'})
		})
	}
	return g.Wait()
}

func workloads(cfg Config, data []byte) []workload {
	ws := cfg.WriteSize
	scaled := cfg.scaled
	upload := func(size int64, count int) workload {
		return workload{
			name: fmt.Sprintf("upload %s x%d", sizeName(size), count),
			run: func(ctx context.Context, t Target, r int) error {
				for i := range count {
					if err := t.Upload(ctx, fmt.Sprintf("/up%d/r%d/%d", size, r, i), data[:size], ws); err != nil {
						return err
					}
				}
				return nil
			},
			cleanup: func(ctx context.Context, t Target, r int) error {
				return t.Delete(ctx, fmt.Sprintf("/up%d/r%d", size, r))
			},
		}
	}
	big := cfg.Size
	part := scaled(40 * mib)
	moveSize := scaled(8 * mib)
	const walkFiles, delFiles, puts, moves = 2000, 500, 200, 8
	w := []workload{
		{
			name: "writer " + sizeName(big), mem: true,
			run: func(ctx context.Context, t Target, r int) error {
				return t.Upload(ctx, fmt.Sprintf("/writer/r%d", r), data[:big], ws)
			},
			cleanup: func(ctx context.Context, t Target, r int) error {
				return t.Delete(ctx, fmt.Sprintf("/writer/r%d", r))
			},
		},
		upload(scaled(4*mib), 8),
		upload(scaled(32*mib), 4),
		upload(scaled(64*mib), 2),
		{
			name: fmt.Sprintf("append 3x%s", sizeName(part)), appends: true, mem: true,
			run: func(ctx context.Context, t Target, r int) error {
				return t.(Appender).Append(ctx, fmt.Sprintf("/append/r%d", r), [][]byte{data[:part], data[part : 2*part], data[2*part : 3*part]}, ws)
			},
			cleanup: func(ctx context.Context, t Target, r int) error {
				return t.Delete(ctx, fmt.Sprintf("/append/r%d", r))
			},
		},
		{
			name: "reader " + sizeName(big),
			setup: func(ctx context.Context, t Target) error {
				return t.Upload(ctx, "/reader", data[:big], ws)
			},
			run: func(ctx context.Context, t Target, _ int) error {
				n, err := t.Read(ctx, "/reader")
				if err == nil && n != big {
					err = fmt.Errorf("read %d bytes of %d", n, big)
				}
				return err
			},
		},
		{
			name: fmt.Sprintf("putcontent 1KiB x%d", puts),
			run: func(ctx context.Context, t Target, r int) error {
				for i := range puts {
					if err := t.Put(ctx, fmt.Sprintf("/put/r%d/%03d", r, i), data[:kib]); err != nil {
						return err
					}
				}
				return nil
			},
			cleanup: func(ctx context.Context, t Target, r int) error {
				return t.Delete(ctx, fmt.Sprintf("/put/r%d", r))
			},
		},
		{
			name: fmt.Sprintf("move %s x%d", sizeName(moveSize), moves),
			prep: func(ctx context.Context, t Target, r int) error {
				for i := range moves {
					if err := t.Put(ctx, fmt.Sprintf("/mvsrc/r%d/%d", r, i), data[:moveSize]); err != nil {
						return err
					}
				}
				return nil
			},
			run: func(ctx context.Context, t Target, r int) error {
				for i := range moves {
					if err := t.Move(ctx, fmt.Sprintf("/mvsrc/r%d/%d", r, i), fmt.Sprintf("/mvdst/r%d/%d", r, i)); err != nil {
						return err
					}
				}
				return nil
			},
			cleanup: func(ctx context.Context, t Target, r int) error {
				return t.Delete(ctx, fmt.Sprintf("/mvdst/r%d", r))
			},
		},
		commitWorkload(data[:moveSize], moves),
		walkWorkload(walkFiles),
		deleteWorkload(delFiles),
	}
	if cfg.Scale {
		w = append(w, walkWorkload(100000), deleteWorkload(100000), concurrentUploads(data[:16*mib], 64, ws))
	}
	return w
}

func walkWorkload(files int) workload {
	dir := fmt.Sprintf("/walk%d", files)
	return workload{
		name:  fmt.Sprintf("walk %d", files),
		setup: func(ctx context.Context, t Target) error { return fill(ctx, t, dir, files) },
		run: func(ctx context.Context, t Target, _ int) error {
			n, err := t.Walk(ctx, dir)
			if err == nil && n != files {
				err = fmt.Errorf("walked %d files of %d", n, files)
			}
			return err
		},
	}
}

func deleteWorkload(files int) workload {
	dir := func(r int) string { return fmt.Sprintf("/del%d/r%d", files, r) }
	return workload{
		name: fmt.Sprintf("delete %d", files),
		prep: func(ctx context.Context, t Target, r int) error { return fill(ctx, t, dir(r), files) },
		run:  func(ctx context.Context, t Target, r int) error { return t.Delete(ctx, dir(r)) },
		cleanup: func(ctx context.Context, t Target, r int) error {
			// What a registry's garbage collection relies on: nothing left.
			n, err := t.Walk(ctx, dir(r))
			if err == nil && n != 0 {
				err = fmt.Errorf("%d files left after delete", n)
			}
			return err
		},
	}
}

func concurrentUploads(data []byte, n, ws int) workload {
	return workload{
		name: fmt.Sprintf("upload %s x%d concurrent", sizeName(int64(len(data))), n),
		run: func(ctx context.Context, t Target, r int) error {
			g, gctx := errgroup.WithContext(ctx)
			for i := range n {
				g.Go(func() error { return t.Upload(gctx, fmt.Sprintf("/conc/r%d/%d", r, i), data, ws) })
			}
			return g.Wait()
		},
		cleanup: func(ctx context.Context, t Target, r int) error {
			return t.Delete(ctx, fmt.Sprintf("/conc/r%d", r))
		},
	}
}

// ignoreNotFound drops the errors that say a path is not there: a walk of
// a deleted directory may report one.
func ignoreNotFound(err error) error {
	if err != nil && (strings.Contains(err.Error(), "Path not found") || strings.Contains(err.Error(), "path not found")) {
		return nil
	}
	return err
}

// RandomData returns n random bytes.
func RandomData(n int64) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

// scaled returns n, or n scaled down with Size when Size is under 64 MiB.
func (cfg Config) scaled(n int64) int64 {
	if cfg.Size >= 64*mib {
		return n
	}
	return max(n*cfg.Size/(64*mib), 64*kib)
}

// DataSize is how many bytes of data Run needs for cfg.
func DataSize(cfg Config) int64 {
	n := max(cfg.Size, 3*cfg.scaled(40*mib), cfg.scaled(64*mib))
	if cfg.Scale {
		n = max(n, 16*mib)
	}
	return n
}

// Run measures every workload on every slot, Rounds times, the slots
// taking turns (rotated each round so none always goes first), and returns
// the measurements. data holds at least DataSize(cfg) random bytes.
func Run(ctx context.Context, cfg Config, provider, latency string, data []byte, slots []Slot) ([]Result, error) {
	if cfg.Rounds < 1 {
		cfg.Rounds = 1
	}
	if cfg.WriteSize < 1 {
		cfg.WriteSize = mib
	}
	var out []Result
	for _, w := range workloads(cfg, data) {
		if cfg.Only != nil && !cfg.Only.MatchString(w.name) {
			continue
		}
		var active []Slot
		for _, s := range slots {
			if _, ok := s.Target.(Appender); ok || !w.appends {
				active = append(active, s)
			}
		}
		res := make([]Result, len(active))
		for i, s := range active {
			res[i] = Result{Provider: provider, Latency: latency, Workload: w.name, Slot: s.Name}
			if w.setup != nil {
				if err := w.setup(ctx, s.Target); err != nil {
					return out, fmt.Errorf("%s: %s: %s: setup: %w", provider, w.name, s.Name, err)
				}
			}
		}
		for r := range cfg.Rounds {
			for k := range active {
				i := (k + r) % len(active)
				s := active[i]
				if w.prep != nil {
					if err := w.prep(ctx, s.Target, r); err != nil {
						return out, fmt.Errorf("%s: %s: %s: prepare: %w", provider, w.name, s.Name, err)
					}
				}
				d, heap, err := measure(ctx, w, s.Target, r)
				if err != nil {
					return out, fmt.Errorf("%s (latency %s): %s: %s: %w", provider, latency, w.name, s.Name, err)
				}
				res[i].Seconds = append(res[i].Seconds, d.Seconds())
				if w.mem {
					res[i].HeapMiB = append(res[i].HeapMiB, heap)
				}
				if cfg.Log != nil {
					fmt.Fprintf(cfg.Log, "%s %s %-26s round %d %-14s %9.3fs", provider, latency, w.name, r+1, s.Name, d.Seconds())
					if w.mem {
						fmt.Fprintf(cfg.Log, "  heap +%.0f MiB", heap)
					}
					fmt.Fprintln(cfg.Log)
				}
				if w.cleanup != nil {
					if err := w.cleanup(ctx, s.Target, r); err != nil && ignoreNotFound(err) != nil {
						return out, fmt.Errorf("%s: %s: %s: cleanup: %w", provider, w.name, s.Name, err)
					}
				}
			}
		}
		out = append(out, res...)
	}
	return out, nil
}

var heapMetric = []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}

func heapBytes() uint64 {
	s := slices.Clone(heapMetric)
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// measure runs w once on t and returns its duration and, for workloads
// that measure memory, the peak growth of the heap in MiB (sampled every
// millisecond from a heap collected just before).
func measure(ctx context.Context, w workload, t Target, r int) (time.Duration, float64, error) {
	var peak atomic.Uint64
	var stop chan struct{}
	var wg sync.WaitGroup
	var base uint64
	if w.mem {
		runtime.GC()
		runtime.GC()
		base = heapBytes()
		peak.Store(base)
		stop = make(chan struct{})
		wg.Add(1)
		go func() {
			defer wg.Done()
			tick := time.NewTicker(time.Millisecond)
			defer tick.Stop()
			for {
				select {
				case <-stop:
					return
				case <-tick.C:
					if h := heapBytes(); h > peak.Load() {
						peak.Store(h)
					}
				}
			}
		}()
	}
	start := time.Now()
	err := w.run(ctx, t, r)
	d := time.Since(start)
	if w.mem {
		close(stop)
		wg.Wait()
		if h := heapBytes(); h > peak.Load() {
			peak.Store(h)
		}
	}
	return d, float64(peak.Load()-base) / mib, err
}

// WriteJSON writes results as JSON lines.
func WriteJSON(w io.Writer, results []Result) error {
	enc := json.NewEncoder(w)
	for _, r := range results {
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	return nil
}

// ReadJSON reads results written by WriteJSON (several runs may be
// concatenated).
func ReadJSON(r io.Reader) ([]Result, error) {
	var out []Result
	dec := json.NewDecoder(r)
	for {
		var res Result
		err := dec.Decode(&res)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, res)
	}
}

// commitWorkload is a registry's blob commit, n times: Exists (a driver's
// Stat) of the digest's path, which holds nothing, and of the upload,
// then Move of the upload to the digest's path. The uploads are stored
// first, untimed.
func commitWorkload(data []byte, n int) workload {
	return workload{
		name: fmt.Sprintf("commit %s x%d", sizeName(int64(len(data))), n),
		prep: func(ctx context.Context, t Target, r int) error {
			for i := range n {
				if err := t.Put(ctx, fmt.Sprintf("/cmsrc/r%d/%d/data", r, i), data); err != nil {
					return err
				}
			}
			return nil
		},
		run: func(ctx context.Context, t Target, r int) error {
			for i := range n {
				src, dst := fmt.Sprintf("/cmsrc/r%d/%d/data", r, i), fmt.Sprintf("/cmdst/r%d/%d/data", r, i)
				if ok, err := t.Exists(ctx, dst); err != nil || ok {
					return fmt.Errorf("exists(%s) = %v, %v before the commit", dst, ok, err)
				}
				if ok, err := t.Exists(ctx, src); err != nil || !ok {
					return fmt.Errorf("exists(%s) = %v, %v before the commit", src, ok, err)
				}
				if err := t.Move(ctx, src, dst); err != nil {
					return err
				}
			}
			return nil
		},
		cleanup: func(ctx context.Context, t Target, r int) error {
			return t.Delete(ctx, fmt.Sprintf("/cmdst/r%d", r)) // every upload was moved
		},
	}
}
