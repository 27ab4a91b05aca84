package azure_test

import (
	"net/http"
	"testing"

	"github.com/stowage/stowage/azure"
	"github.com/stowage/stowage/conformance"
	"github.com/stowage/stowage/conformance/emulator"
	"github.com/stowage/stowage/conformance/faultproxy/faulttest"
)

// TestCrash kills (SIGKILL) a process writing through the driver, before
// and after a Close, and resumes the upload from this one: committed
// bit-exact, or cancelled with nothing left in the container, blobs with
// uncommitted blocks included.
func TestCrash(t *testing.T) {
	faulttest.CrashChild(t)
	srv, client := startServer(t, emulator.AzuriteOptions{})
	in := inspector(client)
	faulttest.Crash(t, faulttest.CrashHarness{
		Driver:    azure.Name,
		Params:    func(root string) map[string]any { return params(srv, root, nil) },
		ChunkSize: 4 << 20,
		Part: func(r *http.Request) bool {
			return r.Method == http.MethodPut && r.URL.Query().Get("comp") == "block"
		},
		Leftovers: func(t testing.TB, root, _ string) []string { return in.Keys(t.(conformance.TB), root) },
	})
}
