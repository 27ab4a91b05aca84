package swift_test

import (
	"os"
	"testing"

	"github.com/stowage/stowage/conformance"
	"github.com/stowage/stowage/conformance/emulator"
	"github.com/stowage/stowage/driver"
)

const testChunk = 1 << 20

func harness(c cluster, extra map[string]any, noRedirect bool) conformance.Harness {
	params := map[string]any{"chunksize": testChunk}
	for k, v := range extra {
		params[k] = v
	}
	return conformance.Harness{
		Open: func(t conformance.TB, root string) driver.StorageDriver {
			p := map[string]any{"prefix": root}
			for k, v := range params {
				p[k] = v
			}
			return c.open(t, "conformance", p)
		},
		ChunkSize:  testChunk,
		LargeSize:  largeSize(),
		NoRedirect: noRedirect,
		Inspector:  inspector(c),
	}
}

// largeSize is 16 MiB unless STOWAGE_CONFORMANCE_LARGE sets it.
func largeSize() int64 {
	if os.Getenv("STOWAGE_CONFORMANCE_LARGE") != "" {
		return 0
	}
	return 16 << 20
}

// TestConformance runs the suite on a cluster with tempurl, slo, dlo and
// bulk delete, with 1 MiB segments so large objects are exercised.
func TestConformance(t *testing.T) {
	c := startCluster(t, emulator.SwiftOptions{})
	conformance.Run(t, harness(c, map[string]any{"secretkey": "conformance-key"}, false))
}

// TestConformanceNoTempURL runs the suite on a cluster without the tempurl
// middleware: RedirectURL returns "" though a key is set.
func TestConformanceNoTempURL(t *testing.T) {
	c := startCluster(t, emulator.SwiftOptions{NoTempURL: true})
	conformance.Run(t, harness(c, map[string]any{"secretkey": "conformance-key"}, true))
}

// TestConformanceDLO runs the suite on a cluster without slo and bulk
// middleware: large objects are DLO manifests, deletes go one by one.
//
// It repeats the whole suite (about two minutes here), so it runs only with
// STOWAGE_SWIFT_DLO=1; TestSwiftDLO covers the DLO paths on every run.
func TestConformanceDLO(t *testing.T) {
	if os.Getenv("STOWAGE_SWIFT_DLO") == "" {
		t.Skip("set STOWAGE_SWIFT_DLO=1 to run the suite on a cluster without slo and bulk")
	}
	c := startCluster(t, emulator.SwiftOptions{NoSLO: true, NoBulk: true})
	conformance.Run(t, harness(c, map[string]any{"secretkey": "conformance-key"}, false))
}
