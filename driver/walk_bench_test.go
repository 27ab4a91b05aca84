package driver_test

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"testing"
	"time"

	"github.com/stowage/stowage/driver"
)

// BenchmarkWalkFiles measures the CPU WalkFiles spends per object on a
// registry's blob tree (the listing itself excluded): the cost a Walk adds
// to the provider's flat listing.
func BenchmarkWalkFiles(b *testing.B) {
	const n = 100_000
	files := make([]driver.FileInfo, n)
	for i := range files {
		d := fmt.Sprintf("%064x", i*7919)
		files[i] = driver.NewFileInfo("/docker/registry/v2/blobs/sha256/"+d[:2]+"/"+d+"/data", 1024, time.Time{})
	}
	// a flat listing returns keys in byte order
	slicesSort(files)
	seq := func(yield func(driver.FileInfo, error) bool) {
		for _, f := range files {
			if !yield(f, nil) {
				return
			}
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		count := 0
		err := driver.WalkFiles(context.Background(), "/docker/registry/v2/blobs", iter.Seq2[driver.FileInfo, error](seq), func(driver.FileInfo) error { count++; return nil }, driver.WalkOptions{})
		if err != nil || count < n {
			b.Fatal(err, count)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/object")
}

func slicesSort(fs []driver.FileInfo) {
	slices.SortFunc(fs, func(a, b driver.FileInfo) int {
		switch {
		case a.Path() < b.Path():
			return -1
		case a.Path() > b.Path():
			return 1
		}
		return 0
	})
}
