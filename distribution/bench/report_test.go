package bench

import (
	"fmt"
	"testing"
)

// TestReplace checks how the measurements of several runs are merged (the
// figures of docs/performance.md): a later run's workload replaces the
// earlier run's whole, every slot of it, in its place; a slot the later
// run left out is not kept from the earlier one.
func TestReplace(t *testing.T) {
	r := func(p, w, slot string, s float64) Result {
		return Result{Provider: p, Latency: "0s", Workload: w, Slot: slot, Seconds: []float64{s}}
	}
	base := []Result{
		r("s3", "writer", Stowage, 1), r("s3", "writer", Again, 1), r("s3", "writer", SDK, 1),
		r("s3", "walk", Stowage, 1), r("s3", "walk", SDK, 1),
		r("azure", "writer", Stowage, 1),
	}
	newer := []Result{
		r("s3", "writer", Stowage, 2), r("s3", "commit", Stowage, 2), // commit, new, goes after writer
		r("s3", "walk", Stowage, 2), r("s3", "walk", Reference, 2),
		r("gcs", "walk", Stowage, 2),     // new provider: last
		r("azure", "delete", Stowage, 2), // new, first of its run: after azure's last
	}
	got := fmt.Sprint(Replace(base, newer))
	want := fmt.Sprint([]Result{
		r("s3", "writer", Stowage, 2), r("s3", "commit", Stowage, 2),
		r("s3", "walk", Stowage, 2), r("s3", "walk", Reference, 2),
		r("azure", "writer", Stowage, 1), r("azure", "delete", Stowage, 2),
		r("gcs", "walk", Stowage, 2),
	})
	if got != want {
		t.Errorf("Replace:\n got %s\nwant %s", got, want)
	}
}
