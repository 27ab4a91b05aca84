package driver_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/filesystem"
	"github.com/stowage/stowage/inmemory"
)

// TestWalkFilesMatchesFallback checks, on random trees whose names sort
// differently by path than by segment, that WalkFiles over one flat
// listing (what object-store adapters do) visits exactly what the
// List/Stat fallback on a real filesystem visits, with and without hints
// and ErrSkipDir.
func TestWalkFilesMatchesFallback(t *testing.T) {
	names := []string{"a", "a-b", "a.c", "ab", "b", "b-", "c"}
	ctx := context.Background()
	for seed := range uint64(40) {
		rng := rand.New(rand.NewPCG(seed, 1))
		mem := inmemory.NewShared(inmemory.NewStore())
		fs, err := filesystem.New(context.Background(), filesystem.Params{RootDirectory: t.TempDir(), MaxThreads: 25})
		if err != nil {
			t.Fatal(err)
		}
		var files []string
		for range 25 {
			p := ""
			depth := 1 + rng.IntN(4)
			for range depth {
				p += "/" + names[rng.IntN(len(names))]
			}
			// A path cannot be both a file and a directory on a filesystem.
			clash := slices.ContainsFunc(files, func(f string) bool {
				return f == p || len(f) > len(p) && f[:len(p)+1] == p+"/" || len(p) > len(f) && p[:len(f)+1] == f+"/"
			})
			if clash {
				continue
			}
			files = append(files, p)
			for _, d := range []driver.StorageDriver{mem, fs} {
				if err := d.PutContent(ctx, p, []byte(p)); err != nil {
					t.Fatal(err)
				}
			}
		}
		walk := func(d driver.StorageDriver, hint string, skip string) []string {
			var got []string
			err := d.Walk(ctx, "/", func(fi driver.FileInfo) error {
				got = append(got, fmt.Sprintf("%s:%v", fi.Path(), fi.IsDir()))
				if fi.Path() == skip {
					return driver.ErrSkipDir
				}
				return nil
			}, driver.WithStartAfterHint(hint))
			if err != nil {
				t.Fatalf("seed %d: Walk: %v", seed, err)
			}
			return got
		}
		hints := []string{"", files[rng.IntN(len(files))], "/a", "/a-b", "/b"}
		for _, hint := range hints {
			for _, skip := range []string{"", "/a", "/a/a", "/b"} {
				want := walk(fs, hint, skip)
				got := walk(mem, hint, skip)
				if !slices.Equal(got, want) {
					t.Fatalf("seed %d hint %q skip %q:\nWalkFiles %v\nfallback  %v", seed, hint, skip, got, want)
				}
				paths := make([]string, len(got))
				for i, g := range got {
					paths[i] = g[:strings.LastIndexByte(g, ':')]
				}
				if !slices.IsSorted(paths) {
					t.Fatalf("seed %d: not in byte order: %v", seed, paths)
				}
			}
		}
	}
}
