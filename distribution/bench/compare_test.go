package bench

import (
	"context"
	"flag"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stowage/stowage/configmap"
)

var (
	flagSize        = flag.String("compare.size", "512MiB", "size of the writer and reader workloads (the others scale down with it below 64MiB)")
	flagRounds      = flag.Int("compare.rounds", 3, "rounds per workload and slot")
	flagLatency     = flag.String("compare.latency", "0,10ms", "comma-separated delays added each way to every request")
	flagProviders   = flag.String("compare.providers", "filesystem,s3,gcs,azure,swift,oss", "comma-separated providers")
	flagOnly        = flag.String("compare.only", "", "regexp: only the workloads whose name matches")
	flagOut         = flag.String("compare.out", "", "file to append the measurements to, as JSON lines (for cmd/perfplot)")
	flagVerbose     = flag.Bool("compare.v", false, "print every measurement as it is taken")
	flagS3Stream    = flag.Bool("compare.s3stream", false, "s3: add a slot for the SDK's transfer manager uploading from a stream (the raw-SDK counterpart of a writer)")
	flagAzureBuffer = flag.Bool("compare.azurebuffer", false, "azure: add a slot for azblob's UploadBuffer with its defaults (one Put Blob up to 256 MiB)")
	flagSlots       = flag.String("compare.slots", "", "comma-separated slots to run (stowage, stowage-again, reference, sdk); empty: all")
)

// BenchmarkCompare runs stowage's adapters beside distribution's own drivers
// (the reference: s3-aws, filesystem, gcs, azure) and the providers' SDKs
// used directly, in one process, on the same emulators, the slots taking
// turns round after round, and prints a table of ratios per provider and
// latency. With STOWAGE_BENCH_SCALE=1 it adds the registry-scale
// workloads (Walk and Delete of 100,000 objects, 64 concurrent uploads).
//
//	cd distribution && go test ./bench -run '^$' -bench Compare -benchtime 1x -timeout 3h \
//	    -compare.out /tmp/compare.jsonl
//
// See docs/performance.md.
func BenchmarkCompare(b *testing.B) {
	size, err := configmap.ParseSize(*flagSize)
	if err != nil || size < 64<<10 {
		b.Fatalf("-compare.size: %q: want a size of at least 64KiB", *flagSize)
	}
	var delays []time.Duration
	for _, s := range strings.Split(*flagLatency, ",") {
		s = strings.TrimSpace(s)
		if s == "0" {
			s = "0s"
		}
		d, err := time.ParseDuration(s)
		if err != nil {
			b.Fatalf("-compare.latency: %v", err)
		}
		delays = append(delays, d)
	}
	cfg := Config{Size: int64(size), WriteSize: 1 << 20, Rounds: *flagRounds}
	if *flagOnly != "" {
		cfg.Only = regexp.MustCompile(*flagOnly)
	}
	if v, _ := strconv.ParseBool(os.Getenv("STOWAGE_BENCH_SCALE")); v {
		cfg.Scale = true
	}
	if *flagVerbose {
		cfg.Log = os.Stderr
	}
	data := RandomData(DataSize(cfg))
	want := strings.Split(*flagProviders, ",")
	for _, p := range providers {
		if !slices.Contains(want, p.name) {
			continue
		}
		b.Run(p.name, func(b *testing.B) {
			if b.N > 1 {
				return // measured once, in rounds of its own (-benchtime 1x)
			}
			open := p.setup(b)
			for _, d := range delays {
				if d > 0 && !p.latency {
					continue
				}
				b.Run(d.String(), func(b *testing.B) {
					if b.N > 1 {
						return
					}
					compare(b, cfg, p.name, d, data, selectSlots(b, open(b, d)))
				})
			}
		})
	}
}

// selectSlots keeps the slots -compare.slots names (stowage always).
func selectSlots(b *testing.B, slots []Slot) []Slot {
	if *flagSlots == "" {
		return slots
	}
	want := strings.Split(*flagSlots, ",")
	var out []Slot
	for _, s := range slots {
		if s.Name == Stowage || slices.Contains(want, s.Name) {
			out = append(out, s)
		}
	}
	b.Logf("slots: %d of %d", len(out), len(slots))
	return out
}

func compare(b *testing.B, cfg Config, provider string, delay time.Duration, data []byte, slots []Slot) {
	results, err := Run(context.Background(), cfg, provider, delay.String(), data, slots)
	Report(os.Stdout, results)
	if *flagOut != "" && len(results) > 0 {
		f, ferr := os.OpenFile(*flagOut, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if ferr != nil {
			b.Fatal(ferr)
		}
		if werr := WriteJSON(f, results); werr != nil {
			b.Fatal(werr)
		}
		_ = f.Close()
	}
	if err != nil {
		b.Fatal(err)
	}
}

// TestCompareSmoke runs every workload once, tiny, on the filesystem
// (stowage, the A/A control and distribution's filesystem driver) and an
// SDK target of osstest, through a delaying proxy: the comparison keeps
// working without running the benchmark.
func TestCompareSmoke(t *testing.T) {
	cfg := Config{Size: 256 << 10, WriteSize: 64 << 10, Rounds: 1}
	data := RandomData(DataSize(cfg))
	for _, p := range []provider{providers[0], providers[5]} {
		t.Run(p.name, func(t *testing.T) {
			slots := p.setup(t)(t, time.Millisecond)
			results, err := Run(t.Context(), cfg, p.name, "1ms", data, slots)
			if err != nil {
				t.Fatal(err)
			}
			var sb strings.Builder
			Report(&sb, results)
			rows := Rows(results)
			if len(rows) != len(workloads(cfg, data)) {
				t.Fatalf("%d rows, want one per workload:\n%s", len(rows), sb.String())
			}
			for _, r := range rows {
				if _, ok := r.Ratio[Again]; !ok {
					t.Fatalf("%s: no A/A ratio:\n%s", r.Workload, sb.String())
				}
				for _, s := range slots {
					_, isAppender := s.Target.(Appender)
					if _, ok := r.Seconds[s.Name]; !ok && (isAppender || !strings.HasPrefix(r.Workload, "append")) {
						t.Fatalf("%s: nothing measured for %s:\n%s", r.Workload, s.Name, sb.String())
					}
				}
			}
		})
	}
}
