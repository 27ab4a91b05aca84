package onewrite

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// countingConn counts the writes of a client connection.
type countingConn struct {
	net.Conn
	writes *atomic.Int32
}

func (c countingConn) Write(p []byte) (int, error) {
	c.writes.Add(1)
	return c.Conn.Write(p)
}

// TestOneWrite checks that the headers and a small body of a type net/http
// cannot see into go out in one write of the connection, and that without
// Transport they take two (so that the test shows what it measures).
func TestOneWrite(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
	}))
	defer srv.Close()
	body := strings.Repeat("b", 1000)
	for _, c := range []struct {
		name   string
		wrap   func(*http.Client) Doer
		writes int32
	}{
		{"http.Client", func(c *http.Client) Doer { return c }, 2},
		{"Transport", func(c *http.Client) Doer { return &http.Client{Transport: Transport{Next: c.Transport}} }, 1},
		{"Client", func(c *http.Client) Doer { return Client(c) }, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			var writes atomic.Int32
			tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				conn, err := (&net.Dialer{}).DialContext(ctx, network, addr)
				return countingConn{conn, &writes}, err
			}}
			defer tr.CloseIdleConnections()
			req, err := http.NewRequest(http.MethodPut, srv.URL+"/k", io.NopCloser(opaque{strings.NewReader(body)}))
			if err != nil {
				t.Fatal(err)
			}
			req.ContentLength = int64(len(body))
			resp, err := c.wrap(&http.Client{Transport: tr}).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if got := writes.Load(); got != c.writes {
				t.Errorf("the request took %d writes, want %d", got, c.writes)
			}
		})
	}
}

// TestLengthMismatch checks that a body shorter or longer than its
// ContentLength fails as net/http fails it, before anything is sent.
func TestLengthMismatch(t *testing.T) {
	for _, c := range []struct {
		body string
		n    int64
		want string
	}{
		{"short", 10, "ContentLength=10 with Body length 5"},
		{"longer than said", 4, "ContentLength=4 with a longer Body"},
	} {
		req, err := http.NewRequest(http.MethodPut, "http://127.0.0.1:1/k", io.NopCloser(opaque{strings.NewReader(c.body)}))
		if err != nil {
			t.Fatal(err)
		}
		req.ContentLength = c.n
		_, err = Transport{Next: failing{t}}.RoundTrip(req)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("body %q, ContentLength %d: error %v, want %q", c.body, c.n, err, c.want)
		}
	}
}

type failing struct{ t *testing.T }

func (f failing) RoundTrip(*http.Request) (*http.Response, error) {
	f.t.Error("a request was sent")
	return nil, io.ErrUnexpectedEOF
}

// TestLeftAlone checks that a body longer than Limit or of unknown length
// goes to the next transport as it is, and that a small one goes as a copy
// that can be read again (GetBody), the caller's request untouched.
func TestLeftAlone(t *testing.T) {
	var sent *http.Request
	next := roundTripper(func(r *http.Request) (*http.Response, error) {
		sent = r
		return &http.Response{StatusCode: 200, Body: http.NoBody, Request: r}, nil
	})
	big := opaque{bytes.NewReader(make([]byte, Limit+1))}
	for _, c := range []struct {
		name string
		body io.Reader
		n    int64
	}{{"longer than Limit", big, Limit + 1}, {"unknown length", big, -1}} {
		req, _ := http.NewRequest(http.MethodPut, "http://127.0.0.1:1/k", io.NopCloser(c.body))
		req.ContentLength = c.n
		if _, err := (Transport{Next: next}).RoundTrip(req); err != nil {
			t.Fatal(err)
		}
		if sent != req {
			t.Errorf("%s: the request was replaced", c.name)
		}
	}
	orig := io.NopCloser(opaque{strings.NewReader("small")})
	req, _ := http.NewRequest(http.MethodPut, "http://127.0.0.1:1/k", orig)
	req.ContentLength = 5
	if _, err := (Transport{Next: next}).RoundTrip(req); err != nil {
		t.Fatal(err)
	}
	if sent == req || req.Body != orig {
		t.Fatal("a small body: the caller's request was changed or not copied")
	}
	for range 2 {
		b, _ := sent.GetBody()
		if got, _ := io.ReadAll(b); string(got) != "small" {
			t.Errorf("GetBody gives %q", got)
		}
	}
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
