package reqlog

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
)

func TestLog(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	l := &Log{Name: func(r *http.Request) string {
		if r.URL.Path == "/skip" {
			return ""
		}
		return r.Method + " " + r.URL.Path
	}}
	c := &http.Client{Transport: l}
	for _, p := range []string{"/b", "/skip", "/a"} {
		resp, err := c.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if got, want := l.Take(), []string{"GET /b", "GET /a"}; !slices.Equal(got, want) {
		t.Errorf("Take = %q, want %q (in order, /skip left out)", got, want)
	}
	if got := l.Take(); len(got) != 0 {
		t.Errorf("second Take = %q, want nothing", got)
	}
	for _, p := range []string{"/b", "/a"} {
		resp, err := c.Head(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if got, want := l.TakeSorted(), []string{"HEAD /a", "HEAD /b"}; !slices.Equal(got, want) {
		t.Errorf("TakeSorted = %q, want %q", got, want)
	}
}
