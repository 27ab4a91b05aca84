package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestFileCommands(t *testing.T) {
	dir := t.TempDir()
	src := writeFile(t, t.TempDir(), "blob", "layer bytes")
	steps := []struct {
		stdin string
		args  []string
		want  string
	}{
		{"", []string{"put", "/v2/blobs/a", src}, ""},
		{"from stdin", []string{"put", "/v2/blobs/b"}, ""},
		{"", []string{"cat", "/v2/blobs/a"}, "layer bytes"},
		{"", []string{"cat", "--offset", "6", "/v2/blobs/a"}, "bytes"},
		{"", []string{"cat", "/v2/blobs/b"}, "from stdin"},
		{"", []string{"stat", "/v2/blobs/a"}, "size: 11"},
		{"", []string{"mv", "/v2/blobs/a", "/v2/moved/a"}, ""},
		{"", []string{"ls", "-R", "/v2"}, "/v2/moved/a"},
		{"", []string{"ls", "/v2/moved/a"}, "/v2/moved/a"},
		{"", []string{"rm", "/v2/blobs"}, ""},
		{"", []string{"ls", "/v2"}, "/v2/moved/"},
	}
	for _, s := range steps {
		r := cli{stdin: s.stdin}.run(t, append([]string{"--data-dir", dir}, s.args...)...)
		if r.code != 0 || !strings.Contains(r.stdout, s.want) {
			t.Fatalf("stowage %v: want output containing %q; got %v", s.args, s.want, r)
		}
	}
	if r := stowage(t, "--data-dir", dir, "stat", "/v2/blobs/a"); r.code != 1 || !strings.Contains(r.stderr, "path not found") {
		t.Fatalf("stat of a removed path: %v", r)
	}
}

// TestLsColumns: every line has its type, size, time and path in columns
// that start at the same offset on every line.
func TestLsColumns(t *testing.T) {
	dir := t.TempDir()
	src := writeFile(t, t.TempDir(), "big", strings.Repeat("x", 123456))
	small := writeFile(t, t.TempDir(), "small", "6bytes")
	for _, p := range []string{"/c/hello2", "/c/a/x"} {
		ok(t, stowage(t, "--data-dir", dir, "put", p, small), "put ", p)
	}
	ok(t, stowage(t, "--data-dir", dir, "put", "/c/big", src), "put big")
	r := stowage(t, "--data-dir", dir, "ls", "/c")
	ok(t, r, "ls")
	lines := strings.Split(strings.TrimRight(r.stdout, "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("ls /c: want 3 lines:\n%s", r.stdout)
	}
	row := regexp.MustCompile(`^(dir|file) +(-|\d+) +(-|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ) +(/c/\S+)$`)
	pathAt := -1
	for _, l := range lines {
		if !row.MatchString(l) {
			t.Fatalf("ls line %q is not type, size, time, path in columns:\n%s", l, r.stdout)
		}
		at := strings.Index(l, "/c/")
		if pathAt >= 0 && at != pathAt {
			t.Fatalf("paths do not start in one column:\n%s", r.stdout)
		}
		pathAt = at
	}
	for _, want := range []string{"dir ", "/c/a/", "123456", "/c/big", "/c/hello2"} {
		if !strings.Contains(r.stdout, want) {
			t.Fatalf("ls /c lacks %q:\n%s", want, r.stdout)
		}
	}
	// An empty storage lists nothing, successfully.
	if r := stowage(t, "--data-dir", t.TempDir(), "ls"); r.code != 0 || r.stdout != "" {
		t.Fatalf("ls of an empty storage: %v", r)
	}
}

func TestCatDirectory(t *testing.T) {
	dir := t.TempDir()
	ok(t, stowage(t, "--data-dir", dir, "put", "/a/b", writeFile(t, t.TempDir(), "f", "x")), "put")
	r := stowage(t, "--data-dir", dir, "cat", "/a")
	if r.code != 1 || !strings.Contains(r.stderr, "cat /a: is a directory") || strings.Contains(r.stderr, "path not found") {
		t.Fatalf("cat of a directory: %v", r)
	}
}

// TestPutInterruptedLeavesNothing: a put whose input fails leaves no
// object and no upload behind.
func TestPutMissingFile(t *testing.T) {
	dir := t.TempDir()
	r := stowage(t, "--data-dir", dir, "put", "/a", filepath.Join(t.TempDir(), "missing"))
	if r.code != 2 || !strings.Contains(r.stderr, "no such file") {
		t.Fatalf("put of a missing file: %v", r)
	}
	if files := regularFiles(t, dir); len(files) > 0 {
		t.Fatalf("put of a missing file left %v", files)
	}
}

// regularFiles lists the regular files under dir.
func regularFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.Type().IsRegular() {
			out = append(out, p)
		}
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return out
}

// entries lists every file and directory under dir (dir itself left out).
func entries(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != dir {
			out = append(out, p)
		}
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return out
}
