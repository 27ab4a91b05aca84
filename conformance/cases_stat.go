package conformance

import (
	"time"

	"github.com/stowage/stowage/driver"
)

func statCases() []Case {
	return []Case{
		{Name: "Stat/File", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			before := time.Now()
			mustPut(t, d, "/s/file", randomBytes(1234))
			fi, err := d.Stat(t.Context(), "/s/file")
			if err != nil {
				t.Fatalf("Stat: %v", err)
			}
			if fi.Path() != "/s/file" || fi.Size() != 1234 || fi.IsDir() {
				t.Fatalf("Stat = {path %s size %d dir %v}, want {/s/file 1234 false}", fi.Path(), fi.Size(), fi.IsDir())
			}
			if d := fi.ModTime().Sub(before); d < -h.slack() || d > h.slack() {
				t.Fatalf("ModTime %v is %v from the time of writing (%v)", fi.ModTime(), d, before)
			}
		}},
		{Name: "Stat/Directory", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			mustPut(t, d, "/s/dir/sub/file", []byte("x"))
			for _, p := range []string{"/s", "/s/dir", "/s/dir/sub"} {
				fi, err := d.Stat(t.Context(), p)
				if err != nil {
					t.Fatalf("Stat(%s): %v", p, err)
				}
				if !fi.IsDir() || fi.Path() != p || fi.Size() != 0 {
					t.Fatalf("Stat(%s) = {path %s dir %v size %d}, want a directory of size 0", p, fi.Path(), fi.IsDir(), fi.Size())
				}
			}
		}},
		{Name: "Stat/Root", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			mustPut(t, d, "/file", []byte("x"))
			fi, err := d.Stat(t.Context(), "/")
			if err != nil {
				t.Fatalf("Stat(/): %v", err)
			}
			if !fi.IsDir() {
				t.Fatalf("Stat(/) is not a directory")
			}
		}},
		{Name: "Stat/RootOfEmptyStore", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			// A registry's storage health check: Stat("/") on a store that
			// may hold nothing yet. A directory, or not found; nothing else.
			fi, err := d.Stat(t.Context(), "/")
			if err != nil {
				expectNotFound(t, "Stat(/) of an empty store", err)
				return
			}
			if !fi.IsDir() {
				t.Fatalf("Stat(/) of an empty store is not a directory")
			}
		}},
		{Name: "Stat/ModTimeAdvancesOnRewrite", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			mustPut(t, d, "/s/file", randomBytes(4096))
			fi, err := d.Stat(t.Context(), "/s/file")
			if err != nil {
				t.Fatalf("Stat: %v", err)
			}
			first := fi.ModTime()
			// Stores that keep modification times to the second must see
			// a later second.
			time.Sleep(1100 * time.Millisecond)
			mustPut(t, d, "/s/file", randomBytes(4096))
			if fi, err = d.Stat(t.Context(), "/s/file"); err != nil {
				t.Fatalf("Stat after rewrite: %v", err)
			}
			if !fi.ModTime().After(first) {
				t.Fatalf("ModTime after a rewrite %v is not after the first write's %v (registries age uploads and GC by it)", fi.ModTime(), first)
			}
		}},
		{Name: "Stat/Missing", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			mustPut(t, d, "/s/file", []byte("x"))
			for _, p := range []string{"/missing", "/s/fil", "/s/file/below", "/s/f"} {
				fi, err := d.Stat(t.Context(), p)
				expectNotFound(t, "Stat("+p+")", err)
				if fi != nil {
					t.Fatalf("Stat(%s) returned a FileInfo (%s) with PathNotFoundError, want nil", p, fi.Path())
				}
			}
		}},
	}
}
