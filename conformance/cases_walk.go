package conformance

import (
	"errors"
	"fmt"
	"slices"

	"github.com/stowage/stowage/driver"
)

// walkTree has names that sort differently by path than by segment ("/a-b"
// before "/a/..."), so adapters walking one flat listing must order
// directories correctly.
var walkTree = []string{
	"/w/a/1", "/w/a/2", "/w/a-b", "/w/a.c/3", "/w/b/c/d/4", "/w/b/c/e", "/w/b/f", "/w/c",
}

// walkOrder is every entry under /w in byte order of the path.
var walkOrder = []string{
	"/w/a", "/w/a-b", "/w/a.c", "/w/a.c/3", "/w/a/1", "/w/a/2", "/w/b", "/w/b/c", "/w/b/c/d", "/w/b/c/d/4", "/w/b/c/e", "/w/b/f", "/w/c",
}

func walkCases() []Case {
	collect := func(t TB, d driver.StorageDriver, from string, f func(fi driver.FileInfo) error, opts ...func(*driver.WalkOptions)) []string {
		t.Helper()
		var got []string
		err := d.Walk(t.Context(), from, func(fi driver.FileInfo) error {
			got = append(got, fi.Path())
			if f != nil {
				return f(fi)
			}
			return nil
		}, opts...)
		if err != nil {
			t.Fatalf("Walk(%s): %v", from, err)
		}
		return got
	}
	setup := func(t TB, d driver.StorageDriver) { putMany(t, d, walkTree, 4) }
	return []Case{
		{Name: "Walk/LexicalOrder", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			setup(t, d)
			got := collect(t, d, "/w", nil)
			if !slices.Equal(got, walkOrder) {
				t.Fatalf("Walk(/w) visited\n%v\nwant\n%v", got, walkOrder)
			}
			all := collect(t, d, "/", nil)
			if !slices.Equal(all, append([]string{"/w"}, walkOrder...)) {
				t.Fatalf("Walk(/) visited %v", all)
			}
		}},
		{Name: "Walk/FileInfo", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			setup(t, d)
			err := d.Walk(t.Context(), "/w", func(fi driver.FileInfo) error {
				isFile := slices.Contains(walkTree, fi.Path())
				if fi.IsDir() == isFile {
					return fmt.Errorf("%s: IsDir() = %v", fi.Path(), fi.IsDir())
				}
				if isFile && fi.Size() != int64(len(fi.Path())) {
					return fmt.Errorf("%s: Size() = %d, want %d", fi.Path(), fi.Size(), len(fi.Path()))
				}
				return nil
			})
			if err != nil {
				t.Fatalf("%v", err)
			}
		}},
		{Name: "Walk/SkipDir", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			setup(t, d)
			got := collect(t, d, "/w", func(fi driver.FileInfo) error {
				if fi.Path() == "/w/a" || fi.Path() == "/w/b/c" {
					return driver.ErrSkipDir
				}
				return nil
			})
			want := []string{"/w/a", "/w/a-b", "/w/a.c", "/w/a.c/3", "/w/b", "/w/b/c", "/w/b/f", "/w/c"}
			if !slices.Equal(got, want) {
				t.Fatalf("Walk with ErrSkipDir visited\n%v\nwant\n%v", got, want)
			}
		}},
		{Name: "Walk/StartAfterHint", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			setup(t, d)
			for _, hint := range []string{"/w/a-b", "/w/a/1", "/w/b/c", "/w/b/c/d/4", "/w/c"} {
				got := collect(t, d, "/w", nil, driver.WithStartAfterHint(hint))
				var want []string
				for _, p := range walkOrder {
					if p > hint {
						want = append(want, p)
					}
				}
				if !slices.Equal(got, want) {
					t.Fatalf("Walk with StartAfterHint %s visited\n%v\nwant\n%v", hint, got, want)
				}
			}
		}},
		{Name: "Walk/StopEarly", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			setup(t, d)
			stop := errors.New("stop here")
			n := 0
			err := d.Walk(t.Context(), "/w", func(fi driver.FileInfo) error {
				n++
				if n == 3 {
					return stop
				}
				return nil
			})
			if !errors.Is(err, stop) || n != 3 {
				t.Fatalf("Walk returned %v after %d calls, want the WalkFn's error after 3", err, n)
			}
			n = 0
			err = d.Walk(t.Context(), "/w", func(fi driver.FileInfo) error {
				n++
				return driver.ErrFilledBuffer
			})
			if err != nil || n != 1 {
				t.Fatalf("Walk with ErrFilledBuffer: %v after %d calls, want nil after 1", err, n)
			}
		}},
		{Name: "Walk/Missing", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			setup(t, d)
			err := d.Walk(t.Context(), "/nope", func(driver.FileInfo) error { return nil })
			expectNotFound(t, "Walk(/nope)", err)
		}},
	}
}
