package conformance

import (
	"context"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/stowage/stowage/configmap"
	"github.com/stowage/stowage/driver"
)

// TB is the part of testing.TB the cases use. *testing.T and *testing.B
// satisfy it; Check supplies its own so the cases run outside go test, as
// in "stowage check".
type TB interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
	Logf(format string, args ...any)
	Skipf(format string, args ...any)
	Cleanup(func())
	Name() string
	Context() context.Context
}

// Harness tells the suite how to get drivers and what they can do.
type Harness struct {
	// Open returns a driver rooted at root, a fresh prefix chosen by the
	// suite (letters, digits and dashes). Open is called again with the same
	// root when a case needs a second driver instance, as a second registry
	// process would have. It should fail the test (t.Fatalf) when the driver
	// cannot be opened.
	Open func(t TB, root string) driver.StorageDriver

	// ChunkSize is the adapter's upload chunk or part size, so cases can
	// write across it. Zero means 5 MiB.
	ChunkSize int64

	// LargeSize is the size of the large-stream case (Stream/Large). Zero
	// means 64 MiB, or the STOWAGE_CONFORMANCE_LARGE environment variable
	// when set: a size such as "256MiB", or "5GiB" for the 5 GiB stream of
	// distribution's driver suite (the largest single PUT S3 accepts, so
	// it proves the upload goes in parts).
	LargeSize int64

	// NoRedirect declares that RedirectURL returns "" as configured; the
	// redirect case then checks exactly that and reports itself as not
	// applicable to URL fetching.
	NoRedirect bool

	// Concurrency bounds the concurrent-writers case. Zero means 32.
	Concurrency int

	// ListPageSize is how many entries the paging case creates. Zero means
	// 1,100 (above the 1,000-key pages of S3, GCS, Azure, Swift and OSS).
	ListPageSize int

	// ModTimeSlack is how far a file's ModTime may be from the test's
	// clock. Zero means 5 minutes.
	ModTimeSlack time.Duration

	// Select, when set, keeps only the cases whose names it returns true
	// for, such as a run at a bucket's top level (no root directory) of
	// the cases about upload state.
	Select func(caseName string) bool

	// Inspector, when set, lets cases look beneath the driver at what the
	// store itself holds, to prove what the driver cannot show: that Commit
	// and Cancel leave no upload state behind, and that multipart uploads
	// keep their parts uniform. Cases that need it report themselves not
	// applicable when it is nil, so a driver without one still passes.
	Inspector *Inspector
}

// Inspector looks at the store beneath a driver, with the store's own
// client (the raw SDK, the file system, the in-memory store), never through
// the driver. Its functions fail the test (t.Fatalf) when the store cannot
// be read.
type Inspector struct {
	// Keys returns, sorted, the name of every object the store holds whose
	// name starts with root: the committed objects of the driver rooted at
	// root and all the state it keeps for uploads in progress (tails,
	// markers, segments, staged blocks, temporary files), inside the root
	// or beside it under a name that starts with root. A store with several
	// containers or buckets (such as a segments container) lists all of
	// them; a file system lists regular files by their path relative to
	// the directory holding the roots. Names need not be unique across
	// containers; cases only compare lists and count them.
	//
	// Required when Inspector is set.
	Keys func(t TB, root string) []string

	// PartSizes returns, for each multipart upload in progress whose parts
	// hold data of the upload to path (a driver path such as "/a/b") by the
	// driver rooted at root, the sizes of its stored parts in part-number
	// order, as the store's part listing reports them. It returns an empty
	// list when no upload is in progress.
	//
	// Leave it nil for a store without S3-style multipart uploads (GCS
	// compose, Azure blocks and Swift segments have no rule on part sizes);
	// the uniform-parts cases then do not apply.
	PartSizes func(t TB, root, path string) [][]int64
}

func (h Harness) chunk() int64 {
	if h.ChunkSize > 0 {
		return h.ChunkSize
	}
	return 5 << 20
}

func (h Harness) large() int64 {
	if h.LargeSize > 0 {
		return h.LargeSize
	}
	if s := os.Getenv("STOWAGE_CONFORMANCE_LARGE"); s != "" {
		if n, err := configmap.ParseSize(s); err == nil && n > 0 {
			return int64(n)
		}
		if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 {
			return n
		}
	}
	return 64 << 20
}

func (h Harness) concurrency() int {
	if h.Concurrency > 0 {
		return h.Concurrency
	}
	return 32
}

func (h Harness) listPage() int {
	if h.ListPageSize > 0 {
		return h.ListPageSize
	}
	return 1100
}

func (h Harness) slack() time.Duration {
	if h.ModTimeSlack > 0 {
		return h.ModTimeSlack
	}
	return 5 * time.Minute
}

// UploadCases is a Harness.Select that keeps the cases about uploads and
// the state they keep (Writer/, Registry/, Store/), for a second run of the
// suite in another configuration of the same driver, such as at the top of
// a bucket with no root directory, where upload state sits beside the
// registry's own top-level directories.
func UploadCases(caseName string) bool {
	for _, prefix := range []string{"Writer/", "Registry/", "Store/"} {
		if strings.HasPrefix(caseName, prefix) {
			return true
		}
	}
	return false
}

// At returns an Inspector that looks at root whatever root a case asks
// for, for a harness whose drivers all use one root (such as "", the top of
// a bucket) instead of the one the suite chose.
func (in *Inspector) At(root string) *Inspector {
	if in == nil {
		return nil
	}
	out := &Inspector{}
	if in.Keys != nil {
		out.Keys = func(t TB, _ string) []string { return in.Keys(t, root) }
	}
	if in.PartSizes != nil {
		out.PartSizes = func(t TB, _ string, path string) [][]int64 { return in.PartSizes(t, root, path) }
	}
	return out
}
