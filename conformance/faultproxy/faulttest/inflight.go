package faulttest

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/internal/reqlog"
)

// cancelInFlight: a writer whose context ends while a part is in flight
// (the store has received it whole and not answered yet) is cancelled, and
// nothing of the upload is left in the store. A store stores a request it
// received whole although the client no longer waits for the answer: a
// part the writer abandoned with its context would land after Cancel had
// aborted or deleted the upload, and stay. The part is held at the
// transport (reqlog.Hold); if the client gives up on it, it is sent late,
// after Cancel, as the store would store it. (MinIO and osstest refuse a
// part of an aborted multipart upload, so there a late part leaves
// nothing; s3's TestMinIO/CancelWaitsForPart checks the order of the
// requests instead.)
func cancelInFlight(t *testing.T, h CrashHarness) {
	if h.Part == nil {
		t.Fatal("CrashHarness.Part is not set: the case needs to know which request stores a part")
	}
	ctx := t.Context()
	root := fmt.Sprintf("inflight-%d", time.Now().UnixNano())
	const path = "/blobs/upload"
	hold := reqlog.NewHold(h.Part, nil)
	d, err := driver.Open(ctx, h.Driver, h.Params(root), driver.WithHTTPClient(&http.Client{Transport: hold}))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = driver.Close(d) }()
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w, err := d.Writer(wctx, path, false)
	if err != nil {
		t.Fatal(err)
	}
	// A part and a byte: the part goes in the background.
	if _, err := w.Write(payload(h.ChunkSize+1, 13)); err != nil {
		t.Fatal(err)
	}
	select {
	case <-hold.Got():
	case <-ctx.Done():
		t.Fatal("the writer sent no request CrashHarness.Part names for a part")
	}
	cancel() // the writer's context ends with the part in flight
	// Nothing more starts: a Write that fills another part fails.
	if _, err := w.Write(payload(h.ChunkSize+1, 14)); err == nil {
		t.Error("Write that fills a part after the writer's context ended: no error")
	}
	hold.Release()
	if err := w.Cancel(ctx); err != nil {
		t.Fatalf("Cancel: %v", err)
	}
	hold.Land()
	if left := h.Leftovers(t, root, path); len(left) > 0 {
		t.Fatalf("left in the store after Cancel, the part in flight when the writer's context ended stored since: %v", left)
	}
}
