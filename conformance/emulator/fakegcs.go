package emulator

import (
	"fmt"
	"net/http"
	"os/exec"
	"testing"
	"time"
)

// FakeGCS is a running fake-gcs-server (github.com/fsouza/fake-gcs-server)
// serving plain HTTP from memory.
type FakeGCS struct {
	*Process
	// Endpoint is the JSON API endpoint to give the storage client, such
	// as http://127.0.0.1:PORT/storage/v1/.
	Endpoint string
	// Host is 127.0.0.1:PORT.
	Host string
}

// StartFakeGCS starts fake-gcs-server on a free port of 127.0.0.1 with the
// memory backend, waits until it serves, and stops it when the test ends.
// It skips the test (fails it in CI) when the binary is not installed.
func StartFakeGCS(t testing.TB) *FakeGCS {
	t.Helper()
	bin := FindBinary("fake-gcs-server")
	if bin == "" {
		Missing(t, "fake-gcs-server")
	}
	port := FreePort(t)
	host := fmt.Sprintf("127.0.0.1:%d", port)
	cmd := exec.Command(bin,
		"-scheme", "http",
		"-backend", "memory",
		"-host", "127.0.0.1",
		"-port", fmt.Sprint(port),
		"-public-host", host,
		"-external-url", "http://"+host,
		"-log-level", "error",
	)
	p := Start(t, "fake-gcs-server", cmd)
	f := &FakeGCS{Process: p, Endpoint: "http://" + host + "/storage/v1/", Host: host}
	p.WaitHTTP(t, "http://"+host+"/storage/v1/b", 60*time.Second, func(r *http.Response) bool {
		return r.StatusCode == http.StatusOK
	})
	return f
}
