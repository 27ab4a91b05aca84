package driver_test

import (
	"bytes"
	"context"
	"io"
	"testing"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/filesystem"
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

// TestBaseReaderWriteTo checks that io.Copy from a driver's Reader counts
// every byte read and reaches the provider reader's own WriteTo (the
// filesystem's *os.File, which sends itself with sendfile): a registry
// serving blobs from disk copies them without a buffer of its own.
func TestBaseReaderWriteTo(t *testing.T) {
	ctx := context.Background()
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	d, err := filesystem.New(ctx, filesystem.Params{RootDirectory: t.TempDir()}, driver.WithMeterProvider(mp))
	if err != nil {
		t.Fatal(err)
	}
	content := bytes.Repeat([]byte("registry"), 100000)
	if err := d.PutContent(ctx, "/blob", content); err != nil {
		t.Fatal(err)
	}
	rc, err := d.Reader(ctx, "/blob", 8)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := rc.(io.WriterTo); !ok {
		t.Fatalf("the Reader (%T) has no WriteTo: io.Copy cannot reach the file's", rc)
	}
	var got bytes.Buffer
	n, err := io.Copy(&got, rc)
	if err != nil || n != int64(len(content)-8) || !bytes.Equal(got.Bytes(), content[8:]) {
		t.Fatalf("copied %d bytes (%v), want %d equal to what was stored from offset 8", n, err, len(content)-8)
	}
	if err := rc.Close(); err != nil {
		t.Fatal(err)
	}
	var rm metricdata.ResourceMetrics
	if err := reader.Collect(ctx, &rm); err != nil {
		t.Fatal(err)
	}
	var read int64
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if s, ok := m.Data.(metricdata.Sum[int64]); ok && m.Name == "stowage.driver.bytes" {
				for _, p := range s.DataPoints {
					if v, _ := p.Attributes.Value("stowage.direction"); v.AsString() == "read" {
						read += p.Value
					}
				}
			}
		}
	}
	if read != n {
		t.Fatalf("counted %d bytes read, want %d", read, n)
	}
}
