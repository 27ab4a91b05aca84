package faulttest

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stowage/stowage/conformance/faultproxy"
	"github.com/stowage/stowage/driver"
)

// Integrity writes through a proxy that damages one byte of a request
// body in five (faultproxy.Corrupt) and checks, over a clean connection,
// that every write that succeeded stored exactly the bytes written: the
// checksums the driver sends (Content-MD5, an ETag, a CRC) make the
// server refuse a damaged part or object, and the driver sends it again.
// A write may fail, with a clear error, when a body without a checksum of
// its own (a multipart completion's XML) is damaged; it is written again,
// as a registry's client would. Exempt requests are not damaged.
func Integrity(t *testing.T, h Harness) {
	p := startProxy(t, faultproxy.Config{Target: h.Target, TargetHost: h.TargetHost, Seed: h.Seed + 7, Rate: 0.2,
		Faults: []faultproxy.Fault{faultproxy.Corrupt},
		Exempt: func(r *http.Request) bool { return r.ContentLength == 0 || (h.Exempt != nil && h.Exempt(r)) }})
	root := fmt.Sprintf("integrity-%d", time.Now().UnixNano())
	d := h.Open(t, p.URL(), root, quiet)
	clean := h.Clean(t, root)
	data := payload(3*h.ChunkSize+h.ChunkSize/3, h.Seed+8)
	failed, verified := 0, 0
	for i, size := range []int64{1, 1000, h.ChunkSize - 1, h.ChunkSize + 1, int64(len(data))} {
		for _, how := range []string{"PutContent", "Writer"} {
			path := fmt.Sprintf("/i/%s-%d", how, i)
			var err error
			for try := 1; try <= 5; try++ {
				ctx, cancel := context.WithTimeout(t.Context(), opTimeout)
				if how == "PutContent" {
					err = d.PutContent(ctx, path, data[:size])
				} else {
					err = writeInTwo(ctx, d, path, data[:size])
				}
				cancel()
				if err == nil {
					break
				}
				failed++
				if !clear(err) {
					t.Errorf("%s %s failed without a clear error: %#v", how, path, err)
				}
				t.Logf("%s %s (try %d): %v", how, path, try, err)
			}
			if err != nil {
				t.Errorf("%s %s: failed 5 times through damaged bodies: %v", how, path, err)
				continue
			}
			ctx, cancel := context.WithTimeout(t.Context(), opTimeout)
			got, err := clean.GetContent(ctx, path)
			cancel()
			switch {
			case err != nil:
				t.Errorf("%s %s: written, then not readable: %v", how, path, err)
			case sum(got) != sum(data[:size]):
				t.Errorf("%s %s: SILENT CORRUPTION: the store holds %d bytes that differ from the %d written", how, path, len(got), size)
			default:
				verified++
			}
		}
	}
	ctx, cancel := context.WithTimeout(t.Context(), opTimeout)
	defer cancel()
	_ = clean.Delete(ctx, "/i")
	_, _ = driver.PurgeUploads(ctx, clean, 0)
	t.Logf("%d writes verified byte for byte, %d attempts failed clearly; proxy: %v", verified, failed, p.Stats())
	if p.Stats().Faults[faultproxy.Corrupt] == 0 {
		t.Errorf("no body was damaged")
	}
}

// writeInTwo writes data in two writers, across a Close, and commits.
func writeInTwo(ctx context.Context, d driver.StorageDriver, path string, data []byte) error {
	w, err := d.Writer(ctx, path, false)
	if err != nil {
		return err
	}
	half := len(data) / 2
	if _, err := w.Write(data[:half]); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	if w, err = d.Writer(ctx, path, true); err != nil {
		return err
	}
	if _, err := w.Write(data[w.Size():]); err != nil {
		return err
	}
	return w.Commit(ctx)
}
