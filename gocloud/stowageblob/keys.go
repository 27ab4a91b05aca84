package stowageblob

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// reserved is the first segment of the paths the package keeps for itself:
// the attributes of blobs and the trash of single-object deletes. A key
// that starts with it is escaped, so no key reaches them.
const reserved = ".stowageblob"

var errBadKey = errors.New("stowageblob: a key must be a non-empty UTF-8 string")

// keyPath returns the stowage path of a Go CDK key: "/" + the key, with
// every rune outside [A-Za-z0-9._-/] hex-escaped as "__0x<hex>__" (the
// form of the Go CDK's own fileblob and s3blob escapes), and so are a "/"
// that would start an empty segment (a leading, doubled or trailing
// slash), the first "." of a "." or ".." segment, the first "_" of
// every "__0x", and the first rune of a key in the
// reserved tree. Keys made of [A-Za-z0-9._-] segments map to themselves:
// "docker/registry/v2/blobs" is the path "/docker/registry/v2/blobs".
func keyPath(key string) (string, error) {
	if key == "" || !utf8.ValidString(key) {
		return "", errBadKey
	}
	r := []rune(key)
	var b strings.Builder
	b.Grow(len(key) + 1)
	b.WriteByte('/')
	segStart := 0
	for i, c := range r {
		if c == '/' {
			segStart = i + 1
		}
		if escapeRune(r, i, segStart) {
			fmt.Fprintf(&b, "__%#x__", c)
		} else {
			b.WriteRune(c)
		}
	}
	return b.String(), nil
}

// escapeRune reports whether r[i], in the segment starting at segStart,
// is escaped.
func escapeRune(r []rune, i, segStart int) bool {
	c := r[i]
	switch {
	case c == '/':
		return i == 0 || r[i-1] == '/' || i == len(r)-1
	case c == '.':
		if i == segStart {
			end := segStart
			for end < len(r) && r[end] != '/' {
				end++
			}
			if seg := string(r[segStart:end]); seg == "." || seg == ".." {
				return true
			}
		}
	case c == '_':
		// Any "__0x" of the key: a literal one left as is could read as
		// an escape together with what follows it (such as an escaped
		// rune's "__").
		if i+4 <= len(r) && string(r[i:i+4]) == "__0x" {
			return true
		}
	case !plain(c):
		return true
	}
	if i == 0 && strings.HasPrefix(string(r), reserved) {
		rest := string(r[len([]rune(reserved)):])
		return rest == "" || rest[0] == '/'
	}
	return false
}

// plain reports whether c may stand unescaped in a path segment.
func plain(c rune) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-'
}

// pathKey returns the Go CDK key of a stowage path: keyPath reversed.
func pathKey(path string) string {
	r := []rune(strings.TrimPrefix(path, "/"))
	var b strings.Builder
	b.Grow(len(r))
	for i := 0; i < len(r); i++ {
		if c, end, ok := unescapeAt(r, i); ok {
			b.WriteRune(c)
			i = end
			continue
		}
		b.WriteRune(r[i])
	}
	return b.String()
}

// unescapeAt parses an escape "__0x<hex>__" starting at r[i]: the rune, the
// index of its last character, and whether there is one.
func unescapeAt(r []rune, i int) (rune, int, bool) {
	if i+4 > len(r) || string(r[i:i+4]) != "__0x" {
		return 0, 0, false
	}
	j := i + 4
	for j < len(r) && r[j] != '_' {
		j++
	}
	if j+1 >= len(r) || r[j+1] != '_' {
		return 0, 0, false
	}
	n, err := strconv.ParseInt(string(r[i+4:j]), 16, 32)
	if err != nil {
		return 0, 0, false
	}
	return rune(n), j + 1, true
}

// dirPath returns the path of the deepest directory that holds every key
// with prefix: the prefix's whole segments before its last "/", as far as
// they escape alone (non-empty, not "." or "..", not the reserved tree).
func dirPath(prefix string) string {
	i := strings.LastIndexByte(prefix, '/')
	if i <= 0 {
		return "/"
	}
	segs := strings.Split(prefix[:i], "/")
	var whole []string
	for n, s := range segs {
		if s == "" || s == "." || s == ".." || (n == 0 && s == reserved) {
			break
		}
		whole = append(whole, s)
	}
	if len(whole) == 0 {
		return "/"
	}
	p, err := keyPath(strings.Join(whole, "/"))
	if err != nil {
		return "/"
	}
	return p
}
