package conformance

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"

	"github.com/stowage/stowage/driver"
)

func redirectCases() []Case {
	return []Case{
		{Name: "RedirectURL/GetAndHead", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			data := randomBytes(10_000)
			mustPut(t, d, "/redir/blob", data)
			get := httptest.NewRequest(http.MethodGet, "/v2/x/blobs/sha256:0", nil).WithContext(t.Context())
			u, err := d.RedirectURL(get, "/redir/blob")
			if err != nil {
				t.Fatalf("RedirectURL: %v", err)
			}
			if h.NoRedirect {
				if u != "" {
					t.Fatalf("harness declares no redirects, RedirectURL returned %q", u)
				}
				t.Skipf("not applicable: the driver is configured without redirect URLs")
			}
			if u == "" {
				t.Fatalf(`RedirectURL returned "" but the harness declares redirects (set Harness.NoRedirect)`)
			}
			client := &http.Client{}
			resp, err := client.Get(u)
			if err != nil {
				t.Fatalf("GET redirect URL: %v", err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || !bytes.Equal(body, data) {
				t.Fatalf("GET redirect URL: status %d, %d bytes, want 200 and %d bytes", resp.StatusCode, len(body), len(data))
			}
			head := httptest.NewRequest(http.MethodHead, "/v2/x/blobs/sha256:0", nil).WithContext(t.Context())
			hu, err := d.RedirectURL(head, "/redir/blob")
			if err != nil || hu == "" {
				t.Fatalf("RedirectURL for HEAD: %q, %v", hu, err)
			}
			resp, err = client.Head(hu)
			if err != nil {
				t.Fatalf("HEAD redirect URL: %v", err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Length") != strconv.Itoa(len(data)) {
				t.Fatalf("HEAD redirect URL: status %d, Content-Length %q, want 200 and %d", resp.StatusCode, resp.Header.Get("Content-Length"), len(data))
			}
		}},
	}
}
