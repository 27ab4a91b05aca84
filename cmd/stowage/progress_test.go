package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// bigFile writes a file of n bytes and returns its path.
func bigFile(t *testing.T, n int) string {
	t.Helper()
	return writeFile(t, t.TempDir(), "big", strings.Repeat("z", n))
}

// TestNoProgressIntoPipes: standard error is a pipe here, so no command
// draws a bar into it unless asked.
func TestNoProgressIntoPipes(t *testing.T) {
	data := t.TempDir()
	big := bigFile(t, 16<<20)
	for _, args := range [][]string{
		{"bench", "--count", "2", "--size", "16MiB"},
		{"put", "/big", big},
		{"cat", "/big"},
	} {
		r := stowage(t, append([]string{"--data-dir", data}, args...)...)
		ok(t, r, args)
		if strings.Contains(r.stderr, "\r") || strings.Contains(r.stderr, "%") {
			t.Fatalf("%v drew progress into a pipe: %q", args, r.stderr)
		}
	}
}

// rate matches the throughput a frame shows, such as "(654 MiB/s)".
var rate = regexp.MustCompile(`\(([0-9.]+) ([KMGTP]?i?B)/s\)`)

// TestProgressRates: with --progress always the bar is drawn, and no rate
// it shows (the first one included) is beyond what memory can move.
func TestProgressRates(t *testing.T) {
	r := stowage(t, "--data-dir", t.TempDir(), "--progress", "always", "bench", "--count", "4", "--size", "16MiB")
	ok(t, r, "bench")
	frames := rate.FindAllStringSubmatch(r.stderr, -1)
	if len(frames) == 0 || !strings.Contains(r.stderr, "write") || !strings.Contains(r.stderr, "read") {
		t.Fatalf("no progress frames with rates: %q", r.stderr)
	}
	units := map[string]float64{"B": 1, "KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30, "TiB": 1 << 40, "PiB": 1 << 50}
	for _, f := range frames {
		v, _ := strconv.ParseFloat(f[1], 64)
		if bps := v * units[f[2]]; bps > 100*(1<<30) {
			t.Fatalf("a frame shows %s %s/s, beyond any storage:\n%q", f[1], f[2], r.stderr)
		}
	}
}

// TestProgressOnTerminal runs put and cat of a large file under a
// pseudo-terminal (script(1)): the bar is drawn there, for put, and for
// cat when its output goes to a file; not for small files.
func TestProgressOnTerminal(t *testing.T) {
	scriptBin, err := exec.LookPath("script")
	if err != nil {
		t.Skip("script(1) (util-linux) is not installed")
	}
	data := t.TempDir()
	big := bigFile(t, 32<<20)
	small := writeFile(t, t.TempDir(), "small", "small")
	copyTo := filepath.Join(t.TempDir(), "copy")
	onTerminal := func(shell string) string {
		t.Helper()
		cmd := exec.Command(scriptBin, "-q", "-e", "-c", shell, "/dev/null")
		cmd.Env = testEnv(nil)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", shell, err, out)
		}
		return string(out)
	}
	q := func(s string) string { return "'" + s + "'" }
	base := q(binary) + " --data-dir " + q(data)
	if out := onTerminal(base + " put /big " + q(big)); !strings.Contains(out, "put") || !rate.MatchString(out) {
		t.Fatalf("put of 32 MiB on a terminal shows no progress: %q", out)
	}
	if out := onTerminal(base + " cat /big > " + q(copyTo)); !strings.Contains(out, "cat") || !rate.MatchString(out) {
		t.Fatalf("cat of 32 MiB into a file, on a terminal, shows no progress: %q", out)
	}
	if b, err := os.ReadFile(copyTo); err != nil || len(b) != 32<<20 {
		t.Fatalf("cat copied %d bytes, %v", len(b), err)
	}
	if out := onTerminal(base + " put /small " + q(small)); rate.MatchString(out) {
		t.Fatalf("put of a small file shows progress: %q", out)
	}
}
