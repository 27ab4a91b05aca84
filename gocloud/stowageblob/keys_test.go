package stowageblob

import (
	"strings"
	"testing"

	stowage "github.com/stowage/stowage/driver"
)

func TestKeyPath(t *testing.T) {
	for key, want := range map[string]string{
		"docker/registry/v2/blobs/sha256/ab/data": "/docker/registry/v2/blobs/sha256/ab/data",
		"a b":                  "/a__0x20__b",
		"foo//bar":             "/foo/__0x2f__bar",
		"/lead":                "/__0x2f__lead",
		"dir/":                 "/dir__0x2f__",
		"../x/./y":             "/__0x2e__./x/__0x2e__/y",
		"x__0x41__":            "/x__0x5f__" + "_0x41__",
		".stowageblob/attrs/x": "/__0x2e__stowageblob/attrs/x",
		".stowageblob":         "/__0x2e__stowageblob",
		".stowageblobs":        "/.stowageblobs",
		"☺":                    "/__0x263a__",
		"key_a":                "/key_a",
	} {
		got, err := keyPath(key)
		if err != nil || got != want {
			t.Errorf("keyPath(%q) = %q, %v; want %q", key, got, err, want)
		}
		if !stowage.ValidPath(got) {
			t.Errorf("keyPath(%q) = %q is not a valid path", key, got)
		}
		if back := pathKey(got); back != key {
			t.Errorf("pathKey(keyPath(%q)) = %q", key, back)
		}
	}
	for _, bad := range []string{"", "\xbd\xb2"} {
		if _, err := keyPath(bad); err == nil {
			t.Errorf("keyPath(%q): no error", bad)
		}
	}
}

// FuzzKeyPath checks that every UTF-8 key maps to a valid path and back.
func FuzzKeyPath(f *testing.F) {
	for _, s := range []string{"a", "a/b", "//", "..", "__0x20__", "x/./y", ".stowageblob/", "a\x00b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, key string) {
		p, err := keyPath(key)
		if err != nil {
			return
		}
		if !stowage.ValidPath(p) {
			t.Fatalf("keyPath(%q) = %q, not a valid path", key, p)
		}
		if strings.HasPrefix(p, "/"+reserved+"/") || p == "/"+reserved {
			t.Fatalf("keyPath(%q) = %q, in the reserved tree", key, p)
		}
		if back := pathKey(p); back != key {
			t.Fatalf("pathKey(keyPath(%q)) = %q", key, back)
		}
	})
}

func TestDirPath(t *testing.T) {
	for prefix, want := range map[string]string{
		"":              "/",
		"abc":           "/",
		"a/":            "/a",
		"a/b/c":         "/a/b",
		"a b/c/":        "/a__0x20__b/c",
		"a//b":          "/a",
		"../x/":         "/",
		".stowageblob/": "/",
	} {
		if got := dirPath(prefix); got != want {
			t.Errorf("dirPath(%q) = %q, want %q", prefix, got, want)
		}
	}
}
