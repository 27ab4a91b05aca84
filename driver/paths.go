package driver

import (
	"strings"
)

// ValidPath reports whether p is a valid object path: one or more segments
// of /[A-Za-z0-9._-]+, none of them "." or "..". It is CheckPath without the
// error, cheap enough to run on every key of a listing.
func ValidPath(p string) bool {
	if len(p) < 2 || p[0] != '/' {
		return false
	}
	start := 1 // of the current segment
	for i := 1; i <= len(p); i++ {
		if i == len(p) || p[i] == '/' {
			seg := p[start:i]
			if seg == "" || seg == "." || seg == ".." {
				return false
			}
			start = i + 1
			continue
		}
		c := p[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// CheckPath reports whether p is a valid object path. It returns an
// InvalidPathError naming what is wrong, or nil.
func CheckPath(p string) error {
	if !ValidPath(p) {
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
		case strings.Contains(p+"/", "/./") || strings.Contains(p+"/", "/../"):
			reason = "segments . and .. are not allowed"
		}
		return InvalidPathError{Path: p, Reason: reason}
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
