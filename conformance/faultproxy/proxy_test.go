package faultproxy_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stowage/stowage/conformance/faultproxy"
)

// backend is the server behind the proxy in these tests: GET returns 1 MiB,
// PUT stores the body and answers its length, /redirect answers a Location
// of its own URL, and every response echoes the Host it received.
type backend struct {
	srv  *httptest.Server
	puts atomic.Int64
	body []byte
}

func startBackend(t *testing.T) *backend {
	b := &backend{body: bytes.Repeat([]byte("0123456789abcdef"), 1<<16)}
	b.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Host", r.Host)
		switch {
		case r.URL.Path == "/redirect":
			w.Header().Set("Location", b.srv.URL+"/upload?id=1")
			w.WriteHeader(http.StatusCreated)
		case r.Method == http.MethodPut:
			n, err := io.Copy(io.Discard, r.Body)
			if err != nil {
				return
			}
			b.puts.Add(1)
			_, _ = io.WriteString(w, strings.Repeat("x", int(n%100)))
		case r.Method == http.MethodDelete:
			w.WriteHeader(http.StatusNoContent)
		default:
			_, _ = w.Write(b.body)
		}
	}))
	t.Cleanup(b.srv.Close)
	return b
}

func start(t *testing.T, cfg faultproxy.Config) *faultproxy.Proxy {
	t.Helper()
	p, err := faultproxy.Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Close() })
	return p
}

func only(f faultproxy.Fault) func(*http.Request) faultproxy.Fault {
	return func(*http.Request) faultproxy.Fault { return f }
}

func get(t *testing.T, url string) (*http.Response, []byte, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return resp, data, err
}

func TestPassThrough(t *testing.T) {
	b := startBackend(t)
	p := start(t, faultproxy.Config{Target: b.srv.URL})
	resp, data, err := get(t, p.URL()+"/obj")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, b.body) {
		t.Fatalf("body: got %d bytes, want %d", len(data), len(b.body))
	}
	if got := resp.Header.Get("X-Host"); got != p.Host() {
		t.Errorf("the server saw Host %q, want the proxy's %q (forwarded as received)", got, p.Host())
	}
	resp, _, err = get(t, p.URL()+"/redirect")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := resp.Header.Get("Location"), p.URL()+"/upload?id=1"; got != want {
		t.Errorf("Location = %q, want %q (the server's URL rewritten to the proxy's)", got, want)
	}
	if s := p.Stats(); s.Requests != 2 || s.Total() != 0 {
		t.Errorf("stats: %v", s)
	}
}

func TestErrorFaults(t *testing.T) {
	b := startBackend(t)
	for _, tc := range []struct {
		f      faultproxy.Fault
		status int
		code   string
	}{
		{faultproxy.InternalError, 500, "InternalError"},
		{faultproxy.SlowDown, 503, "SlowDown"},
		{faultproxy.TooManyRequests, 429, "TooManyRequests"},
	} {
		t.Run(tc.f.String(), func(t *testing.T) {
			p := start(t, faultproxy.Config{Target: b.srv.URL, Decide: only(tc.f)})
			before := b.puts.Load()
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodPut, p.URL()+"/obj", bytes.NewReader(make([]byte, 1<<20)))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			data, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.status || !strings.Contains(string(data), "<Code>"+tc.code+"</Code>") {
				t.Errorf("got %d %s", resp.StatusCode, data)
			}
			if b.puts.Load() != before {
				t.Error("the request reached the server")
			}
			if got := p.Stats().Faults[tc.f]; got != 1 {
				t.Errorf("counted %d %s faults, want 1", got, tc.f)
			}
		})
	}
}

func TestResetRequest(t *testing.T) {
	b := startBackend(t)
	p := start(t, faultproxy.Config{Target: b.srv.URL, Decide: only(faultproxy.ResetRequest), Seed: 3})
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPut, p.URL()+"/obj", bytes.NewReader(make([]byte, 4<<20)))
	_, err := http.DefaultClient.Do(req)
	if err == nil {
		t.Fatal("PUT succeeded through a reset")
	}
	if b.puts.Load() != 0 {
		t.Error("the server stored a request whose body was cut")
	}
	if _, _, err := get(t, p.URL()+"/obj"); err == nil {
		t.Fatal("GET succeeded through a reset")
	}
}

func TestResponseFaults(t *testing.T) {
	b := startBackend(t)
	for _, f := range []faultproxy.Fault{faultproxy.ResetResponse, faultproxy.Truncate} {
		t.Run(f.String(), func(t *testing.T) {
			p := start(t, faultproxy.Config{Target: b.srv.URL, Decide: only(f), Seed: 7})
			resp, data, err := get(t, p.URL()+"/obj")
			if err == nil {
				t.Fatalf("GET read %d bytes without error", len(data))
			}
			if resp.StatusCode != 200 || len(data) == 0 || len(data) >= len(b.body) || !bytes.Equal(data, b.body[:len(data)]) {
				t.Errorf("status %d, %d bytes: want a 200 and a true prefix of the body", resp.StatusCode, len(data))
			}
			if f == faultproxy.Truncate && !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Errorf("truncated body: %v, want io.ErrUnexpectedEOF", err)
			}
			// A response without a body is lost whole, after the server
			// did the work.
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodDelete, p.URL()+"/obj", nil)
			if resp, err := http.DefaultClient.Do(req); err == nil {
				resp.Body.Close()
				t.Errorf("DELETE answered %d through %s", resp.StatusCode, f)
			}
		})
	}
}

func TestStallAndDelay(t *testing.T) {
	b := startBackend(t)
	p := start(t, faultproxy.Config{Target: b.srv.URL, Decide: only(faultproxy.Stall), StallTime: time.Hour})
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, p.URL()+"/obj", nil)
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		_, err = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("stalled GET: %v, want the context's deadline", err)
	}
	d := start(t, faultproxy.Config{Target: b.srv.URL, Decide: only(faultproxy.Delay), DelayTime: time.Millisecond})
	if _, data, err := get(t, d.URL()+"/obj"); err != nil || !bytes.Equal(data, b.body) {
		t.Fatalf("delayed GET: %d bytes, %v", len(data), err)
	}
}

func TestRateAndSeed(t *testing.T) {
	b := startBackend(t)
	run := func(seed uint64) faultproxy.Stats {
		p := start(t, faultproxy.Config{Target: b.srv.URL, Seed: seed, Rate: 0.5, Faults: []faultproxy.Fault{faultproxy.InternalError, faultproxy.SlowDown}})
		for range 200 {
			resp, _, _ := get(t, p.URL()+"/small")
			_ = resp
		}
		return p.Stats()
	}
	a, a2 := run(1), run(1)
	if a.String() != a2.String() {
		t.Errorf("same seed, different faults: %v / %v", a, a2)
	}
	if n := a.Total(); n < 60 || n > 140 {
		t.Errorf("rate 0.5 over 200 requests gave %d faults", n)
	}
	p := start(t, faultproxy.Config{Target: b.srv.URL, Rate: 1})
	p.SetRate(0)
	if _, _, err := get(t, p.URL()+"/obj"); err != nil || p.Stats().Total() != 0 {
		t.Errorf("rate set to 0: %v, %v", err, p.Stats())
	}
}

func TestConfigErrors(t *testing.T) {
	for _, cfg := range []faultproxy.Config{
		{Target: "127.0.0.1:1"},
		{Target: "http://127.0.0.1:1", Rate: 2},
		{Target: "http://127.0.0.1:1", Faults: []faultproxy.Fault{faultproxy.None}},
	} {
		if p, err := faultproxy.Start(cfg); err == nil {
			_ = p.Close()
			t.Errorf("Start(%+v) accepted", cfg)
		}
	}
	for _, f := range faultproxy.All {
		if g, err := faultproxy.ParseFault(f.String()); err != nil || g != f {
			t.Errorf("ParseFault(%q) = %v, %v", f, g, err)
		}
	}
}

func TestCorrupt(t *testing.T) {
	var got []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, _ = io.ReadAll(r.Body)
	}))
	defer srv.Close()
	p := start(t, faultproxy.Config{Target: srv.URL, Decide: only(faultproxy.Corrupt)})
	sent := bytes.Repeat([]byte("a"), 10000)
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPut, p.URL()+"/x", bytes.NewReader(sent))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	diff := 0
	for i := range got {
		if got[i] != sent[i] {
			diff++
		}
	}
	if len(got) != len(sent) || diff != 1 {
		t.Fatalf("the server got %d bytes, %d of them changed; want %d, 1", len(got), diff, len(sent))
	}
}
