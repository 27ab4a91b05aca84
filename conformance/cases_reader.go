package conformance

import (
	"bytes"
	"errors"
	"io"

	"github.com/stowage/stowage/driver"
)

func readerCases() []Case {
	const size = 64 << 10
	setup := func(t TB, d driver.StorageDriver) []byte {
		data := randomBytes(size)
		mustPut(t, d, "/r", data)
		return data
	}
	return []Case{
		{Name: "Reader/Middle", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			data := setup(t, d)
			for _, off := range []int64{0, 1, size / 2, size - 1} {
				rc, err := d.Reader(t.Context(), "/r", off)
				if err != nil {
					t.Fatalf("Reader(offset %d): %v", off, err)
				}
				got, err := io.ReadAll(rc)
				rc.Close()
				if err != nil || !bytes.Equal(got, data[off:]) {
					t.Fatalf("Reader(offset %d): got %d bytes, want %d: %v", off, len(got), size-off, err)
				}
			}
		}},
		{Name: "Reader/AtEnd", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			setup(t, d)
			rc, err := d.Reader(t.Context(), "/r", size)
			if err != nil {
				t.Fatalf("Reader(offset = size): %v", err)
			}
			defer rc.Close()
			n, err := rc.Read(make([]byte, 10))
			if n != 0 || !errors.Is(err, io.EOF) {
				t.Fatalf("Read at end: n=%d err=%v, want 0, io.EOF", n, err)
			}
		}},
		{Name: "Reader/PastEnd", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			setup(t, d)
			rc, err := d.Reader(t.Context(), "/r", size+1)
			if err == nil {
				rc.Close()
			}
			var io driver.InvalidOffsetError
			if !errors.As(err, &io) {
				t.Fatalf("Reader(offset past end): %v, want InvalidOffsetError", err)
			}
		}},
		{Name: "Reader/Negative", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			setup(t, d)
			_, err := d.Reader(t.Context(), "/r", -1)
			var io driver.InvalidOffsetError
			if !errors.As(err, &io) || io.DriverName == "" {
				t.Fatalf("Reader(offset -1): %v, want InvalidOffsetError naming the driver", err)
			}
		}},
		{Name: "Reader/Missing", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			_, err := d.Reader(t.Context(), "/missing", 0)
			expectNotFound(t, "Reader(/missing)", err)
		}},
	}
}
