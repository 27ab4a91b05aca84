package driver

import (
	"log/slog"
	"net/http"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"
)

// Options is what a program hands every driver it opens, beyond the
// driver's parameters: where logs go, how HTTP requests are sent, where
// traces and metrics go. Every adapter applies all of them, whether the
// driver is opened with its New or from configuration (Open,
// configmap.StorageConfig.Open), and Wrap applies the providers to the
// spans and metrics of Base.
type Options struct {
	// Logger receives the driver's and its SDK's log lines (the SDK logs
	// only at the verbosity its parameters ask for, such as s3's
	// loglevel). The default is slog.Default().
	Logger *slog.Logger
	// HTTPClient sends the driver's requests. The default is each SDK's
	// own, tuned by the adapter (connection pool, TLS parameters). With a
	// client given, TLS parameters such as skipverify are up to it.
	HTTPClient *http.Client
	// TracerProvider and MeterProvider receive spans and metrics. The
	// defaults are OpenTelemetry's global providers.
	TracerProvider trace.TracerProvider
	MeterProvider  metric.MeterProvider
	// UserAgent is added to the User-Agent header of every request.
	UserAgent string
}

// Option sets one of the Options.
type Option func(*Options)

// WithLogger sets Options.Logger.
func WithLogger(l *slog.Logger) Option { return func(o *Options) { o.Logger = l } }

// WithHTTPClient sets Options.HTTPClient.
func WithHTTPClient(c *http.Client) Option { return func(o *Options) { o.HTTPClient = c } }

// WithTracerProvider sets Options.TracerProvider.
func WithTracerProvider(tp trace.TracerProvider) Option {
	return func(o *Options) { o.TracerProvider = tp }
}

// WithMeterProvider sets Options.MeterProvider.
func WithMeterProvider(mp metric.MeterProvider) Option {
	return func(o *Options) { o.MeterProvider = mp }
}

// WithUserAgent sets Options.UserAgent.
func WithUserAgent(ua string) Option { return func(o *Options) { o.UserAgent = ua } }

// NewOptions applies opts to the defaults.
func NewOptions(opts ...Option) Options {
	var o Options
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.TracerProvider == nil {
		o.TracerProvider = otel.GetTracerProvider()
	}
	if o.MeterProvider == nil {
		o.MeterProvider = otel.GetMeterProvider()
	}
	return o
}
