package swift_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stowage/stowage/conformance"
	"github.com/stowage/stowage/conformance/emulator"
	"github.com/stowage/stowage/conformance/faultproxy/faulttest"
	"github.com/stowage/stowage/swift"
)

// TestCrash kills (SIGKILL) a process writing through the driver, before
// and after a Close, and resumes the upload from this one: committed
// bit-exact, or cancelled with nothing left in any container (markers and
// segments included).
func TestCrash(t *testing.T) {
	faulttest.CrashChild(t)
	c := startCluster(t, emulator.SwiftOptions{})
	in := inspector(c)
	faulttest.Crash(t, faulttest.CrashHarness{
		Driver: swift.Name,
		Params: func(root string) map[string]any {
			return c.params("crash", map[string]any{"prefix": root, "chunksize": testChunk})
		},
		ChunkSize: testChunk,
		Part: func(r *http.Request) bool {
			return r.Method == http.MethodPut && strings.Contains(r.URL.Path, "/~segments/")
		},
		Leftovers: func(t testing.TB, root, _ string) []string { return in.Keys(t.(conformance.TB), root) },
	})
}
