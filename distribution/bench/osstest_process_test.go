package bench

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/stowage/stowage/oss/osstest"
)

// serveOSSTestEnv, set in the environment of this test binary, makes it
// serve osstest instead of running tests (see startOSSTest).
const serveOSSTestEnv = "STOWAGE_BENCH_SERVE_OSSTEST"

// TestMain lets the test binary double as the OSS server of the
// comparison.
func TestMain(m *testing.M) {
	if os.Getenv(serveOSSTestEnv) != "" {
		serveOSSTest()
		return
	}
	os.Exit(m.Run())
}

// serveOSSTest serves osstest with a bucket "bench" on 127.0.0.1, prints
// its URL and serves until its standard input closes (the parent closes
// it, or exits).
func serveOSSTest() {
	srv := osstest.NewServer(osstest.Options{Buckets: []string{"bench"}})
	fmt.Println(srv.URL)
	_, _ = io.Copy(io.Discard, os.Stdin)
	srv.Close()
}

// startOSSTest starts osstest in a process of its own, the way every
// other provider's emulator runs, and returns its URL. In the benchmark's
// own process the server's CPU and garbage collection (of a heap holding
// every byte it stores) would be charged to whichever slot runs beside
// it, and the heap figures would count what the server stores.
func startOSSTest(tb testing.TB) string {
	tb.Helper()
	exe, err := os.Executable()
	if err != nil {
		tb.Fatalf("osstest: finding the test binary: %v", err)
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), serveOSSTestEnv+"=1")
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		tb.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatalf("osstest: starting %s: %v", exe, err)
	}
	tb.Cleanup(func() {
		_ = stdin.Close()
		_ = cmd.Wait()
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		tb.Fatalf("osstest: reading its URL: %v", err)
	}
	url := strings.TrimSpace(line)
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		tb.Fatalf("osstest: printed %q, want its URL", url)
	}
	return url
}
