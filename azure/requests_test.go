package azure_test

import (
	"bytes"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/stowage/stowage/azure"
	"github.com/stowage/stowage/conformance/emulator"
	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/internal/reqlog"
)

// requestName names a request "METHOD comp" (COPY for a Copy Blob).
func requestName(r *http.Request) string {
	if r.Header.Get("x-ms-copy-source") != "" {
		return "COPY"
	}
	return r.Method + " " + r.URL.Query().Get("comp")
}

// openLogged opens the driver on a new Azurite, under root, with the
// requests it sends recorded.
func openLogged(t *testing.T, root string) (driver.StorageDriver, *reqlog.Log) {
	t.Helper()
	srv, _ := startServer(t, emulator.AzuriteOptions{})
	log := &reqlog.Log{Name: requestName}
	d, err := driver.Open(t.Context(), azure.Name, params(srv, root, nil), driver.WithHTTPClient(&http.Client{Transport: log}))
	if err != nil {
		t.Fatal(err)
	}
	return d, log
}

// writeMiB writes b to w in writes of 1 MiB, as a registry streams a body.
func writeMiB(t *testing.T, w driver.FileWriter, b []byte) {
	t.Helper()
	for ; len(b) > 0; b = b[min(len(b), 1<<20):] {
		if _, err := w.Write(b[:min(len(b), 1<<20)]); err != nil {
			t.Fatal(err)
		}
	}
}

// TestUploadRequests checks what a new upload costs: one of a block or
// less is one Put Blob (beside the removal of a hidden upload blob an
// older upload may have left), whether it ends at the block's edge or
// not; a longer one stages blocks.
func TestUploadRequests(t *testing.T) {
	d, log := openLogged(t, "requests")
	for _, size := range []int{1 << 10, 4 << 20} {
		w, err := d.Writer(t.Context(), "/blob", false)
		if err != nil {
			t.Fatal(err)
		}
		writeMiB(t, w, bytes.Repeat([]byte{'x'}, size))
		log.TakeSorted()
		if err := w.Commit(t.Context()); err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(log.TakeSorted(), ", "); got != "DELETE , PUT " {
			t.Errorf("new upload of %d bytes: requests %q, want one Put Blob and one Delete", size, got)
		}
	}
}

// TestUploadRequestsStaged checks what an upload of several blocks costs:
// its blocks are staged on the blob at its path and committed there, with
// no copy of a hidden blob; a registry's chunked upload (a new writer
// closed, resumed and committed) stores its state at Close, reads it back
// at the resume, and deletes it after the commit. The path shows nothing
// until Commit.
func TestUploadRequestsStaged(t *testing.T) {
	d, log := openLogged(t, "staged")
	ctx := t.Context()
	data := bytes.Repeat([]byte("0123456789abcdef"), (9<<20)/16)
	expect := func(when, want string) {
		t.Helper()
		if got := strings.Join(log.TakeSorted(), ", "); got != want {
			t.Errorf("%s: requests %q, want %q", when, got, want)
		}
	}
	readBack := func(p string) {
		t.Helper()
		got, err := d.GetContent(ctx, p)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("GetContent(%s): %d bytes, %v; want the %d written", p, len(got), err, len(data))
		}
	}

	// A new writer committed at once: three blocks, one commit on the path.
	w, err := d.Writer(ctx, "/new", false)
	if err != nil {
		t.Fatal(err)
	}
	writeMiB(t, w, data)
	if err := w.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	expect("new writer of 9 MiB, written and committed", "DELETE , PUT block, PUT block, PUT block, PUT blocklist")
	readBack("/new")
	log.TakeSorted()

	// A registry's chunked upload.
	w, err = d.Writer(ctx, "/chunked", false)
	if err != nil {
		t.Fatal(err)
	}
	writeMiB(t, w, data)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	expect("new writer of 9 MiB, written and closed", "PUT , PUT block, PUT block, PUT block")
	if _, err := d.Stat(ctx, "/chunked"); !errors.As(err, new(driver.PathNotFoundError)) {
		t.Fatalf("Stat of an upload closed, not committed: %v, want PathNotFoundError", err)
	}
	log.TakeSorted()
	w, err = d.Writer(ctx, "/chunked", true)
	if err != nil {
		t.Fatal(err)
	}
	if w.Size() != int64(len(data)) {
		t.Fatalf("resumed writer: Size %d, want %d", w.Size(), len(data))
	}
	expect("resume", "GET ")
	if err := w.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	expect("commit of the resumed upload", "DELETE , PUT blocklist")
	readBack("/chunked")
}
