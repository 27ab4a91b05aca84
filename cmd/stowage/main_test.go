package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// binary is the stowage command built for the tests: every CLI test runs
// it as a user would.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "stowage-cli-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "stowage")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building stowage:", err)
		os.Exit(1)
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// result is what one run of the binary printed and its exit code.
type result struct {
	stdout, stderr string
	code           int
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\n--- stdout:\n%s--- stderr:\n%s", r.code, r.stdout, r.stderr)
}

// cli describes a run: standard input, extra environment, directory.
type cli struct {
	stdin string
	env   []string
	dir   string
}

// testEnv is the environment of every run: this one without variables
// that would change the configuration.
func testEnv(extra []string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "REGISTRY_STORAGE") && !strings.HasPrefix(kv, "STOWAGE_DATA") {
			env = append(env, kv)
		}
	}
	return append(env, extra...)
}

func (c cli) command(args ...string) *exec.Cmd {
	cmd := exec.Command(binary, args...)
	cmd.Env = testEnv(c.env)
	cmd.Dir = c.dir
	cmd.Stdin = strings.NewReader(c.stdin)
	return cmd
}

func (c cli) run(t *testing.T, args ...string) result {
	t.Helper()
	cmd := c.command(args...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errOut.String()}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	default:
		t.Fatalf("stowage %v: %v", args, err)
	}
	return r
}

// stowage runs the binary with args and no standard input.
func stowage(t *testing.T, args ...string) result {
	t.Helper()
	return cli{}.run(t, args...)
}

// ok fails the test unless r exited 0.
func ok(t *testing.T, r result, args ...any) {
	t.Helper()
	if r.code != 0 {
		t.Fatalf("%v: %v", fmt.Sprint(args...), r)
	}
}

// writeFile writes body to name in dir and returns its path.
func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
