package main

import (
	"os/exec"
	"strings"
	"testing"
)

func TestExitCodes(t *testing.T) {
	data := t.TempDir()
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"ok", []string{"--data-dir", data, "ls", "/"}, 0, ""},
		{"help", []string{"--help"}, 0, "Exit codes"},
		{"no command", nil, 0, "Available Commands"},
		{"unknown command", []string{"bogus"}, 2, `unknown command "bogus" for "stowage"`},
		{"misspelt command", []string{"chek"}, 2, "did you mean check?"},
		{"unknown subcommand", []string{"config", "bogus"}, 2, `unknown command "bogus" for "stowage config"`},
		{"unknown flag", []string{"ls", "--bogus"}, 2, "unknown flag: --bogus"},
		{"too few arguments", []string{"--data-dir", data, "stat"}, 2, "accepts 1 arg(s), received 0"},
		{"too many arguments", []string{"--data-dir", data, "mv", "/a", "/b", "/c"}, 2, "usage: stowage mv SOURCE DEST"},
		{"arguments to a command without any", []string{"--data-dir", data, "check", "extra"}, 2, `unknown command "extra" for "stowage check"`},
		{"invalid path", []string{"--data-dir", data, "stat", "relative"}, 2, "must start with /"},
		{"dot segment", []string{"--data-dir", data, "cat", "/a/../b"}, 2, "invalid path"},
		{"bad size flag", []string{"--data-dir", data, "bench", "--size", "lots"}, 2, "--size"},
		{"bad log level", []string{"--data-dir", data, "--log-level", "loud", "ls"}, 2, "expected debug, info, warn or error"},
		{"bad progress", []string{"--data-dir", data, "--progress", "sometimes", "ls"}, 2, "expected auto, always or never"},
		{"missing config file", []string{"--config", "/nonexistent/config.yml", "ls"}, 2, "no such file"},
		{"not found", []string{"--data-dir", data, "stat", "/nothing/here"}, 1, "path not found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := stowage(t, tc.args...)
			if r.code != tc.code || !strings.Contains(r.stdout+r.stderr, tc.want) {
				t.Fatalf("stowage %v: want exit %d and %q in the output; got %v", tc.args, tc.code, tc.want, r)
			}
		})
	}
}

func TestVersion(t *testing.T) {
	r := stowage(t, "--version")
	ok(t, r, "--version")
	// The version is the module's, as the go command stamped it in the
	// binary (a pseudo-version of the commit, or "(devel)": devel).
	out, err := exec.Command("go", "version", "-m", binary).Output()
	if err != nil {
		t.Fatal(err)
	}
	want := "devel"
	for _, line := range strings.Split(string(out), "\n") {
		if f := strings.Fields(line); len(f) >= 3 && f[0] == "mod" && f[1] == "github.com/stowage/stowage" && f[2] != "(devel)" {
			want = f[2]
		}
	}
	if !strings.HasPrefix(r.stdout, "stowage "+want+" (go") {
		t.Fatalf("--version = %q, want stowage %s (go...)", r.stdout, want)
	}
}
