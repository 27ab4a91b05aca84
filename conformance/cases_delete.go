package conformance

import (
	"strconv"

	"github.com/stowage/stowage/driver"
)

func deleteCases() []Case {
	return []Case{
		{Name: "Delete/File", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			mustPut(t, d, "/d/file", []byte("x"))
			mustPut(t, d, "/d/other", []byte("y"))
			if err := d.Delete(t.Context(), "/d/file"); err != nil {
				t.Fatalf("Delete: %v", err)
			}
			_, err := d.Stat(t.Context(), "/d/file")
			expectNotFound(t, "Stat(deleted file)", err)
			expectContent(t, d, "/d/other", []byte("y"))
		}},
		{Name: "Delete/Directory", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			paths := []string{"/d/x/a", "/d/x/b/c", "/d/x/b/d/e", "/d/x/f"}
			putMany(t, d, paths, 4)
			mustPut(t, d, "/d/keep", []byte("k"))
			if err := d.Delete(t.Context(), "/d/x"); err != nil {
				t.Fatalf("Delete(/d/x): %v", err)
			}
			for _, p := range append(paths, "/d/x", "/d/x/b") {
				_, err := d.Stat(t.Context(), p)
				expectNotFound(t, "Stat("+p+") after deleting /d/x", err)
			}
			expectContent(t, d, "/d/keep", []byte("k"))
		}},
		{Name: "Delete/PrefixSiblingUntouched", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			mustPut(t, d, "/a/child", []byte("c"))
			mustPut(t, d, "/ab", []byte("ab"))
			mustPut(t, d, "/abc/child", []byte("abc"))
			mustPut(t, d, "/a-b", []byte("a-b"))
			if err := d.Delete(t.Context(), "/a"); err != nil {
				t.Fatalf("Delete(/a): %v", err)
			}
			expectContent(t, d, "/ab", []byte("ab"))
			expectContent(t, d, "/abc/child", []byte("abc"))
			expectContent(t, d, "/a-b", []byte("a-b"))
			_, err := d.Stat(t.Context(), "/a/child")
			expectNotFound(t, "Stat(/a/child)", err)
		}},
		{Name: "Delete/Missing", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			mustPut(t, d, "/d/file", []byte("x"))
			expectNotFound(t, "Delete(/missing)", d.Delete(t.Context(), "/missing"))
			expectNotFound(t, "Delete(/d/fil)", d.Delete(t.Context(), "/d/fil"))
			expectContent(t, d, "/d/file", []byte("x"))
		}},
		{Name: "Delete/ManyFiles", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			n := h.listPage()
			paths := make([]string, n)
			for i := range n {
				paths[i] = "/many/" + string(rune('a'+i%5)) + "/f" + strconv.Itoa(i)
			}
			putMany(t, d, paths, h.concurrency())
			if err := d.Delete(t.Context(), "/many"); err != nil {
				t.Fatalf("Delete(/many): %v", err)
			}
			_, err := d.List(t.Context(), "/many")
			expectNotFound(t, "List(/many) after Delete", err)
		}},
	}
}
