package conformance

import (
	"github.com/stowage/stowage/driver"
)

func contentCases() []Case {
	roundTrip := func(content []byte) caseFunc {
		return func(t TB, h Harness, d driver.StorageDriver, root string) {
			mustPut(t, d, "/content/file", content)
			expectContent(t, d, "/content/file", content)
			fi, err := d.Stat(t.Context(), "/content/file")
			if err != nil {
				t.Fatalf("Stat: %v", err)
			}
			if fi.Size() != int64(len(content)) || fi.IsDir() {
				t.Fatalf("Stat: size %d dir %v, want size %d file", fi.Size(), fi.IsDir(), len(content))
			}
		}
	}
	return []Case{
		{Name: "PutContent/Empty", run: roundTrip([]byte{})},
		{Name: "PutContent/OneByte", run: roundTrip([]byte{'x'})},
		{Name: "PutContent/Unicode", run: roundTrip([]byte("Ünïcødé ✓ 日本語 🚢"))},
		{Name: "PutContent/NonUTF8", run: roundTrip([]byte{0xff, 0xfe, 0x00, 0x80, 0xc3, 0x28, 0xa0, 0xa1})},
		{Name: "PutContent/OneMiB", run: roundTrip(randomBytes(1 << 20))},
		{Name: "PutContent/ShorterOverwriteTruncates", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			mustPut(t, d, "/f", randomBytes(1<<20))
			short := []byte("short")
			mustPut(t, d, "/f", short)
			expectContent(t, d, "/f", short)
			if fi, err := d.Stat(t.Context(), "/f"); err != nil || fi.Size() != int64(len(short)) {
				t.Fatalf("Stat after a shorter overwrite: %v, %v; want size %d", fi, err, len(short))
			}
		}},
		{Name: "PutContent/RepeatedOverwrites", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			var last []byte
			for i := range 10 {
				last = randomBytes(int64(100 + i*37))
				mustPut(t, d, "/f", last)
			}
			expectContent(t, d, "/f", last)
		}},
		{Name: "GetContent/Missing", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			_, err := d.GetContent(t.Context(), "/missing/file")
			expectNotFound(t, "GetContent(/missing/file)", err)
		}},
		{Name: "GetContent/DirectoryIsNotAFile", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			mustPut(t, d, "/dir/file", []byte("x"))
			_, err := d.GetContent(t.Context(), "/dir")
			expectNotFound(t, "GetContent(/dir)", err)
		}},
	}
}
