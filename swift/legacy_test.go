package swift_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	ncw "github.com/ncw/swift/v2"

	"github.com/stowage/stowage/driver"
)

// testLegacyLayout checks the migration from the layout of stowage before
// the shared one ("<prefix>~stowage/"): an object committed then (an SLO
// whose segments are there) still reads, moves and deletes with its
// segments; an upload in progress then is not resumed, and PurgeUploads
// removes its marker and segments.
func testLegacyLayout(t *testing.T, c cluster, conn *ncw.Connection) {
	ctx := t.Context()
	const container = "legacy"
	d := c.open(t, container, map[string]any{"prefix": "reg", "chunksize": "1MiB"})
	h := sha256.Sum256([]byte("/big"))
	segDir := "reg~stowage/segments/" + hex.EncodeToString(h[:20]) + "/0001/"
	var manifest []map[string]any
	var want []byte
	for i := range 2 {
		data := randBytes(1<<20 + i)
		want = append(want, data...)
		name := segDir + "0000000" + strconv.Itoa(i+1)
		hd, err := conn.ObjectPut(ctx, container, name, bytes.NewReader(data), false, "", "application/octet-stream", nil)
		if err != nil {
			t.Fatal(err)
		}
		manifest = append(manifest, map[string]any{"path": container + "/" + name, "etag": hd["Etag"], "size_bytes": len(data)})
	}
	body, _ := json.Marshal(manifest)
	_, _, err := conn.Call(ctx, conn.StorageUrl, ncw.RequestOpts{
		Container: container, ObjectName: "reg/big", Operation: "PUT",
		Parameters: map[string][]string{"multipart-manifest": {"put"}},
		Body:       bytes.NewReader(body), NoResponse: true,
	})
	if err != nil {
		t.Fatalf("put SLO manifest: %v", err)
	}
	if got, err := d.GetContent(ctx, "/big"); err != nil || !bytes.Equal(got, want) {
		t.Fatalf("legacy SLO: %d bytes, %v; want %d", len(got), err, len(want))
	}
	if err := d.Move(ctx, "/big", "/moved"); err != nil {
		t.Fatal(err)
	}
	if err := d.Delete(ctx, "/moved"); err != nil {
		t.Fatal(err)
	}
	if left, err := conn.ObjectNamesAll(ctx, container, &ncw.ObjectsOpts{Prefix: "reg~stowage/segments/"}); err != nil || len(left) != 0 {
		t.Fatalf("legacy segments left after Delete: %v %v", left, err)
	}

	// An upload in progress in the old layout: marker and one segment.
	h = sha256.Sum256([]byte("/up"))
	m := []byte(`{"path":"/up","id":"0002"}`)
	for name, data := range map[string][]byte{
		"reg~stowage/uploads/" + hex.EncodeToString(h[:20]):                     m,
		"reg~stowage/segments/" + hex.EncodeToString(h[:20]) + "/0002/00000001": randBytes(10),
	} {
		if _, err := conn.ObjectPut(ctx, container, name, bytes.NewReader(data), false, "", "application/octet-stream", nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := d.Writer(ctx, "/up", true); !driver.IsNotFound(err) {
		t.Fatalf("legacy upload resumed: %v, want PathNotFoundError (not resumed)", err)
	}
	if n, err := driver.PurgeUploads(ctx, d, -time.Minute); err != nil || n != 1 {
		t.Fatalf("PurgeUploads of a legacy upload = %d, %v; want 1", n, err)
	}
	if left, err := conn.ObjectNamesAll(ctx, container, &ncw.ObjectsOpts{Prefix: "reg~stowage/"}); err != nil || len(left) != 0 {
		t.Fatalf("legacy upload state left after purge: %v %v", left, err)
	}
}
