package conformance

import (
	"bytes"
	"net/http/httptest"

	"github.com/stowage/stowage/driver"
)

var invalidPaths = []string{
	"", "a", "a/b", "/a/", "//a", "/a//b", "/a b", "/a\x00b", "/ü", "/a/../b", "/..", "/.", "/a?b", "/a#b", "/a%2fb",
}

func pathCases() []Case {
	return []Case{
		{Name: "Paths/InvalidRejectedBeforeRequest", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			ctx := t.Context()
			for _, p := range invalidPaths {
				_, err := d.GetContent(ctx, p)
				expectInvalidPath(t, "GetContent("+quote(p)+")", err)
				expectInvalidPath(t, "PutContent("+quote(p)+")", d.PutContent(ctx, p, []byte("x")))
				_, err = d.Reader(ctx, p, 0)
				expectInvalidPath(t, "Reader("+quote(p)+")", err)
				_, err = d.Writer(ctx, p, false)
				expectInvalidPath(t, "Writer("+quote(p)+")", err)
				_, err = d.Stat(ctx, p)
				expectInvalidPath(t, "Stat("+quote(p)+")", err)
				_, err = d.List(ctx, p)
				expectInvalidPath(t, "List("+quote(p)+")", err)
				expectInvalidPath(t, "Move(valid, "+quote(p)+")", d.Move(ctx, "/valid", p))
				expectInvalidPath(t, "Move("+quote(p)+", valid)", d.Move(ctx, p, "/valid"))
				expectInvalidPath(t, "Delete("+quote(p)+")", d.Delete(ctx, p))
				_, err = d.RedirectURL(httptest.NewRequest("GET", "/", nil), p)
				expectInvalidPath(t, "RedirectURL("+quote(p)+")", err)
				expectInvalidPath(t, "Walk("+quote(p)+")", d.Walk(ctx, p, func(driver.FileInfo) error { return nil }))
			}
			// "/" is a directory: valid for Stat, List and Walk only.
			expectInvalidPath(t, `PutContent("/")`, d.PutContent(ctx, "/", nil))
			expectInvalidPath(t, `Delete("/")`, d.Delete(ctx, "/"))
		}},
		{Name: "Paths/ValidCharacters", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			for _, p := range []string{"/a", "/A-Z_a.z", "/0/1/2/3/4/5/6/7/8/9", "/.hidden", "/x..y", "/-dash", "/_underscore/sha256/ab/abcdef0123456789/data",
				"/a--b", "/a-.b", "/abc./abc", "/_.abc", "/123.abc", "/abc/1.2.3.4.5-6_zyx/123.z/4", "/Docker/docker-registry"} {
				content := []byte("content of " + p)
				mustPut(t, d, p, content)
				expectContent(t, d, p, content)
			}
		}},
	}
}

func quote(s string) string {
	var b bytes.Buffer
	b.WriteByte('"')
	for _, r := range s {
		if r < 0x20 {
			b.WriteString(`\x00`)
			continue
		}
		b.WriteRune(r)
	}
	b.WriteByte('"')
	return b.String()
}
