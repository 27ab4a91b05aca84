package faulttest

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stowage/stowage/conformance/faultproxy"
	"github.com/stowage/stowage/driver"
)

// SecretsHarness tells Secrets how to open a driver that logs all it can.
type SecretsHarness struct {
	// Target is the server's base URL.
	Target string
	// TargetHost is faultproxy.Config.TargetHost.
	TargetHost bool
	// Open returns a driver rooted at root whose requests go to proxyURL,
	// at its most verbose log level, logging to the logger of opts.
	Open func(t testing.TB, proxyURL, root string, opts ...driver.Option) driver.StorageDriver
	// Secrets are the distinctive secrets the driver was given or got
	// (keys, tokens, passwords); Secrets reads them after the work, so that
	// a token fetched on the way can be added by Open.
	Secrets func() []string
	// Patterns match what must not show either, such as request
	// signatures.
	Patterns []*regexp.Regexp
	// Output returns what else was logged on the way (an SDK's global log
	// listener); nil for none.
	Output func() string
	// ChunkSize is the driver's part size.
	ChunkSize int64
}

// Secrets runs a driver at its most verbose log level through the work
// of a registry (uploads across a Close, reads, listings, moves, deletes,
// redirect URLs) and then through a proxy that fails every request, and
// checks that no secret shows in any log line, error, printed form of the
// driver or panic.
func Secrets(t *testing.T, h SecretsHarness) {
	p := startProxy(t, faultproxy.Config{Target: h.Target, TargetHost: h.TargetHost})
	var logs lockedBuffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	root := fmt.Sprintf("secrets-%d", time.Now().UnixNano())
	d := h.Open(t, p.URL(), root, driver.WithLogger(logger))
	var errs []string
	note := func(what string, err error) {
		if err != nil {
			errs = append(errs, what+": "+err.Error()+" | "+fmt.Sprintf("%+v", err))
		}
	}
	func() {
		defer func() {
			if r := recover(); r != nil {
				errs = append(errs, fmt.Sprint("panic: ", r))
				t.Errorf("panic: the work panicked (checked for secrets too)")
			}
		}()
		work(t, d, h.ChunkSize, note, true)
		// Every request fails: the errors and the retry logs (a few
		// seconds of retries are enough to log them).
		p.SetRate(1)
		ctx, cancel := context.WithTimeout(t.Context(), 4*time.Second)
		defer cancel()
		_, err := d.GetContent(ctx, "/f/small")
		note("GetContent through faults", err)
		note("PutContent through faults", d.PutContent(ctx, "/f/other", []byte("x")))
		_, err = d.List(ctx, "/f")
		note("List through faults", err)
		p.SetRate(0)
		ctx2, cancel2 := context.WithTimeout(t.Context(), time.Minute)
		defer cancel2()
		note("cleanup", d.Delete(ctx2, "/f"))
	}()
	all := logs.String() + "\n" + strings.Join(errs, "\n") + "\n" + fmt.Sprintf("%+v\n%#v", d, d)
	if h.Output != nil {
		all += "\n" + h.Output()
	}
	if !strings.Contains(logs.String(), `"level":"DEBUG"`) {
		t.Logf("no debug line was logged (the SDK logs elsewhere, or nothing)")
	}
	for _, s := range h.Secrets() {
		if s != "" && strings.Contains(all, s) {
			i := strings.Index(all, s)
			t.Errorf("a secret (%.6s...) shows: ...%s...", s, redactAround(all, i, len(s)))
		}
	}
	for _, re := range h.Patterns {
		if loc := re.FindStringIndex(all); loc != nil {
			t.Errorf("%v shows: ...%s...", re, redactAround(all, loc[0], loc[1]-loc[0]))
		}
	}
	t.Logf("checked %d bytes of logs, %d errors", logs.Len(), len(errs))
}

// redactAround returns the text around a match, the match itself masked.
func redactAround(s string, i, n int) string {
	lo, hi := max(0, i-80), min(len(s), i+n+40)
	return s[lo:i] + "<SECRET>" + s[i+n:hi]
}

// work is what a registry does, noting each error.
func work(t *testing.T, d driver.StorageDriver, chunk int64, note func(string, error), redirect bool) {
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	note("PutContent", d.PutContent(ctx, "/f/small", []byte("small")))
	_, err := d.GetContent(ctx, "/f/small")
	note("GetContent", err)
	_, err = d.GetContent(ctx, "/f/missing")
	if !driver.IsNotFound(err) {
		note("GetContent missing", err)
	}
	w, err := d.Writer(ctx, "/f/big", false)
	note("Writer", err)
	if err == nil {
		_, err = w.Write(payload(chunk+chunk/2, 3))
		note("Write", err)
		note("Close", w.Close())
		w, err = d.Writer(ctx, "/f/big", true)
		note("Writer resume", err)
		if err == nil {
			_, err = w.Write(payload(chunk, 4))
			note("Write", err)
			note("Commit", w.Commit(ctx))
		}
	}
	if rc, err := d.Reader(ctx, "/f/big", 5); err == nil {
		rc.Close()
	} else {
		note("Reader", err)
	}
	_, err = d.Stat(ctx, "/f/big")
	note("Stat", err)
	_, err = d.List(ctx, "/f")
	note("List", err)
	note("Move", d.Move(ctx, "/f/big", "/f/moved"))
	note("Walk", d.Walk(ctx, "/", func(driver.FileInfo) error { return nil }))
	if redirect {
		// The URL itself is a credential for its path, by design: only
		// its errors are checked.
		_, err = d.RedirectURL(httptest.NewRequest("GET", "/v2/", nil), "/f/moved")
		note("RedirectURL", err)
	}
	note("Delete", d.Delete(ctx, "/f/moved"))
	w, err = d.Writer(ctx, "/f/cancelled", false)
	if err == nil {
		_, _ = w.Write([]byte("abc"))
		note("Cancel", w.Cancel(ctx))
	}
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func (l *lockedBuffer) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Len()
}
