package retry

import (
	"context"
	"log/slog"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

const instrumentationName = "github.com/stowage/stowage/driver"

// What a retry repeats, the stowage.retry attribute of the metric.
const (
	// Request is a request sent again.
	Request = "request"
	// Read is a read reopened where its stream broke.
	Read = "read"
)

// Counter counts and logs the retries of one driver. A nil *Counter
// counts nothing.
type Counter struct {
	driver  string
	log     *slog.Logger
	retries metric.Int64Counter
	attr    attribute.KeyValue
}

// NewCounter returns a counter for the driver named driver, recording the
// stowage.driver.retries metric with mp and logging to log at debug level.
// The logger should hide the driver's secrets (internal/redact): errors
// may quote what was sent.
func NewCounter(driver string, log *slog.Logger, mp metric.MeterProvider) *Counter {
	c, _ := mp.Meter(instrumentationName).Int64Counter("stowage.driver.retries",
		metric.WithDescription("Requests sent again and reads reopened after a transient failure."))
	return &Counter{driver: driver, log: log, retries: c, attr: attribute.String("stowage.driver", driver)}
}

// Retry records one retry of what (Request or Read) after err; attempt is
// the number of the try about to be made (2 for the first retry).
func (c *Counter) Retry(ctx context.Context, what string, attempt int, op string, err error) {
	if c == nil {
		return
	}
	c.retries.Add(ctx, 1, metric.WithAttributes(c.attr, attribute.String("stowage.retry", what)))
	if c.log.Enabled(ctx, slog.LevelDebug) {
		msg := "retrying request"
		if what == Read {
			msg = "resuming read"
		}
		c.log.DebugContext(ctx, c.driver+": "+msg, slog.String("driver", c.driver), slog.String("op", op),
			slog.Int("attempt", attempt), slog.String("cause", errString(err)))
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
