package main

import (
	"strings"
	"testing"
)

func TestCheckOnDefaultFilesystem(t *testing.T) {
	data := t.TempDir()
	r := cli{env: []string{"STOWAGE_DATA=" + data}}.run(t, "check", "--large", "8MiB")
	ok(t, r, "check")
	if !strings.Contains(r.stdout, "Writer/ResumeFromSecondInstance") || !strings.Contains(r.stdout, " 0 failed") {
		t.Fatalf("check output: %v", r)
	}
	// The cases' prefixes are gone, upload folders included.
	if left := entries(t, data); len(left) > 0 {
		t.Fatalf("check left %v under the data directory", left)
	}
}

func TestCheckOnInMemory(t *testing.T) {
	r := stowage(t, "--set", "registry.storage.backend=inmemory", "check", "--large", "1MiB")
	ok(t, r, "check inmemory")
	if !strings.Contains(r.stdout, `checking storage "inmemory"`) || !strings.Contains(r.stdout, " 0 failed") {
		t.Fatalf("check output: %v", r)
	}
}
