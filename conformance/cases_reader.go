package conformance

import (
	"bytes"
	"errors"
	"fmt"
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
		{Name: "Reader/LastByte", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			data := setup(t, d)
			rc, err := d.Reader(t.Context(), "/r", size-1)
			if err != nil {
				t.Fatalf("Reader(offset size-1): %v", err)
			}
			defer rc.Close()
			buf := make([]byte, 32)
			n, err := rc.Read(buf)
			if n != 1 || buf[0] != data[size-1] || (err != nil && !errors.Is(err, io.EOF)) {
				t.Fatalf("Read at size-1: n=%d err=%v, want the last byte and nil or io.EOF", n, err)
			}
			for range 2 {
				if n, err := rc.Read(buf); n != 0 || !errors.Is(err, io.EOF) {
					t.Fatalf("Read after the last byte: n=%d err=%v, want 0, io.EOF", n, err)
				}
			}
		}},
		{Name: "Reader/AtEnd", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			setup(t, d)
			rc, err := d.Reader(t.Context(), "/r", size)
			if err != nil {
				t.Fatalf("Reader(offset = size): %v (a registry resumes a download at the end of a blob)", err)
			}
			defer rc.Close()
			for range 2 {
				n, err := rc.Read(make([]byte, 10))
				if n != 0 || !errors.Is(err, io.EOF) {
					t.Fatalf("Read at end: n=%d err=%v, want 0, io.EOF", n, err)
				}
			}
		}},
		{Name: "Reader/PastEnd", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			setup(t, d)
			for _, off := range []int64{size + 1, size + 1<<20} {
				rc, err := d.Reader(t.Context(), "/r", off)
				if err == nil {
					rc.Close()
				}
				expectInvalidOffset(t, d, err, "/r", off)
			}
		}},
		{Name: "Reader/Negative", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			setup(t, d)
			rc, err := d.Reader(t.Context(), "/r", -1)
			if err == nil {
				rc.Close()
			}
			expectInvalidOffset(t, d, err, "/r", -1)
		}},
		{Name: "Reader/Missing", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			// Not found wins over the offset: there is no object to be past the end of.
			for _, off := range []int64{0, 64} {
				_, err := d.Reader(t.Context(), "/missing", off)
				expectNotFound(t, fmt.Sprintf("Reader(/missing, %d)", off), err)
			}
		}},
	}
}

// expectInvalidOffset checks that err is an InvalidOffsetError naming the
// path, the offset and the driver.
func expectInvalidOffset(t TB, d driver.StorageDriver, err error, path string, off int64) {
	t.Helper()
	var ioe driver.InvalidOffsetError
	if !errors.As(err, &ioe) {
		t.Fatalf("Reader(%s, %d): %v (%T), want InvalidOffsetError", path, off, err, err)
	}
	if ioe.Path != path || ioe.Offset != off || ioe.DriverName != d.Name() {
		t.Fatalf("Reader(%s, %d): InvalidOffsetError{Path: %q, Offset: %d, DriverName: %q}, want {%q, %d, %q}",
			path, off, ioe.Path, ioe.Offset, ioe.DriverName, path, off, d.Name())
	}
}
