package seen

import (
	"testing"
	"time"
)

func TestObjects(t *testing.T) {
	o := New(2)
	o.Saw("a", 1, `"x"`)
	o.Saw("b", 2, `"y"`)
	if got, ok := o.Get("a"); !ok || got != (Object{Size: 1, ETag: `"x"`}) {
		t.Fatalf("Get(a) = %v, %v", got, ok)
	}
	o.Saw("c", 3, `"z"`) // b is the least recently used
	if _, ok := o.Get("b"); ok {
		t.Error("b still remembered beyond the capacity")
	}
	o.Saw("a", 4, "") // a store that gives no ETag: nothing to copy on condition of
	if _, ok := o.Get("a"); ok {
		t.Error("a remembered with no ETag")
	}
	o.Forget("c")
	if _, ok := o.Get("c"); ok {
		t.Error("c remembered after Forget")
	}
}

func TestAbsences(t *testing.T) {
	a := NewAbsences(2)
	now := time.Unix(1000, 0)
	a.now = func() time.Time { return now }
	a.Saw("a")
	if !a.Recent("a") {
		t.Fatal("a not recent just after Saw")
	}
	if a.Recent("b") {
		t.Fatal("b recent though never seen")
	}
	now = now.Add(AbsentFor - time.Millisecond)
	if !a.Recent("a") {
		t.Fatal("a not recent within AbsentFor")
	}
	now = now.Add(time.Millisecond)
	if a.Recent("a") {
		t.Fatal("a still recent after AbsentFor")
	}
	a.Saw("a")
	a.Forget("a")
	if a.Recent("a") {
		t.Fatal("a recent after Forget")
	}
	a.Saw("a")
	a.Saw("b")
	a.Saw("c") // a is the least recently used
	if a.Recent("a") {
		t.Error("a still remembered beyond the capacity")
	}
}
