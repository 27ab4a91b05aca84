package gocloud_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"gocloud.dev/blob/memblob"

	"github.com/stowage/stowage/configmap"
	"github.com/stowage/stowage/conformance"
	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/gocloud"
	"github.com/stowage/stowage/internal/doctest"
)

// TestDocsTable checks that docs/gocloud.md carries the parameter table
// generated from Params (STOWAGE_UPDATE_DOCS=1 rewrites it).
func TestDocsTable(t *testing.T) {
	doctest.CheckParamsTable(t, "../docs/gocloud.md", &gocloud.Params{})
}

func TestParams(t *testing.T) {
	for _, tc := range []struct {
		params map[string]any
		want   string
	}{
		{map[string]any{}, `"url": required`},
		{map[string]any{"url": "no-scheme"}, `"url": must be a Go CDK bucket URL`},
		{map[string]any{"url": "mem://", "rootdirectory": "/a/../b"}, `"rootdirectory"`},
		{map[string]any{"url": "mem://", "chunksize": "1MiB"}, `"chunksize": must be at least 5MiB`},
		{map[string]any{"url": "mem://", "redirectexpiry": "1s"}, `"redirectexpiry": must be at least 1m`},
	} {
		var p gocloud.Params
		err := configmap.Decode(tc.params, &p)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Decode(%v) = %v, want %s", tc.params, err, tc.want)
		}
	}
	var p gocloud.Params
	if err := configmap.Decode(map[string]any{"url": "s3://bucket?region=us-east-1", "chunksize": "16MiB"}, &p); err != nil {
		t.Fatal(err)
	}
	if p.ChunkSize != 16<<20 || p.MaxConcurrency != 4 || p.RedirectExpiry != 20*time.Minute {
		t.Errorf("decoded %+v", p)
	}
}

// TestOpenURL opens the driver from a mem:// URL, as a configuration does,
// and checks that an unknown scheme is an error naming the parameter.
func TestOpenURL(t *testing.T) {
	ctx := context.Background()
	d, err := driver.Open(ctx, gocloud.Name, map[string]any{"url": "mem://"})
	if err != nil {
		t.Fatal(err)
	}
	defer driver.Close(d)
	if err := d.PutContent(ctx, "/a/b", []byte("x")); err != nil {
		t.Fatal(err)
	}
	if got, err := d.List(ctx, "/"); err != nil || len(got) != 1 || got[0] != "/a" {
		t.Fatalf("List(/) = %v, %v", got, err)
	}
	_, err = driver.Open(ctx, gocloud.Name, map[string]any{"url": "nosuch://bucket"})
	if err == nil || !strings.Contains(err.Error(), `parameter "url"`) {
		t.Fatalf("open nosuch:// = %v, want an error about url", err)
	}
}

// TestPurgeMem checks PurgeUploads on a memblob bucket.
func TestPurgeMem(t *testing.T) {
	b := memblob.OpenBucket(nil)
	d, err := gocloud.FromBucket(b, gocloud.Params{RootDirectory: "r"})
	if err != nil {
		t.Fatal(err)
	}
	purge(t, d)
}

// testPurge checks PurgeUploads on the bucket at u.
func testPurge(t *testing.T, u string) {
	d, err := driver.Open(t.Context(), gocloud.Name, map[string]any{"url": u, "rootdirectory": "purge-test"})
	if err != nil {
		t.Fatal(err)
	}
	defer driver.Close(d)
	purge(t, d)
}

func purge(t *testing.T, d driver.StorageDriver) {
	ctx := t.Context()
	for _, p := range []string{"/a", "/b/c"} {
		w, err := d.Writer(ctx, p, false)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte("data")); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := driver.PurgeUploads(ctx, d, time.Hour); err != nil || n != 0 {
		t.Fatalf("PurgeUploads(1h) = %d, %v; want 0 (both uploads are new)", n, err)
	}
	if n, err := driver.PurgeUploads(ctx, d, 0); err != nil || n != 2 {
		t.Fatalf("PurgeUploads(0) = %d, %v; want 2", n, err)
	}
	if _, err := d.Writer(ctx, "/a", true); !driver.IsNotFound(err) {
		t.Fatalf("Writer(/a, append) after purge = %v, want PathNotFoundError", err)
	}
}

// testManyParts writes an upload in more sessions than one compose request
// takes (32 on GCS), commits it and checks its content and that no part is
// left (keys lists the store's objects under a root).
func testManyParts(t *testing.T, d driver.StorageDriver, keys func(t conformance.TB, root string) []string, root string) {
	ctx := t.Context()
	var want []byte
	for i := range 40 {
		w, err := d.Writer(ctx, "/many", i > 0)
		if err != nil {
			t.Fatal(err)
		}
		piece := []byte(fmt.Sprintf("part %02d;", i))
		if _, err := w.Write(piece); err != nil {
			t.Fatal(err)
		}
		want = append(want, piece...)
		if i == 39 {
			err = w.Commit(ctx)
		} else {
			err = w.Close()
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	got, err := d.GetContent(ctx, "/many")
	if err != nil || string(got) != string(want) {
		t.Fatalf("GetContent = %q, %v; want %q", got, err, want)
	}
	if err := d.Delete(ctx, "/many"); err != nil {
		t.Fatal(err)
	}
	if left := keys(t, root); len(left) > 0 {
		t.Fatalf("after Commit and Delete, the store holds %v", left)
	}
}

func TestManyPartsMem(t *testing.T) {
	b := memblob.OpenBucket(nil)
	d, err := gocloud.FromBucket(b, gocloud.Params{RootDirectory: "many"})
	if err != nil {
		t.Fatal(err)
	}
	testManyParts(t, d, bucketKeys(b), "many")
}
