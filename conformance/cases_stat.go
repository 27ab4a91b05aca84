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
				if !fi.IsDir() || fi.Path() != p {
					t.Fatalf("Stat(%s) = {path %s dir %v}, want a directory", p, fi.Path(), fi.IsDir())
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
		{Name: "Stat/Missing", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			mustPut(t, d, "/s/file", []byte("x"))
			for _, p := range []string{"/missing", "/s/fil", "/s/file/below", "/s/f"} {
				_, err := d.Stat(t.Context(), p)
				expectNotFound(t, "Stat("+p+")", err)
			}
		}},
	}
}
