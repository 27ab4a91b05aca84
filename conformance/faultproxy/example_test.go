package faultproxy_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/stowage/stowage/conformance/faultproxy"
)

// A proxy in front of a server: one request in five gets a fault. A driver
// under test is given p.URL() as its endpoint.
func Example() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "hello")
	}))
	defer srv.Close()

	p, err := faultproxy.Start(faultproxy.Config{Target: srv.URL, Seed: 1, Rate: 0.2})
	if err != nil {
		panic(err)
	}
	defer p.Close()

	ok := 0
	for range 50 {
		resp, err := http.Get(p.URL() + "/greeting")
		if err != nil {
			continue
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err == nil && resp.StatusCode == http.StatusOK && string(body) == "hello" {
			ok++
		}
	}
	// Some requests failed (a client that retries, as Go's does for a GET
	// on a reset connection, sends more than 50); every body that arrived
	// whole was right.
	s := p.Stats()
	fmt.Println(ok > 0 && ok < 50, s.Requests >= 50, s.Total() > 0)
	// Output: true true true
}

// A slow network for benchmarks: every request waits 5 ms, no faults.
func Example_latency() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
	defer srv.Close()
	p, err := faultproxy.Start(faultproxy.Config{Target: srv.URL, Latency: 5 * time.Millisecond})
	if err != nil {
		panic(err)
	}
	defer p.Close()
	start := time.Now()
	resp, err := http.Get(p.URL())
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	fmt.Println(time.Since(start) >= 5*time.Millisecond, p.Stats().Total())
	// Output: true 0
}
