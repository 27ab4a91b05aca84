package main

import (
	"strings"
	"testing"

	"github.com/stowage/stowage/conformance/emulator"
)

// TestCheckCauses: stowage check on a bucket that does not exist, or with
// an access key MinIO does not know, says so once, in one line, with no
// DENIED preflight lines and no case run.
func TestCheckCauses(t *testing.T) {
	m := emulator.StartMinIO(t)
	bucket := m.MakeBucket(t, "check-causes")
	for _, tc := range []struct {
		name string
		sets []string
		says string
	}{
		{"NoBucket", minioSets(m, "no-such-bucket"), "bucket does not exist"},
		{"UnknownKey", minioSets(m, bucket, "registry.storage.s3.accesskey=NOSUCHKEYSTOWAGE"), "credentials rejected: unknown access key ID"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := stowage(t, append([]string{"check"}, tc.sets...)...)
			out := r.stdout + r.stderr
			lines := 0
			for _, l := range strings.Split(out, "\n") {
				if strings.Contains(l, tc.says) {
					lines++
				}
			}
			if r.code != 1 || lines != 1 || strings.Contains(out, "DENIED") || strings.Contains(out, "CASE") {
				t.Fatalf("want exit 1 and %q on one line, no DENIED line and no case run: %v", tc.says, r)
			}
			t.Logf("%s", strings.TrimSpace(r.stderr))
		})
	}
}
