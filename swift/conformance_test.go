package swift_test

import (
	"os"
	"strings"
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
	// The upload cases with no prefix, in a container of their own: upload
	// state and segments sit at the top of the container, beside the paths.
	t.Run("EmptyRoot", func(t *testing.T) {
		h := harness(c, nil, true)
		h.Open = func(t conformance.TB, _ string) driver.StorageDriver {
			return c.open(t, "top", map[string]any{"chunksize": testChunk})
		}
		h.Select = conformance.UploadCases
		h.Inspector = containerInspector(c, "top").At("")
		conformance.Run(t, h)
	})
}

// TestConformanceNoTempURL runs the redirect cases on a cluster without
// the tempurl middleware: RedirectURL returns "" though a key is set. The
// rest of the suite does not depend on tempurl and runs on the others.
func TestConformanceNoTempURL(t *testing.T) {
	c := startCluster(t, emulator.SwiftOptions{NoTempURL: true})
	h := harness(c, map[string]any{"secretkey": "conformance-key"}, true)
	h.Select = func(name string) bool { return strings.HasPrefix(name, "RedirectURL/") }
	conformance.Run(t, h)
}

// TestConformanceDLO runs the suite on a cluster without slo and bulk
// middleware: large objects are DLO manifests, deletes go one by one. It
// runs the cases that meet large objects (uploads, streams, moves,
// deletes) on every run, and the whole suite (about two minutes more here)
// with STOWAGE_SWIFT_DLO=1.
func TestConformanceDLO(t *testing.T) {
	c := startCluster(t, emulator.SwiftOptions{NoSLO: true, NoBulk: true})
	h := harness(c, map[string]any{"secretkey": "conformance-key"}, false)
	if os.Getenv("STOWAGE_SWIFT_DLO") == "" {
		h.Select = func(name string) bool {
			return conformance.UploadCases(name) || strings.HasPrefix(name, "Stream/") ||
				strings.HasPrefix(name, "Move/") || strings.HasPrefix(name, "Delete/")
		}
	}
	conformance.Run(t, h)
}
