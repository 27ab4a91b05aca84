package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestStorageURL checks --storage: a file:// URL opens the filesystem
// driver there, a secret in a URL is never printed, and --storage with
// --config is a usage error.
func TestStorageURL(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	u := "file://" + data
	src := writeFile(t, dir, "hello.txt", "hello")
	ok(t, stowage(t, "--storage", u, "put", "/a/hello", src), "put")
	r := stowage(t, "--storage", u, "cat", "/a/hello")
	ok(t, r, "cat")
	if r.stdout != "hello" {
		t.Fatalf("cat through --storage = %q", r.stdout)
	}
	r = stowage(t, "--storage", "s3://bucket?region=us-east-1&accesskey=AKIA&secretkey=TOPSECRETVALUE&chunksize=1", "config", "validate")
	if r.code != 2 || strings.Contains(r.stdout+r.stderr, "TOPSECRETVALUE") || !strings.Contains(r.stderr, "chunksize") {
		t.Fatalf("bad URL config: %v", r)
	}
	r = stowage(t, "--storage", u, "--config", src, "ls", "/")
	if r.code != 2 || !strings.Contains(r.stderr, "--storage") {
		t.Fatalf("--storage with --config: %v", r)
	}
}
