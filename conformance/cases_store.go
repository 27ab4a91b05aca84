package conformance

import (
	"fmt"
	"slices"
	"strings"

	"github.com/stowage/stowage/driver"
)

// Cases that look beneath the driver through Harness.Inspector.

func storeCases() []Case {
	return []Case{
		{Name: "Store/CancelLeavesNoUploadState", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			in := inspector(t, h)
			probeInspector(t, in, d, root)
			c := h.chunk()
			// A writer holding stored chunks, cancelled before any Close.
			session(t, d, "/a", false, 0, randomBytes(c+5), endCancel)
			expectKeys(t, in, root, nil, "after Cancel of a writer never closed")
			expectNoUploads(t, in, root, "/a", "after Cancel of a writer never closed")
			// A closed upload, resumed, then cancelled.
			size := session(t, d, "/b", false, 0, randomBytes(c+5), endClose)
			session(t, d, "/b", true, size, randomBytes(10), endCancel)
			expectKeys(t, in, root, nil, "after Cancel of a resumed upload")
			expectNoUploads(t, in, root, "/b", "after Cancel of a resumed upload")
			// An append to a committed object, cancelled: the object stays
			// as it was, key for key.
			old := randomBytes(c + 3)
			session(t, d, "/o", false, 0, old, endCommit)
			before := in.Keys(t, root)
			session(t, d, "/o", true, int64(len(old)), randomBytes(c), endCancel)
			expectKeys(t, in, root, before, "after Cancel of an append to a committed object")
			expectNoUploads(t, in, root, "/o", "after Cancel of an append to a committed object")
			expectContent(t, d, "/o", old)
		}},
		{Name: "Store/CommitLeavesNoUploadState", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			in := inspector(t, h)
			probeInspector(t, in, d, root)
			c := h.chunk()
			a, b := randomBytes(c+5), randomBytes(c/2)
			size := session(t, d, "/a", false, 0, a, endClose)
			session(t, d, "/a", true, size, b, endCommit)
			expectNoUploads(t, in, root, "/a", "after Commit of a resumed upload")
			session(t, d, "/z", false, 0, nil, endCommit)
			o := randomBytes(c + 1)
			size = session(t, d, "/o", false, 0, o, endCommit)
			tail := randomBytes(18)
			size = session(t, d, "/o", true, size, tail[:9], endClose)
			session(t, d, "/o", true, size, tail[9:], endCommit)
			expectNoUploads(t, in, root, "/o", "after Commit of an append to a committed object")
			expectContent(t, d, "/a", append(a, b...))
			expectContent(t, d, "/z", []byte{})
			expectContent(t, d, "/o", append(o, tail...))
			for _, p := range []string{"/a", "/z", "/o"} {
				if err := d.Delete(t.Context(), p); err != nil {
					t.Fatalf("Delete(%s): %v", p, err)
				}
			}
			expectKeys(t, in, root, nil, "after Commit, then Delete of every committed object (what is left is upload state Commit kept)")
		}},
		{Name: "Store/NewUploadDiscardsClosedOne", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			// A registry that restarts an upload at the same path (or a
			// client that gives up and starts over) must not leave the old
			// upload's parts stored and billed.
			in := inspector(t, h)
			probeInspector(t, in, d, root)
			c := h.chunk()
			session(t, d, "/n", false, 0, randomBytes(c+5), endClose)
			fresh := randomBytes(c/2 + 9)
			size := session(t, d, "/n", false, 0, fresh, endClose)
			session(t, d, "/n", true, size, nil, endCommit)
			expectContent(t, d, "/n", fresh)
			expectNoUploads(t, in, root, "/n", "after a new upload replaced a closed one and was committed (the replaced upload was never aborted)")
			if err := d.Delete(t.Context(), "/n"); err != nil {
				t.Fatalf("Delete(/n): %v", err)
			}
			expectKeys(t, in, root, nil, "after a new upload replaced a closed one and was committed and deleted (what is left is the replaced upload's state)")
			// The same, the new upload cancelled: neither is left.
			session(t, d, "/m", false, 0, randomBytes(c+5), endClose)
			session(t, d, "/m", false, 0, randomBytes(c/2), endCancel)
			expectNoUploads(t, in, root, "/m", "after a new upload replaced a closed one and was cancelled")
			expectKeys(t, in, root, nil, "after a new upload replaced a closed one and was cancelled")
		}},
		{Name: "Store/UniformPartsAcrossResume", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			in := partsInspector(t, h)
			c := h.chunk()
			var want []byte
			for i, n := range []int64{c / 3, c, 2*c + 7, c/2 + 1} {
				p := randomBytes(n)
				session(t, d, "/u", i > 0, int64(len(want)), p, endClose)
				want = append(want, p...)
				expectUniformParts(t, in, root, "/u", c, int64(len(want)), fmt.Sprintf("after Close %d (writes of %d bytes)", i+1, n))
			}
			last := randomBytes(5)
			session(t, d, "/u", true, int64(len(want)), last, endCommit)
			expectContent(t, d, "/u", append(want, last...))
			expectNoUploads(t, in, root, "/u", "after Commit")
		}},
		{Name: "Store/UniformPartsAppendToCommitted", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			in := partsInspector(t, h)
			c := h.chunk()
			want := randomBytes(5 * c / 2)
			session(t, d, "/o", false, 0, want, endCommit)
			for i, n := range []int64{c/2 + 3, c + 1} {
				p := randomBytes(n)
				session(t, d, "/o", true, int64(len(want)), p, endClose)
				want = append(want, p...)
				expectUniformParts(t, in, root, "/o", c, int64(len(want)), fmt.Sprintf("after appending %d bytes to a committed object of %d and Close %d", n, 5*c/2, i+1))
			}
			last := randomBytes(7)
			session(t, d, "/o", true, int64(len(want)), last, endCommit)
			expectContent(t, d, "/o", append(want, last...))
		}},
	}
}

func inspector(t TB, h Harness) *Inspector {
	t.Helper()
	if h.Inspector == nil || h.Inspector.Keys == nil {
		t.Skipf("not applicable: the harness sets no Inspector, so the suite cannot look beneath the driver at what the store holds")
	}
	return h.Inspector
}

func partsInspector(t TB, h Harness) *Inspector {
	t.Helper()
	in := inspector(t, h)
	if in.PartSizes == nil {
		t.Skipf("not applicable: the store has no S3-style multipart uploads (Inspector.PartSizes is nil)")
	}
	return in
}

// probeInspector proves that the inspector sees the store beneath d: a
// PutContent adds one key ending in the path's name, its Delete removes it.
// A case that finds nothing left behind proves nothing without it.
func probeInspector(t TB, in *Inspector, d driver.StorageDriver, root string) {
	t.Helper()
	before := in.Keys(t, root)
	mustPut(t, d, "/inspector-probe", []byte("probe"))
	added := without(in.Keys(t, root), before)
	if len(added) != 1 || !strings.HasSuffix(added[0], "inspector-probe") {
		t.Fatalf("Inspector.Keys does not show the store beneath this driver: PutContent(/inspector-probe) added %q to %q, want one key ending in inspector-probe", added, before)
	}
	if err := d.Delete(t.Context(), "/inspector-probe"); err != nil {
		t.Fatalf("Delete(/inspector-probe): %v", err)
	}
	expectKeys(t, in, root, before, "after Delete(/inspector-probe)")
}

// expectKeys fails unless the store holds exactly want under root.
func expectKeys(t TB, in *Inspector, root string, want []string, when string) {
	t.Helper()
	got := in.Keys(t, root)
	if !slices.Equal(got, want) {
		t.Fatalf("%s: the store holds %q that should not be there, and lacks %q (upload state left behind is stored, and billed, for ever)",
			when, without(got, want), without(want, got))
	}
}

// expectNoUploads fails when a multipart upload is still in progress for
// path.
func expectNoUploads(t TB, in *Inspector, root, path, when string) {
	t.Helper()
	if in.PartSizes == nil {
		return
	}
	if ups := in.PartSizes(t, root, path); len(ups) > 0 {
		t.Fatalf("%s: %d multipart upload(s) still in progress for %s, with parts of %v bytes (stored, and billed, until aborted)", when, len(ups), path, ups)
	}
}

// expectUniformParts checks the multipart upload in progress for path,
// after a Close with total bytes written: every part but the last stored
// one is exactly chunk bytes, and the last one at most chunk. That is what
// a resumed writer continues from; S3-compatible stores such as Cloudflare
// R2 refuse to complete an upload whose non-trailing parts differ in size
// ("InvalidPart: All non-trailing parts must have the same length"), so a
// part of any other size, once more parts follow it, fails the push.
func expectUniformParts(t TB, in *Inspector, root, path string, chunk, total int64, when string) {
	t.Helper()
	ups := in.PartSizes(t, root, path)
	if len(ups) > 1 {
		t.Fatalf("%s: %d multipart uploads in progress for %s (parts %v), want one: a resumed writer continues the one upload", when, len(ups), path, ups)
	}
	if total >= chunk && (len(ups) == 0 || len(ups[0]) == 0) {
		t.Fatalf("%s: no stored part in any multipart upload for %s, though %d bytes (at least one chunk of %d) were written and closed; if the driver keeps whole chunks outside multipart uploads, its harness should leave Inspector.PartSizes nil", when, path, total, chunk)
	}
	for _, parts := range ups {
		if s := sum(parts); s > total {
			t.Fatalf("%s: the parts %v of the upload for %s hold %d bytes, more than the %d written", when, parts, path, s, total)
		}
		for i, n := range parts {
			if n != chunk && (i < len(parts)-1 || n > chunk) {
				t.Fatalf("%s: part %d of %d of the upload for %s is %d bytes, want %d (the chunk size; parts %v): S3-compatible stores such as Cloudflare R2 refuse to complete a multipart upload whose non-trailing parts differ in size (InvalidPart: All non-trailing parts must have the same length)",
					when, i+1, len(parts), path, n, chunk, parts)
			}
		}
	}
}

func sum(sizes []int64) int64 {
	var n int64
	for _, s := range sizes {
		n += s
	}
	return n
}

// without returns the elements of a not in b.
func without(a, b []string) []string {
	var out []string
	for _, s := range a {
		if !slices.Contains(b, s) {
			out = append(out, s)
		}
	}
	return out
}
