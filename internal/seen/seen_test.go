package seen

import "testing"

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
