package driver_test

import (
	"context"
	"testing"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/inmemory"
)

// TestBaseTelemetry checks that every call gets a span and a duration
// sample, and that bytes written and read are counted.
func TestBaseTelemetry(t *testing.T) {
	ctx := context.Background()
	spans := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	d := driver.Wrap(inmemory.NewShared(inmemory.NewStore()), driver.WithTracerProvider(tp), driver.WithMeterProvider(mp))

	if err := d.PutContent(ctx, "/a", []byte("hello")); err != nil {
		t.Fatal(err)
	}
	if _, err := d.GetContent(ctx, "/a"); err != nil {
		t.Fatal(err)
	}
	_, _ = d.Stat(ctx, "/missing")

	var names []string
	for _, s := range spans.Ended() {
		names = append(names, s.Name())
	}
	if len(names) != 3 || names[0] != "stowage.PutContent" || names[2] != "stowage.Stat" {
		t.Fatalf("spans = %v", names)
	}
	var rm metricdata.ResourceMetrics
	if err := reader.Collect(ctx, &rm); err != nil {
		t.Fatal(err)
	}
	var calls uint64
	var bytes int64
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			switch data := m.Data.(type) {
			case metricdata.Histogram[float64]:
				for _, p := range data.DataPoints {
					calls += p.Count
				}
			case metricdata.Sum[int64]:
				for _, p := range data.DataPoints {
					bytes += p.Value
				}
			}
		}
	}
	if calls != 3 || bytes != 10 {
		t.Fatalf("recorded %d calls and %d bytes, want 3 calls and 10 bytes (5 written, 5 read)", calls, bytes)
	}
}
