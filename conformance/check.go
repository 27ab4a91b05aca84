package conformance

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"
)

// Status is the outcome of one case run by Check.
type Status string

// Outcomes of Check.
const (
	Passed        Status = "pass"
	Failed        Status = "FAIL"
	NotApplicable Status = "n/a"
)

// Result is one case's outcome.
type Result struct {
	Case     string
	Status   Status
	Duration time.Duration
	// Message holds the failure or the reason the case does not apply.
	Message string
}

// Check runs the cases whose names contain filter (all when empty) outside
// go test, calling report after each, and returns every result. It stops
// when ctx is done, after the case in progress. It is what
// "stowage check" runs against a configured storage.
func Check(ctx context.Context, h Harness, filter string, report func(Result)) []Result {
	var results []Result
	for _, c := range Cases() {
		if ctx.Err() != nil {
			break // interrupted: the cases not run are not reported
		}
		if filter != "" && !strings.Contains(c.Name, filter) {
			continue
		}
		r := runChecked(ctx, h, c)
		results = append(results, r)
		if report != nil {
			report(r)
		}
	}
	return results
}

// checkT is a TB for one case outside go test. Fatalf and Skipf end the
// case's goroutine, as in testing.
type checkT struct {
	name     string
	ctx      context.Context
	mu       sync.Mutex
	msgs     []string
	failed   bool
	skipped  bool
	cleanups []func()
}

func (c *checkT) Helper()                         {}
func (c *checkT) Name() string                    { return c.name }
func (c *checkT) Context() context.Context        { return c.ctx }
func (c *checkT) Logf(format string, args ...any) {}
func (c *checkT) Cleanup(f func()) {
	c.mu.Lock()
	c.cleanups = append(c.cleanups, f)
	c.mu.Unlock()
}

func (c *checkT) Errorf(format string, args ...any) {
	c.mu.Lock()
	c.failed = true
	c.msgs = append(c.msgs, fmt.Sprintf(format, args...))
	c.mu.Unlock()
}

func (c *checkT) Fatalf(format string, args ...any) {
	c.Errorf(format, args...)
	runtime.Goexit()
}

func (c *checkT) Skipf(format string, args ...any) {
	c.mu.Lock()
	c.skipped = true
	c.msgs = append(c.msgs, fmt.Sprintf(format, args...))
	c.mu.Unlock()
	runtime.Goexit()
}

func runChecked(ctx context.Context, h Harness, c Case) Result {
	cctx, cancel := context.WithCancel(ctx)
	t := &checkT{name: c.Name, ctx: cctx}
	start := time.Now()
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer func() {
			if p := recover(); p != nil {
				t.Errorf("panic: %v", p)
			}
		}()
		runCase(t, h, c)
	}()
	<-done
	cancel()
	for i := len(t.cleanups) - 1; i >= 0; i-- {
		t.cleanups[i]()
	}
	r := Result{Case: c.Name, Status: Passed, Duration: time.Since(start)}
	switch {
	case t.failed:
		r.Status = Failed
	case t.skipped:
		r.Status = NotApplicable
	}
	r.Message = strings.Join(t.msgs, "; ")
	return r
}
