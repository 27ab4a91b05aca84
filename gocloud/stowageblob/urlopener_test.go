package stowageblob_test

import (
	"context"
	"io"
	"strings"
	"testing"

	"gocloud.dev/blob"

	"github.com/stowage/stowage/gocloud/stowageblob"
	"github.com/stowage/stowage/inmemory"

	_ "github.com/stowage/stowage/s3"
)

func TestURLOpenerErrors(t *testing.T) {
	ctx := context.Background()
	for u, want := range map[string]string{
		"stowage://": "name a driver",
		"stowage:///?config=/x.yml&rootdirectory=/":                                "no other query parameter",
		"stowage:///?config=/no/such/file.yml":                                     "no such file",
		"stowage://nosuch":                                                         `storage driver "nosuch" is not registered`,
		"stowage://s3/path?bucket=b":                                               "has no path",
		"stowage://s3?bucket=b&region=r&regoin=x&secretkey=TOPSECRET&accesskey=AK": `"regoin": unknown parameter (did you mean "region"?)`,
	} {
		b, err := blob.OpenBucket(ctx, u)
		if err == nil {
			b.Close()
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("OpenBucket(%s) = %v, want %q", u, err, want)
		}
		if err != nil && strings.Contains(err.Error(), "TOPSECRET") {
			t.Errorf("OpenBucket(%s) error shows the secret: %v", u, err)
		}
	}
}

// TestRegistryData reads what a registry wrote through its driver: the
// keys are the registry's paths, blobs without attributes are
// application/octet-stream, and a delimited listing walks the tree.
func TestRegistryData(t *testing.T) {
	ctx := context.Background()
	d := inmemory.NewShared(inmemory.NewStore())
	for _, p := range []string{
		"/docker/registry/v2/blobs/sha256/ab/abcd/data",
		"/docker/registry/v2/blobs/sha256/cd/cdef/data",
		"/docker/registry/v2/repositories/app/_manifests/tags/latest/current/link",
	} {
		if err := d.PutContent(ctx, p, []byte(p)); err != nil {
			t.Fatal(err)
		}
	}
	b := stowageblob.OpenBucket(d)
	defer b.Close()
	data, err := b.ReadAll(ctx, "docker/registry/v2/blobs/sha256/ab/abcd/data")
	if err != nil || string(data) != "/docker/registry/v2/blobs/sha256/ab/abcd/data" {
		t.Fatalf("ReadAll = %q, %v", data, err)
	}
	a, err := b.Attributes(ctx, "docker/registry/v2/blobs/sha256/cd/cdef/data")
	if err != nil || a.ContentType != "application/octet-stream" || a.Size != int64(len("/docker/registry/v2/blobs/sha256/cd/cdef/data")) {
		t.Fatalf("Attributes = %+v, %v", a, err)
	}
	var got []string
	it := b.List(&blob.ListOptions{Prefix: "docker/registry/v2/", Delimiter: "/"})
	for {
		obj, err := it.Next(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, obj.Key)
	}
	if strings.Join(got, " ") != "docker/registry/v2/blobs/ docker/registry/v2/repositories/" {
		t.Fatalf("List = %v", got)
	}
	// Writing through the bucket keeps attributes beside the data, out of
	// every listing.
	if err := b.WriteAll(ctx, "docker/x", []byte("<html></html>"), nil); err != nil {
		t.Fatal(err)
	}
	top, err := d.List(ctx, "/")
	if err != nil || strings.Join(top, " ") != "/.stowageblob /docker" {
		t.Fatalf("driver List(/) = %v, %v", top, err)
	}
	objs, _, err := b.ListPage(ctx, blob.FirstPageToken, 10, &blob.ListOptions{Delimiter: "/"})
	if err != nil || len(objs) != 1 || objs[0].Key != "docker/" {
		t.Fatalf("bucket top level = %v, %v", objs, err)
	}
	if err := b.Delete(ctx, "docker/x"); err != nil {
		t.Fatal(err)
	}
}

// TestDeleteBlobThatIsADirectory deletes a blob "a" beside "a/b", which
// object stores (and the inmemory driver) allow: "a/b" stays, and nothing
// is left in the trash.
func TestDeleteBlobThatIsADirectory(t *testing.T) {
	ctx := context.Background()
	d := inmemory.NewShared(inmemory.NewStore())
	b := stowageblob.OpenBucket(d)
	defer b.Close()
	for _, k := range []string{"a", "a/b"} {
		if err := b.WriteAll(ctx, k, []byte(k), nil); err != nil {
			t.Skipf("the driver holds no blob beside a directory of the same name: %v", err)
		}
	}
	if err := b.Delete(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := b.Exists(ctx, "a"); ok {
		t.Fatal("a still exists")
	}
	if data, err := b.ReadAll(ctx, "a/b"); err != nil || string(data) != "a/b" {
		t.Fatalf("a/b after deleting a: %q, %v", data, err)
	}
	if _, err := d.List(ctx, "/.stowageblob/trash"); err == nil {
		t.Fatal("the trash is not empty")
	}
}
