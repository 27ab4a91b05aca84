package retry

import (
	"context"
	"math/rand/v2"
	"time"
)

// Policy is how many times to try and how long to wait in between.
type Policy struct {
	// MaxAttempts is the number of tries, the first included; zero means
	// 10 (a request failing at random one time in two still succeeds
	// 999 times in 1,000).
	MaxAttempts int
	// Base is the largest wait before the first retry; each retry doubles
	// it. Zero means 50 ms.
	Base time.Duration
	// Max caps the wait. Zero means 2 s.
	Max time.Duration
}

// Attempts returns MaxAttempts or its default.
func (p Policy) Attempts() int {
	if p.MaxAttempts > 0 {
		return p.MaxAttempts
	}
	return 10
}

// Delay returns the wait before retry number retry (1 for the first):
// a random duration up to min(Max, Base × 2^(retry-1)), "full jitter".
func (p Policy) Delay(retry int) time.Duration {
	base, ceiling := p.Base, p.Max
	if base <= 0 {
		base = 50 * time.Millisecond
	}
	if ceiling <= 0 {
		ceiling = 2 * time.Second
	}
	d := base
	for i := 1; i < retry && d < ceiling; i++ {
		d *= 2
	}
	d = min(d, ceiling)
	return time.Duration(rand.Int64N(int64(d)) + 1)
}

// Sleep waits d, or until ctx is done, and returns ctx's error then. It
// does not wait at all when ctx's deadline comes before d has passed.
func Sleep(ctx context.Context, d time.Duration) error {
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < d {
		<-ctx.Done()
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
