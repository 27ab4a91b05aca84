package oss_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/internal/reqlog"
	"github.com/stowage/stowage/oss"
)

// requestName names a request as OSS's API does.
func requestName(r *http.Request) string {
	q := r.URL.Query()
	var name string
	switch {
	case r.Method == http.MethodHead:
		name = "HeadObject"
	case r.Method == http.MethodGet && q.Has("uploads"):
		name = "ListMultipartUploads"
	case r.Method == http.MethodGet && q.Get("list-type") == "2":
		name = "ListObjectsV2"
	case r.Method == http.MethodGet:
		name = "GetObject"
	case r.Method == http.MethodPost && q.Has("uploads"):
		name = "InitiateMultipartUpload"
	case r.Method == http.MethodPost && q.Has("uploadId"):
		name = "CompleteMultipartUpload"
	case r.Method == http.MethodPut && q.Has("partNumber"):
		name = "UploadPart"
	case r.Method == http.MethodPut && r.Header.Get("x-oss-copy-source") != "":
		name = "CopyObject"
		if r.Header.Get("x-oss-copy-source-if-match") != "" {
			name += "(if-match)"
		}
	case r.Method == http.MethodPut:
		name = "PutObject"
	case r.Method == http.MethodDelete && q.Has("uploadId"):
		name = "AbortMultipartUpload"
	case r.Method == http.MethodDelete:
		name = "DeleteObject"
	default:
		name = r.Method + " " + r.URL.RawQuery
	}
	return name
}

// TestRequests checks what a new writer and a Move cost at the wire: one
// PutObject for what fits in a part (beside a GetObject of the state an
// older upload closed at the path would have left); the multipart calls
// for more, with no listing, no lookup of the assembled object and no
// delete of what the writer never stored; and a Move of what the driver
// has just stored is one conditional CopyObject and a DeleteObject, right
// still when another client replaced or deleted the source in between.
func TestRequests(t *testing.T) {
	srv := startServer(t)
	log := &reqlog.Log{Name: requestName}
	d, err := driver.Open(t.Context(), oss.Name, params(srv, "requests", map[string]any{"maxconcurrency": 1}), driver.WithHTTPClient(&http.Client{Transport: log}))
	if err != nil {
		t.Fatal(err)
	}
	other := open(t, srv, "requests", nil)
	for _, c := range []struct {
		size int
		want string
	}{
		{1 << 10, "GetObject, PutObject"},
		{5 << 20, "GetObject, PutObject"},
		{12<<20 + 7, "CompleteMultipartUpload, GetObject, InitiateMultipartUpload, UploadPart, UploadPart, UploadPart"},
	} {
		w, err := d.Writer(t.Context(), "/blob", false)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(make([]byte, c.size)); err != nil {
			t.Fatal(err)
		}
		if err := w.Commit(t.Context()); err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(log.TakeSorted(), ", "); got != c.want {
			t.Errorf("new writer of %d bytes: requests %q, want %q", c.size, got, c.want)
		}
	}

	data := []byte(strings.Repeat("a", 1000))
	if err := d.PutContent(t.Context(), "/a", data); err != nil {
		t.Fatal(err)
	}
	log.Take()
	if err := d.Move(t.Context(), "/a", "/b"); err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(log.Take(), ", "), "CopyObject(if-match), DeleteObject"; got != want {
		t.Errorf("Move of an object just stored: requests %q, want %q", got, want)
	}
	newer := []byte(strings.Repeat("b", 2000))
	if err := other.PutContent(t.Context(), "/b", newer); err != nil {
		t.Fatal(err)
	}
	if err := d.Move(t.Context(), "/b", "/c"); err != nil {
		t.Fatalf("Move of an object replaced since it was seen: %v", err)
	}
	if got, err := d.GetContent(t.Context(), "/c"); err != nil || string(got) != string(newer) {
		t.Fatalf("after moving a replaced object: %d bytes, %v; want the %d bytes of the newer one", len(got), err, len(newer))
	}
	if err := other.Delete(t.Context(), "/c"); err != nil {
		t.Fatal(err)
	}
	if err := d.Move(t.Context(), "/c", "/d"); !errors.As(err, new(driver.PathNotFoundError)) {
		t.Fatalf("Move of an object deleted since it was seen: %v, want PathNotFoundError", err)
	}
}
