package main

import (
	"io"
	"net/http"
	"regexp"
	"strings"
	"syscall"
	"testing"
)

// TestMetricsEndpoint: with --metrics-addr, a running bench serves the
// stowage.driver.* metrics of driver.Base in Prometheus' text format.
func TestMetricsEndpoint(t *testing.T) {
	p := cli{}.start(t, "--data-dir", t.TempDir(), "--metrics-addr", "127.0.0.1:0", "--progress", "always", "bench", "--count", "64", "--size", "16MiB")
	addr := regexp.MustCompile(`serving metrics at (http://\S+/metrics)`)
	var url string
	for line := range p.lines {
		if m := addr.FindStringSubmatch(line); m != nil {
			url = m[1]
			break
		}
	}
	if url == "" {
		t.Fatalf("no metrics address printed:\n%s", p.text())
	}
	var body string
	// Scrape after each progress frame until the driver's metrics are in.
	for line := range p.lines {
		if !strings.Contains(line, "write") {
			continue
		}
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d %v", url, resp.StatusCode, err)
		}
		if body = string(b); strings.Contains(body, "stowage_driver_bytes") && strings.Contains(body, "stowage_driver_duration") {
			break
		}
	}
	code, out := p.stop(t, syscall.SIGINT)
	if code != exitInterrupted {
		t.Fatalf("bench: exit %d\n%s", code, out)
	}
	for _, want := range []string{"# TYPE stowage_driver_duration", "stowage_driver_bytes", `stowage_driver="filesystem"`} {
		if !strings.Contains(body, want) {
			t.Fatalf("metrics lack %q:\n%s", want, body)
		}
	}
}
