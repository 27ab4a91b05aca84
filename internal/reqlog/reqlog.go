// Package reqlog records the requests a driver sends, by name, for the
// tests that check what an operation costs at the wire (oss, azure,
// swift): put a Log in the driver's HTTP client, run the operation, Take
// the names. A Hold holds one request as a store that received it and has
// not answered yet, for the tests of what a request the client gave up on
// leaves behind (faulttest's Crash, s3).
package reqlog

import (
	"net/http"
	"slices"
	"sync"
)

// Log is an http.RoundTripper that records the name of every request it
// sends. Its methods are safe for concurrent use.
type Log struct {
	// Name names a request; a request named "" is sent but not recorded.
	Name func(*http.Request) string
	// Next sends the requests; nil means http.DefaultTransport.
	Next http.RoundTripper

	mu   sync.Mutex
	reqs []string
}

// RoundTrip implements http.RoundTripper.
func (l *Log) RoundTrip(r *http.Request) (*http.Response, error) {
	if name := l.Name(r); name != "" {
		l.mu.Lock()
		l.reqs = append(l.reqs, name)
		l.mu.Unlock()
	}
	next := l.Next
	if next == nil {
		next = http.DefaultTransport
	}
	return next.RoundTrip(r)
}

// Take returns the names recorded since the last Take, in the order the
// requests were sent.
func (l *Log) Take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.reqs
	l.reqs = nil
	return out
}

// TakeSorted is Take with the names sorted, for requests sent
// concurrently.
func (l *Log) TakeSorted() []string {
	out := l.Take()
	slices.Sort(out)
	return out
}
