package distribution_test

import (
	"flag"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	storagedriver "github.com/distribution/distribution/v3/registry/storage/driver"
	"github.com/distribution/distribution/v3/registry/storage/driver/testsuites"
)

// largeStreamCase is the case of distribution's suite that writes and reads
// 5 GiB (skipped by distribution itself with -short).
const largeStreamCase = "TestWriteReadLargeStreams"

// runSuite runs distribution's own driver suite, every case, on the
// backend's driver in a fresh area, opened through distribution's factory
// as a registry opens it.
//
// Without -short the suite runs at full size: TestWriteReadLargeStreams
// writes and reads 5 GiB, TestConcurrentFileStreams 32 streams of 32 MiB,
// TestConcurrentStreamReads a 128 MiB object. The 5 GiB case runs where
// the server keeps its data on disk (filesystem, MinIO, Swift). fake-gcs-
// server (-backend memory), Azurite (--inMemoryPersistence), oss/osstest
// (in the test process) and inmemory hold every byte in memory, several
// copies of it while a multipart or block upload is assembled: 5 GiB there
// does not fit this 2-core, 24 GiB machine shared with other test runs. On
// those the suite runs every other case at full size, through testify's
// -testify.m method filter, and logs that the case was left out.
func runSuite(t *testing.T, b backend) {
	constructor := func() (storagedriver.StorageDriver, error) {
		return b.open(t, root("suite")), nil
	}
	if !b.large && !testing.Short() {
		t.Logf("%s: %s (5 GiB) left out: the %s server holds its data in memory; every other case runs at full size", b.name, largeStreamCase, b.name)
		restore := setSuiteFilter(t, largeStreamCase)
		defer restore()
	}
	testsuites.Driver(t, constructor, false)
}

// setSuiteFilter sets testify's -testify.m flag to select every case of
// distribution's DriverSuite except the ones named (and, when -testify.m
// was given, only the cases it selects), and returns a function that puts
// the flag back.
func setSuiteFilter(t *testing.T, except ...string) (restore func()) {
	t.Helper()
	f := flag.Lookup("testify.m")
	if f == nil {
		t.Fatal("testify's -testify.m flag is not defined")
	}
	old := f.Value.String()
	var user *regexp.Regexp
	if old != "" {
		user = regexp.MustCompile(old)
	}
	var names []string
	typ := reflect.TypeFor[*testsuites.DriverSuite]()
	for i := range typ.NumMethod() {
		n := typ.Method(i).Name
		if !strings.HasPrefix(n, "Test") || slices.Contains(except, n) {
			continue
		}
		if user != nil && !user.MatchString(n) {
			continue
		}
		names = append(names, regexp.QuoteMeta(n))
	}
	re := "^(" + strings.Join(names, "|") + ")$"
	if len(names) == 0 {
		re = "^$"
	}
	if err := f.Value.Set(re); err != nil {
		t.Fatal(err)
	}
	return func() { _ = f.Value.Set(old) }
}
