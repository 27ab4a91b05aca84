package layout

import (
	"strings"
	"testing"
)

func TestKeys(t *testing.T) {
	for _, root := range []string{"", "/", "registry", "/a/b/"} {
		l := New(root)
		r := strings.Trim(root, "/")
		if r != "" {
			r += "/"
		}
		if l.Root() != r || l.Key("/") != r || l.DirPrefix("/") != r {
			t.Errorf("root %q: Root %q Key(/) %q DirPrefix(/) %q, want %q", root, l.Root(), l.Key("/"), l.DirPrefix("/"), r)
		}
		if got := l.Key("/x/y"); got != r+"x/y" {
			t.Errorf("root %q: Key(/x/y) = %q", root, got)
		}
		if got := l.DirPrefix("/x"); got != r+"x/" {
			t.Errorf("root %q: DirPrefix(/x) = %q", root, got)
		}
		for _, key := range []string{r + "x/y", r + "x/"} {
			if p, ok := l.Path(key); !ok || !strings.HasPrefix(p, "/x") {
				t.Errorf("root %q: Path(%q) = %q, %v", root, key, p, ok)
			}
		}
		for _, key := range []string{r + "~uploads/x~state", r + ".stowage uploads/a/b", r, "elsewhere/x/" + r} {
			if p, ok := l.Path(key); ok && r != "" {
				t.Errorf("root %q: Path(%q) = %q, want hidden", root, key, p)
			}
		}
		up := l.Upload("/a/b")
		if up != r+"~uploads/a/b~" || !l.Hidden(up+"state") {
			t.Errorf("root %q: Upload(/a/b) = %q", root, up)
		}
		if p, name, ok := l.UploadPath(up + "part-000001"); !ok || p != "/a/b" || name != "part-000001" {
			t.Errorf("root %q: UploadPath = %q %q %v", root, p, name, ok)
		}
		// One upload's state never prefixes another's.
		for _, other := range []string{"/a", "/a/b/c", "/a/b-c", "/a/bc"} {
			if strings.HasPrefix(l.Upload(other), up) || strings.HasPrefix(up, l.Upload(other)) {
				t.Errorf("root %q: upload prefixes of /a/b and %s overlap", root, other)
			}
		}
		if !strings.HasPrefix(l.Upload("/a/b/c"), l.UploadsUnder("/a")) || strings.HasPrefix(l.Upload("/ab"), l.UploadsUnder("/a")) {
			t.Errorf("root %q: UploadsUnder(/a) = %q", root, l.UploadsUnder("/a"))
		}
	}
}
