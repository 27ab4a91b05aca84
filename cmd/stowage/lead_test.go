package main

import (
	"strings"
	"testing"
)

// Behaviours of issue 12 that live in the adapters, seen through the
// command.

// TestPurgeOnEmbeddedDrivers: purge works on the default storage and on
// inmemory (both implement driver.UploadPurger).
func TestPurgeOnEmbeddedDrivers(t *testing.T) {
	for name, args := range map[string][]string{
		"filesystem": {"--data-dir", t.TempDir()},
		"inmemory":   {"--set", "registry.storage.backend=inmemory"},
	} {
		r := stowage(t, append(args, "purge", "--older-than", "1h")...)
		if r.code != 0 || !strings.Contains(r.stdout, "purged 0 upload(s) older than 1h0m0s") {
			t.Fatalf("purge on %s: %v", name, r)
		}
	}
}

// TestMoveLeavesNoEmptyDirectory: on the filesystem, a directory emptied
// by a move is gone from ls, as on an object store.
func TestMoveLeavesNoEmptyDirectory(t *testing.T) {
	dir := t.TempDir()
	ok(t, stowage(t, "--data-dir", dir, "put", "/a/b/c", writeFile(t, t.TempDir(), "f", "x")), "put")
	ok(t, stowage(t, "--data-dir", dir, "mv", "/a/b/c", "/x/c"), "mv")
	r := stowage(t, "--data-dir", dir, "ls", "-R", "/")
	ok(t, r, "ls -R")
	if strings.Contains(r.stdout, "/a/") || !strings.Contains(r.stdout, "/x/c") {
		t.Fatalf("ls -R after moving /a/b/c away:\n%s", r.stdout)
	}
}
