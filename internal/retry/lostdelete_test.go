package retry_test

import (
	"errors"
	"fmt"
	"net/http"
	"syscall"
	"testing"

	"github.com/stowage/stowage/internal/retry"
)

// script is a next hop that answers each request with the next of its
// answers: a status, or 0 for a connection reset after the request was
// sent (an answer lost).
type script struct{ answers []int }

func (s *script) RoundTrip(r *http.Request) (*http.Response, error) {
	a := s.answers[0]
	s.answers = s.answers[1:]
	if a == 0 {
		return nil, fmt.Errorf("read: %w", syscall.ECONNRESET)
	}
	return &http.Response{StatusCode: a, Status: http.StatusText(a), Body: http.NoBody, Request: r}, nil
}

// TestLostDeletes: a DELETE call whose attempt lost its answer and that
// then finds nothing was a delete that succeeded (204), whatever answers
// that did not carry it out came between (429, 503); a 404 of a call that
// lost nothing, or of a call whose delete was answered, stays a 404.
func TestLostDeletes(t *testing.T) {
	for _, tc := range []struct {
		name    string
		calls   [][]int // per call, the answers of its attempts
		want404 bool    // what the last attempt of the last call gets
	}{
		{"lost then not found", [][]int{{0, 404}}, false},
		{"lost, throttled, not found", [][]int{{0, 429, 404}}, false},
		{"lost, unavailable, not found", [][]int{{0, 503, 404}}, false},
		{"lost, throttled, lost, not found", [][]int{{0, 429, 0, 404}}, false},
		{"not found, nothing lost", [][]int{{404}}, true},
		{"throttled, not found", [][]int{{429, 404}}, true},
		{"an answered call, then another's not found", [][]int{{0, 204}, {404}}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &script{}
			for _, c := range tc.calls {
				s.answers = append(s.answers, c...)
			}
			l := &retry.LostDeletes{Next: s, Key: func(r *http.Request) string { return r.Header.Get("Token") }}
			var last *http.Response
			for i, c := range tc.calls {
				for range c {
					req, _ := http.NewRequest(http.MethodDelete, "http://store.invalid/o", nil)
					req.Header.Set("Token", fmt.Sprint("call", i))
					resp, err := l.RoundTrip(req)
					if err != nil && !errors.Is(err, syscall.ECONNRESET) {
						t.Fatal(err)
					}
					last = resp
				}
			}
			got404 := last.StatusCode == http.StatusNotFound
			if got404 != tc.want404 {
				t.Errorf("last answer %d; want 404: %v", last.StatusCode, tc.want404)
			}
		})
	}
}
