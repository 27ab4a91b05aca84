package s3

import (
	"context"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	awsretry "github.com/aws/aws-sdk-go-v2/aws/retry"

	"github.com/stowage/stowage/internal/retry"
)

// retryPolicy is how the S3 client retries: the SDK's standard retryer
// (5xx, throttling codes such as SlowDown, connection resets) with more
// attempts, 429 and bodies cut short added, the waits of internal/retry,
// and no client-side retry quota, which a burst of faults empties and
// turns into failures of requests that would have succeeded.
var retryPolicy = retry.Policy{MaxAttempts: 10, Base: 100 * time.Millisecond, Max: 5 * time.Second}

// damaged are the codes of a body the server found damaged against the
// checksum it came with (Content-MD5, x-amz-content-sha256).
var damaged = map[string]bool{"BadDigest": true, "InvalidDigest": true, "XAmzContentSHA256Mismatch": true}

// newRetryer returns the S3 client's retryer, counting each retry.
func newRetryer(c *retry.Counter) aws.Retryer {
	std := awsretry.NewStandard(func(o *awsretry.StandardOptions) {
		o.MaxAttempts = retryPolicy.Attempts()
		o.RateLimiter = ratelimit.None
		o.Backoff = backoff{}
		o.Retryables = append([]awsretry.IsErrorRetryable{awsretry.IsErrorRetryableFunc(func(err error) aws.Ternary {
			switch {
			case retry.Permanent(err):
				return aws.FalseTernary // a certificate is not trusted the next time either
			case errors.Is(err, io.ErrUnexpectedEOF) || httpStatus(err) == http.StatusTooManyRequests:
				return aws.TrueTernary
			case damaged[apiCode(err)]:
				return aws.TrueTernary // the body arrived damaged: send it again
			}
			return aws.UnknownTernary
		})}, o.Retryables...)
	})
	return &countingRetryer{RetryerV2: std, c: c}
}

type backoff struct{}

func (backoff) BackoffDelay(attempt int, _ error) (time.Duration, error) {
	return retryPolicy.Delay(attempt), nil
}

// countingRetryer counts every retry the SDK decides on.
type countingRetryer struct {
	aws.RetryerV2
	c *retry.Counter
}

func (r *countingRetryer) GetRetryToken(ctx context.Context, opErr error) (func(error) error, error) {
	r.c.Retry(ctx, retry.Request, 0, awsmiddleware.GetOperationName(ctx), opErr)
	return r.RetryerV2.GetRetryToken(ctx, opErr)
}
