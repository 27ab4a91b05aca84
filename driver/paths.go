package driver

import (
	"regexp"
	"strings"
)

var pathRegexp = regexp.MustCompile(`^(/[A-Za-z0-9._-]+)+$`)

// CheckPath reports whether p is a valid object path. It returns an
// InvalidPathError naming what is wrong, or nil.
func CheckPath(p string) error {
	if !pathRegexp.MatchString(p) {
		reason := "must be one or more segments of /[A-Za-z0-9._-]+"
		switch {
		case p == "":
			reason = "empty path"
		case p == "/":
			reason = `"/" is only valid for Stat, List and Walk`
		case !strings.HasPrefix(p, "/"):
			reason = "must start with /"
		case strings.HasSuffix(p, "/"):
			reason = "must not end with /"
		case strings.Contains(p, "//"):
			reason = "empty segment"
		}
		return InvalidPathError{Path: p, Reason: reason}
	}
	for _, seg := range strings.Split(p[1:], "/") {
		if seg == "." || seg == ".." {
			return InvalidPathError{Path: p, Reason: "segments . and .. are not allowed"}
		}
	}
	return nil
}

// CheckDirPath is CheckPath that also accepts "/".
func CheckDirPath(p string) error {
	if p == "/" {
		return nil
	}
	return CheckPath(p)
}

// Parent returns the parent directory of a valid path ("/" for a top-level
// path).
func Parent(p string) string {
	i := strings.LastIndexByte(p, '/')
	if i <= 0 {
		return "/"
	}
	return p[:i]
}

// Join joins a directory path and a child name.
func Join(dir, name string) string {
	if dir == "/" {
		return "/" + name
	}
	return dir + "/" + name
}

// DirPrefix returns the prefix that every path under dir starts with: "/" for
// "/" and dir + "/" otherwise.
func DirPrefix(dir string) string {
	if dir == "/" {
		return "/"
	}
	return dir + "/"
}
