package onewrite

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// opaque hides the type of a reader from net/http, as an SDK's
// checksumming reader does.
type opaque struct{ r io.Reader }

func (o opaque) Read(p []byte) (int, error) { return o.r.Read(p) }

// BenchmarkSmallPut is a 1 KiB PUT whose body net/http cannot see is in
// memory, through http.Transport alone and through Transport, against a
// server on 127.0.0.1.
func BenchmarkSmallPut(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
	}))
	defer srv.Close()
	body := bytes.Repeat([]byte("x"), 1024)
	base := http.DefaultTransport.(*http.Transport).Clone()
	defer base.CloseIdleConnections()
	for _, c := range []struct {
		name string
		rt   http.RoundTripper
	}{
		{"http.Transport", base},
		{"onewrite.Transport", Transport{Next: base}},
	} {
		b.Run(c.name, func(b *testing.B) {
			client := &http.Client{Transport: c.rt}
			b.ReportAllocs()
			for b.Loop() {
				req, err := http.NewRequest(http.MethodPut, srv.URL+"/k", io.NopCloser(opaque{bytes.NewReader(body)}))
				if err != nil {
					b.Fatal(err)
				}
				req.ContentLength = int64(len(body))
				resp, err := client.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		})
	}
}
