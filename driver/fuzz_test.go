package driver_test

import (
	"strings"
	"testing"

	"github.com/stowage/stowage/driver"
)

// FuzzPath checks the path rules against their definition: ValidPath and
// CheckPath agree, a valid path is /-separated segments of
// [A-Za-z0-9._-]+ other than . and .., and Parent and Join take it apart
// and back.
func FuzzPath(f *testing.F) {
	for _, p := range []string{"/", "/a", "/a/b", "/a//b", "/a/", "a", "/.", "/..", "/a/../b", "/a-b_c.d",
		"/docker/registry/v2/blobs/sha256/ab/abcdef/data", "/é", "/a\x00b", "/ a", "//"} {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, p string) {
		valid := driver.ValidPath(p)
		err := driver.CheckPath(p)
		if valid != (err == nil) {
			t.Fatalf("ValidPath(%q) = %v but CheckPath says %v", p, valid, err)
		}
		if err != nil {
			var ipe driver.InvalidPathError
			if e, ok := err.(driver.InvalidPathError); !ok || e.Reason == "" {
				t.Fatalf("CheckPath(%q) = %#v, want an InvalidPathError with a reason", p, err)
			} else {
				ipe = e
			}
			if ipe.Path != p {
				t.Fatalf("CheckPath(%q) names path %q", p, ipe.Path)
			}
		}
		if (driver.CheckDirPath(p) == nil) != (valid || p == "/") {
			t.Fatalf("CheckDirPath(%q) = %v", p, driver.CheckDirPath(p))
		}
		if !valid {
			return
		}
		if !definition(p) {
			t.Fatalf("ValidPath(%q) accepts a path outside the rules", p)
		}
		parent := driver.Parent(p)
		name := p[strings.LastIndexByte(p, '/')+1:]
		if driver.Join(parent, name) != p {
			t.Fatalf("Join(Parent(%q)=%q, %q) = %q", p, parent, name, driver.Join(parent, name))
		}
		if parent != "/" && !driver.ValidPath(parent) {
			t.Fatalf("Parent(%q) = %q is not a valid path", p, parent)
		}
		if !strings.HasPrefix(p, driver.DirPrefix(parent)) {
			t.Fatalf("%q is not under DirPrefix(%q)", p, parent)
		}
	})
}

// definition is the path rule written out plainly.
func definition(p string) bool {
	if !strings.HasPrefix(p, "/") {
		return false
	}
	for _, seg := range strings.Split(p[1:], "/") {
		if seg == "" || seg == "." || seg == ".." {
			return false
		}
		for _, c := range seg {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
				return false
			}
		}
	}
	return true
}
