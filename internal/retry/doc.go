// Package retry is the one retry policy of the adapters whose SDK has none
// of its own (swift on ncw/swift, oss on aliyun-oss-go-sdk), and the one
// place retries are counted for every adapter.
//
// Transport is an http.RoundTripper that repeats a request when the
// answer is transient: a 5xx other than 501, 429 or 408, a connection
// reset or refused, a body cut short. It waits between attempts with
// exponential backoff and full jitter (Policy), never past the request's
// context, and gives up after Policy.MaxAttempts with the last answer or
// error as it was. Only requests that are safe to repeat are repeated:
// by default every method but POST and PATCH, and whatever Idempotent
// says. A request body is sent again from GetBody when the request has
// one; otherwise what was read of it is kept as it is sent (up to
// ReplayLimit), so that SDKs that wrap their bodies (a CRC, a watchdog)
// are retried too, and each byte still goes through their wrapper once.
// Responses of known length up to BufferLimit are read whole before
// they are returned, so that a cut listing or error document is retried
// like a reset; longer ones (object reads) stream, and readers resume them
// (internal/resume).
//
// Under SDKs that retry by themselves, two smaller RoundTrippers fill what
// their retries miss: Buffered reads short answers whole, so that one cut
// short is a transport error the SDK retries (cloud.google.com/go/storage
// decodes an upload's answer after its retries), and LostDeletes answers
// 204 to a DELETE the SDK repeated after an attempt whose answer was lost
// and that then found nothing (the first attempt deleted the object).
// Transport does the same for the DELETEs it repeats.
//
// Counter counts retries, of requests and of reads, in the
// stowage.driver.retries metric and logs each at debug level; adapters
// hook it into their SDK's own retry machinery (aws-sdk-go-v2's retryer,
// azcore's pipeline, cloud.google.com/go/storage's error function) and
// into Transport.
package retry
