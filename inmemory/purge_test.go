package inmemory_test

import (
	"context"
	"testing"
	"time"

	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/inmemory"
)

func TestPurgeUploads(t *testing.T) {
	ctx := context.Background()
	d := inmemory.NewShared(inmemory.NewStore())
	w, _ := d.Writer(ctx, "/u", false)
	_, _ = w.Write([]byte("abc"))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if n, err := driver.PurgeUploads(ctx, d, time.Hour); err != nil || n != 0 {
		t.Fatalf("PurgeUploads(1h) = %d, %v; want the fresh upload kept", n, err)
	}
	if n, err := driver.PurgeUploads(ctx, d, -time.Second); err != nil || n != 1 {
		t.Fatalf("PurgeUploads(now) = %d, %v; want 1", n, err)
	}
	if _, err := d.Writer(ctx, "/u", true); !driver.IsNotFound(err) {
		t.Fatalf("purged upload resumed: %v", err)
	}
}
