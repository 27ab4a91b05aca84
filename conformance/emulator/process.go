// Package emulator starts the servers the conformance suite runs against
// (MinIO, fake-gcs-server, Azurite, OpenStack Swift) as local processes on
// 127.0.0.1, waits until they serve, and stops them when the test ends.
//
// Binaries are looked up in $STOWAGE_TOOLS/bin (default
// $HOME/.cache/stowage/bin, where scripts/install-test-deps.sh puts them)
// and then on PATH. When one is missing the test is skipped, except in CI
// (CI or STOWAGE_REQUIRE_EMULATORS set to true), where it fails: a missing
// emulator must never pass as a skipped suite.
package emulator

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"
)

// ToolsDir returns the directory the install script puts tools in.
func ToolsDir() string {
	if d := os.Getenv("STOWAGE_TOOLS"); d != "" {
		return d
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return filepath.Join(os.TempDir(), "stowage-tools")
	}
	return filepath.Join(home, ".cache", "stowage")
}

// Required reports whether a missing emulator is a failure (in CI) rather
// than a skip.
func Required() bool {
	for _, k := range []string{"CI", "STOWAGE_REQUIRE_EMULATORS"} {
		if v, _ := strconv.ParseBool(os.Getenv(k)); v {
			return true
		}
	}
	return false
}

// Missing skips the test, or fails it when emulators are required.
func Missing(t testing.TB, what string) {
	t.Helper()
	msg := fmt.Sprintf("%s is not installed: run scripts/install-test-deps.sh", what)
	if Required() {
		t.Fatalf("%s (CI requires every emulator)", msg)
	}
	t.Skip(msg)
}

// FindBinary looks for name in ToolsDir()/bin, then extra directories, then
// on PATH. It returns "" when not found.
func FindBinary(name string, extraDirs ...string) string {
	dirs := append([]string{filepath.Join(ToolsDir(), "bin")}, extraDirs...)
	for _, d := range dirs {
		p := filepath.Join(d, name)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			return p
		}
	}
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	return ""
}

// FreePort returns a TCP port free on 127.0.0.1 at the time of the call.
func FreePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// Process is a running server.
type Process struct {
	Name string
	cmd  *exec.Cmd
	out  *syncBuffer
	done chan struct{}
	err  error
}

// Output returns what the process printed so far.
func (p *Process) Output() string { return p.out.String() }

// Exited reports whether the process has ended.
func (p *Process) Exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// Start runs the command in its own process group and stops it (SIGTERM,
// then SIGKILL after 10 s) when the test ends.
func Start(t testing.TB, name string, cmd *exec.Cmd) *Process {
	t.Helper()
	p := &Process{Name: name, cmd: cmd, out: &syncBuffer{}, done: make(chan struct{})}
	cmd.Stdout = p.out
	cmd.Stderr = p.out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() { p.Stop() })
	return p
}

// Stop ends the process group and waits for it.
func (p *Process) Stop() {
	if p.Exited() {
		return
	}
	_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
		<-p.done
	}
}

// WaitHTTP polls url until ready returns true for a response, the process
// exits, or the timeout passes; the test fails with the process output in
// the last two cases. A nil ready accepts any response.
func (p *Process) WaitHTTP(t testing.TB, url string, timeout time.Duration, ready func(*http.Response) bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	client := &http.Client{Timeout: 2 * time.Second}
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		resp, err := client.Do(req)
		if err == nil {
			ok := ready == nil || ready(resp)
			resp.Body.Close()
			if ok {
				return
			}
		}
		if p.Exited() {
			t.Fatalf("%s exited before serving (%v):\n%s", p.Name, p.err, p.Output())
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%s did not serve %s within %s:\n%s", p.Name, url, timeout, p.Output())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.b.Len() > 1<<20 {
		s.b.Reset()
		s.b.WriteString("[earlier output dropped]\n")
	}
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
