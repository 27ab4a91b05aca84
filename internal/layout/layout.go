// Package layout is the one key layout of every object-store adapter: how
// a driver path maps to an object key under the root directory, and where
// the state of uploads in progress lives.
//
// A path "/a/b" under the root directory "registry" is the key
// "registry/a/b"; with no root directory it is "a/b". The state of an
// upload to "/a/b" lives under the key prefix
//
//	registry/~uploads/a/b~
//
// inside the root, followed by names the adapter chooses ("state",
// "part-000001", ...). The rule has three properties every adapter relies
// on:
//
//   - No valid path reaches it: "~" is not among the characters of a path
//     segment, so List, Walk and Stat hide everything under the root's
//     "~uploads/" and nothing written through the driver can collide with it.
//   - It sorts last: "~" sorts after every character a path may hold, so a
//     listing in key order meets upload state only after every object.
//   - One upload's state never prefixes another's: the "~" after the path
//     ends it, so the state of "/a/b" is not found by a listing of the state
//     of "/a" and the state of "/a" not by one of "/a/b". The state of every
//     upload under a directory "/a" is under UploadsUnder("/a").
package layout

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/stowage/stowage/driver"
)

// UploadsDir is the name of the directory, inside the root, that holds the
// state of uploads in progress.
const UploadsDir = "~uploads"

// Layout maps paths to keys under one root directory.
type Layout struct {
	root string // "" or "dir/" with no leading slash
}

// New returns the layout of a root directory given as configured: leading
// and trailing slashes are ignored.
func New(rootDirectory string) Layout {
	r := strings.Trim(rootDirectory, "/")
	if r == "" {
		return Layout{}
	}
	return Layout{root: r + "/"}
}

// Root returns the key prefix of the root directory: "" or "dir/".
func (l Layout) Root() string { return l.root }

// Key returns the object key of a path; "/" gives Root.
func (l Layout) Key(path string) string {
	if path == "/" {
		return l.root
	}
	return l.root + strings.TrimPrefix(path, "/")
}

// DirPrefix returns the key prefix of everything under the directory path:
// Root for "/", otherwise Key(path) + "/".
func (l Layout) DirPrefix(path string) string {
	if path == "/" {
		return l.root
	}
	return l.Key(path) + "/"
}

// Path returns the path of a key under the root (a directory key may end
// in "/"), and false when the key is outside the root or is not a valid
// path: upload state, or an object written by other means under a name no
// driver call could use.
func (l Layout) Path(key string) (string, bool) {
	rest, ok := strings.CutPrefix(key, l.root)
	if !ok {
		return "", false
	}
	p := "/" + strings.TrimSuffix(rest, "/")
	return p, driver.ValidPath(p)
}

// Uploads returns the key prefix of all upload state under the root.
func (l Layout) Uploads() string { return l.root + UploadsDir + "/" }

// Hidden reports whether key holds upload state (is under Uploads).
func (l Layout) Hidden(key string) bool { return strings.HasPrefix(key, l.Uploads()) }

// Upload returns the key prefix of the state of the upload to path.
func (l Layout) Upload(path string) string {
	return l.Uploads() + strings.TrimPrefix(path, "/") + "~"
}

// UploadsUnder returns the key prefix of the state of every upload to a
// path under the directory dir (not dir itself: see Upload).
func (l Layout) UploadsUnder(dir string) string {
	if dir == "/" {
		return l.Uploads()
	}
	return l.Uploads() + strings.TrimPrefix(dir, "/") + "/"
}

// UploadPath returns the path whose upload state key is, and the name the
// adapter gave it after the prefix of Upload(path).
func (l Layout) UploadPath(key string) (path, name string, ok bool) {
	rest, found := strings.CutPrefix(key, l.Uploads())
	if !found {
		return "", "", false
	}
	p, name, found := strings.Cut(rest, "~")
	if !found || p == "" {
		return "", "", false
	}
	return "/" + p, name, true
}

// RootProblem says what is wrong with a configured root directory, or "".
func RootProblem(rootDirectory string) string {
	r := strings.Trim(rootDirectory, "/")
	if r == "" {
		return ""
	}
	for _, seg := range strings.Split(r, "/") {
		if seg == "" || seg == "." || seg == ".." || strings.ContainsFunc(seg, unicode.IsControl) {
			return fmt.Sprintf("must be slash-separated names without empty, . or .. segments or control characters, got %q", rootDirectory)
		}
	}
	return ""
}
