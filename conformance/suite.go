package conformance

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"runtime/debug"
	"testing"
	"time"

	"github.com/stowage/stowage/driver"
)

// Case is one conformance case.
type Case struct {
	// Name is the subtest name, such as "PutContent/Empty".
	Name string
	run  caseFunc
}

// Cases returns the suite's cases in order.
func Cases() []Case {
	var all []Case
	for _, group := range [][]Case{
		pathCases(), contentCases(), streamCases(), readerCases(), writerCases(),
		statCases(), listCases(), moveCases(), deleteCases(), redirectCases(),
		walkCases(), concurrencyCases(), registryCases(), storeCases(),
	} {
		all = append(all, group...)
	}
	return all
}

// Run runs every case (those Harness.Select keeps, when set) as a subtest
// of t.
func Run(t *testing.T, h Harness) {
	t.Helper()
	if h.Open == nil {
		t.Fatal("conformance: Harness.Open is nil")
	}
	for _, c := range Cases() {
		if h.Select != nil && !h.Select(c.Name) {
			continue
		}
		t.Run(c.Name, func(t *testing.T) { runCase(t, h, c) })
	}
}

// runCase runs one case on a fresh root. The driver is wrapped in
// driver.Base if it is not (the suite checks the contract as a registry
// sees it, paths validated and errors named by Base), and a panic in the
// case is reported as the case's failure instead of ending the test binary.
func runCase(t TB, h Harness, c Case) {
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("panic in %s: %v\n%s", c.Name, r, debug.Stack())
		}
	}()
	root := newRoot()
	d := h.Open(t, root)
	if _, ok := d.(*driver.Base); !ok {
		d = driver.Wrap(d)
	}
	t.Cleanup(func() {
		cleanRoot(t, d)
		expectEmptyRoot(t, d)
	})
	c.run(t, h, d, root)
}

func newRoot() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return "conformance-" + hex.EncodeToString(b[:])
}

// cleanRoot deletes everything under the driver's root. It runs after the
// test's context is cancelled, so it uses its own.
func cleanRoot(t TB, d driver.StorageDriver) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	children, err := d.List(ctx, "/")
	if err != nil {
		if !driver.IsNotFound(err) {
			t.Logf("cleanup: list /: %v", err)
		}
		return
	}
	for _, c := range children {
		if err := d.Delete(ctx, c); err != nil && !driver.IsNotFound(err) {
			t.Logf("cleanup: delete %s: %v", c, err)
		}
	}
}

// expectEmptyRoot fails the case when deleting every entry of the root
// left any behind, as distribution's driver suite checks after each test.
func expectEmptyRoot(t TB, d driver.StorageDriver) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	left, err := d.List(ctx, "/")
	if err != nil && !driver.IsNotFound(err) {
		t.Errorf("after cleanup: List(/): %v", err)
		return
	}
	if len(left) > 0 {
		t.Errorf("after cleanup, which deletes every entry List(/) gave, List(/) still gives %v: Delete left them (or List shows what is not there)", left)
	}
}

// caseFunc is the body of a case: d is rooted at root.
type caseFunc = func(t TB, h Harness, d driver.StorageDriver, root string)
