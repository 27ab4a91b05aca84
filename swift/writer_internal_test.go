package swift

import (
	"slices"
	"testing"
)

func TestContiguous(t *testing.T) {
	const p = "~segments/a~id/"
	seg := func(name string) segment { return segment{Name: name} }
	names := func(segs []segment) (out []string) {
		for _, s := range segs {
			out = append(out, s.Name)
		}
		slices.Sort(out)
		return out
	}
	in := []segment{seg(p + "00000002"), seg(p + "00000001"), seg(p + "00000004"), seg(p + "junk"), seg("~segments/a~other/00000003")}
	own, strays := contiguous(in, p)
	if got := []string{own[0].Name, own[1].Name}; len(own) != 2 || got[0] != p+"00000001" || got[1] != p+"00000002" {
		t.Fatalf("own = %v, want segments 1 and 2 in order", names(own))
	}
	if got := names(strays); !slices.Equal(got, []string{p + "00000004", p + "junk"}) {
		t.Fatalf("strays = %v, want segment 4 and junk", got)
	}
	if own, strays := contiguous([]segment{seg(p + "00000002")}, p); len(own) != 0 || len(strays) != 1 {
		t.Fatalf("without segment 1: own %v strays %v", names(own), names(strays))
	}
}
