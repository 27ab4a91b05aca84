package driver

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"
)

const instrumentationName = "github.com/stowage/stowage/driver"

// Base wraps a driver: it checks paths and offsets before the driver sees
// them, puts the driver name on typed errors and wraps provider errors in
// *Error, and records an OpenTelemetry span per call plus the
// stowage.driver.duration histogram and the stowage.driver.bytes counter.
// With no OpenTelemetry provider installed these cost next to nothing.
type Base struct {
	d        StorageDriver
	name     string
	tracer   trace.Tracer
	duration metric.Float64Histogram
	bytes    metric.Int64Counter
	attr     attribute.KeyValue
	classify func(error) error
}

// Wrap returns d wrapped in Base, recording spans and metrics with the
// providers of opts (see Options). A driver already wrapped is returned as
// is unless options are given.
func Wrap(d StorageDriver, opts ...Option) StorageDriver {
	if b, ok := d.(*Base); ok {
		if len(opts) == 0 {
			return b
		}
		d = b.d
	}
	o := NewOptions(opts...)
	meter := o.MeterProvider.Meter(instrumentationName)
	duration, _ := meter.Float64Histogram("stowage.driver.duration",
		metric.WithUnit("s"), metric.WithDescription("Duration of storage driver calls."))
	bytes, _ := meter.Int64Counter("stowage.driver.bytes",
		metric.WithUnit("By"), metric.WithDescription("Bytes read from and written to storage."))
	classify := func(err error) error { return err }
	if c, ok := As[Classifier](d); ok {
		classify = c.Classify
	}
	return &Base{
		classify: classify,
		d:        d,
		name:     d.Name(),
		tracer:   o.TracerProvider.Tracer(instrumentationName),
		duration: duration,
		bytes:    bytes,
		attr:     attribute.String("stowage.driver", d.Name()),
	}
}

// Unwrap returns the wrapped driver.
func (b *Base) Unwrap() StorageDriver { return b.d }

// Name implements StorageDriver.
func (b *Base) Name() string { return b.name }

type call struct {
	b     *Base
	op    string
	path  string
	start time.Time
	span  trace.Span
}

func (b *Base) begin(ctx context.Context, op, path string) (context.Context, *call) {
	ctx, span := b.tracer.Start(ctx, "stowage."+op, trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(b.attr, attribute.String("stowage.path", path)))
	return ctx, &call{b: b, op: op, path: path, start: time.Now(), span: span}
}

func (c *call) end(ctx context.Context, err error) error {
	err = withDriverName(c.b.name, c.op, c.path, c.b.cause(err))
	result := "ok"
	if err != nil && !IsNotFound(err) {
		result = "error"
		c.span.RecordError(err)
		c.span.SetStatus(codes.Error, err.Error())
	} else if err != nil {
		result = "not_found"
	}
	c.b.duration.Record(ctx, time.Since(c.start).Seconds(), metric.WithAttributes(
		c.b.attr, attribute.String("stowage.op", c.op), attribute.String("stowage.result", result)))
	c.span.End()
	return err
}

// cause gives a provider error its cause (see CauseError): the driver's
// Classifier first, then the causes every HTTP client shares.
func (b *Base) cause(err error) error {
	if err == nil || IsNotFound(err) {
		return err
	}
	switch err.(type) {
	case InvalidPathError, InvalidOffsetError, UnsupportedMethodError:
		return err
	}
	return TransportCause(b.classify(err))
}

func (b *Base) countBytes(ctx context.Context, direction string, n int64) {
	if n > 0 {
		b.bytes.Add(ctx, n, metric.WithAttributes(b.attr, attribute.String("stowage.direction", direction)))
	}
}

func (b *Base) invalidPath(op, path string, err error) error {
	return withDriverName(b.name, op, path, err)
}

// GetContent implements StorageDriver.
func (b *Base) GetContent(ctx context.Context, path string) ([]byte, error) {
	if err := CheckPath(path); err != nil {
		return nil, b.invalidPath("GetContent", path, err)
	}
	ctx, c := b.begin(ctx, "GetContent", path)
	data, err := b.d.GetContent(ctx, path)
	b.countBytes(ctx, "read", int64(len(data)))
	return data, c.end(ctx, err)
}

// PutContent implements StorageDriver.
func (b *Base) PutContent(ctx context.Context, path string, content []byte) error {
	if err := CheckPath(path); err != nil {
		return b.invalidPath("PutContent", path, err)
	}
	ctx, c := b.begin(ctx, "PutContent", path)
	err := b.d.PutContent(ctx, path, content)
	if err == nil {
		b.countBytes(ctx, "write", int64(len(content)))
	}
	return c.end(ctx, err)
}

// Reader implements StorageDriver.
func (b *Base) Reader(ctx context.Context, path string, offset int64) (io.ReadCloser, error) {
	if err := CheckPath(path); err != nil {
		return nil, b.invalidPath("Reader", path, err)
	}
	if offset < 0 {
		return nil, InvalidOffsetError{Path: path, Offset: offset, DriverName: b.name}
	}
	ctx, c := b.begin(ctx, "Reader", path)
	rc, err := b.d.Reader(ctx, path, offset)
	if err != nil {
		return nil, c.end(ctx, err)
	}
	_ = c.end(ctx, nil)
	return &countingReader{ReadCloser: rc, b: b, ctx: context.WithoutCancel(ctx)}, nil
}

// Writer implements StorageDriver.
func (b *Base) Writer(ctx context.Context, path string, append bool) (FileWriter, error) {
	if err := CheckPath(path); err != nil {
		return nil, b.invalidPath("Writer", path, err)
	}
	ctx, c := b.begin(ctx, "Writer", path)
	w, err := b.d.Writer(ctx, path, append)
	if err != nil {
		return nil, c.end(ctx, err)
	}
	_ = c.end(ctx, nil)
	return &baseWriter{FileWriter: w, b: b, path: path, ctx: context.WithoutCancel(ctx), size: w.Size()}, nil
}

// Stat implements StorageDriver.
func (b *Base) Stat(ctx context.Context, path string) (FileInfo, error) {
	if err := CheckDirPath(path); err != nil {
		return nil, b.invalidPath("Stat", path, err)
	}
	ctx, c := b.begin(ctx, "Stat", path)
	fi, err := b.d.Stat(ctx, path)
	return fi, c.end(ctx, err)
}

// List implements StorageDriver.
func (b *Base) List(ctx context.Context, path string) ([]string, error) {
	if err := CheckDirPath(path); err != nil {
		return nil, b.invalidPath("List", path, err)
	}
	ctx, c := b.begin(ctx, "List", path)
	out, err := b.d.List(ctx, path)
	return out, c.end(ctx, err)
}

// Move implements StorageDriver.
func (b *Base) Move(ctx context.Context, sourcePath, destPath string) error {
	if err := CheckPath(sourcePath); err != nil {
		return b.invalidPath("Move", sourcePath, err)
	}
	if err := CheckPath(destPath); err != nil {
		return b.invalidPath("Move", destPath, err)
	}
	ctx, c := b.begin(ctx, "Move", sourcePath)
	c.span.SetAttributes(attribute.String("stowage.dest_path", destPath))
	return c.end(ctx, b.d.Move(ctx, sourcePath, destPath))
}

// Delete implements StorageDriver.
func (b *Base) Delete(ctx context.Context, path string) error {
	if err := CheckPath(path); err != nil {
		return b.invalidPath("Delete", path, err)
	}
	ctx, c := b.begin(ctx, "Delete", path)
	return c.end(ctx, b.d.Delete(ctx, path))
}

// RedirectURL implements StorageDriver.
func (b *Base) RedirectURL(r *http.Request, path string) (string, error) {
	if err := CheckPath(path); err != nil {
		return "", b.invalidPath("RedirectURL", path, err)
	}
	ctx, c := b.begin(r.Context(), "RedirectURL", path)
	u, err := b.d.RedirectURL(r.WithContext(ctx), path)
	return u, c.end(ctx, err)
}

// Walk implements StorageDriver.
func (b *Base) Walk(ctx context.Context, path string, f WalkFn, options ...func(*WalkOptions)) error {
	if err := CheckDirPath(path); err != nil {
		return b.invalidPath("Walk", path, err)
	}
	ctx, c := b.begin(ctx, "Walk", path)
	return c.end(ctx, b.d.Walk(ctx, path, f, options...))
}

type countingReader struct {
	io.ReadCloser
	b   *Base
	ctx context.Context
	n   int64
}

func (r *countingReader) Read(p []byte) (int, error) {
	n, err := r.ReadCloser.Read(p)
	r.n += int64(n)
	return n, err
}

// WriteTo hands the copy to the provider's reader when it has a WriteTo
// of its own (an *os.File sends itself to a socket with sendfile), so
// io.Copy from a driver's Reader is as fast as from the provider's.
func (r *countingReader) WriteTo(w io.Writer) (int64, error) {
	var n int64
	var err error
	if wt, ok := r.ReadCloser.(io.WriterTo); ok {
		n, err = wt.WriteTo(w)
	} else {
		n, err = io.Copy(w, struct{ io.Reader }{r.ReadCloser})
	}
	r.n += n
	return n, err
}

func (r *countingReader) Close() error {
	r.b.countBytes(r.ctx, "read", r.n)
	r.n = 0
	return r.ReadCloser.Close()
}

type writerState int

const (
	writerOpen writerState = iota
	writerClosed
	writerCommitted
	writerCancelled
)

func (s writerState) String() string {
	return [...]string{"open", "closed", "committed", "cancelled"}[s]
}

// baseWriter counts bytes and enforces the writer's life cycle for every
// adapter: Write only while open; Commit or Cancel once; Close after
// Commit or Cancel is a no-op that does not reach the adapter (adapters
// release everything in Commit and Cancel).
//
// It also answers Size for every adapter: the size of the upload when the
// adapter opened or resumed it, plus every byte the adapter accepted since.
// A registry calls Close or Commit and then Size (to answer a PATCH with its
// Range header, or to check the digest of exactly Size bytes), so Size must
// not depend on where an adapter keeps the bytes at that moment.
type baseWriter struct {
	FileWriter
	b     *Base
	path  string
	ctx   context.Context
	n     int64 // bytes written since the last metrics flush
	size  int64 // bytes in the upload: resumed size plus bytes written
	state writerState
}

// Size implements FileWriter, at every point of the writer's life.
func (w *baseWriter) Size() int64 { return w.size }

func (w *baseWriter) stateError(op string) error {
	return &Error{DriverName: w.b.name, Op: op, Path: w.path, Err: fmt.Errorf("writer already %s", w.state)}
}

func (w *baseWriter) Write(p []byte) (int, error) {
	if w.state != writerOpen {
		return 0, w.stateError("Write")
	}
	n, err := w.FileWriter.Write(p)
	w.n += int64(n)
	w.size += int64(n)
	return n, withDriverName(w.b.name, "Write", w.path, w.b.cause(err))
}

func (w *baseWriter) flushCount() {
	w.b.countBytes(w.ctx, "write", w.n)
	w.n = 0
}

func (w *baseWriter) Close() error {
	switch w.state {
	case writerCommitted, writerCancelled:
		return nil
	case writerClosed:
		return w.stateError("Close")
	}
	w.flushCount()
	w.state = writerClosed
	return withDriverName(w.b.name, "Close", w.path, w.b.cause(w.FileWriter.Close()))
}

func (w *baseWriter) Commit(ctx context.Context) error {
	if w.state != writerOpen {
		return w.stateError("Commit")
	}
	w.flushCount()
	ctx, c := w.b.begin(ctx, "Commit", w.path)
	err := c.end(ctx, w.FileWriter.Commit(ctx))
	if err == nil {
		w.state = writerCommitted
	}
	return err
}

func (w *baseWriter) Cancel(ctx context.Context) error {
	switch w.state {
	case writerCancelled:
		return nil
	case writerCommitted, writerClosed:
		return w.stateError("Cancel")
	}
	w.flushCount()
	ctx, c := w.b.begin(ctx, "Cancel", w.path)
	err := c.end(ctx, w.FileWriter.Cancel(ctx))
	if err == nil {
		w.state = writerCancelled
	}
	return err
}
