package main

import (
	"context"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// largeTransfer is the size from which put and cat show progress.
const largeTransfer = 8 << 20

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// showProgress reports whether a transfer of size bytes gets a bar on
// standard error: with --progress always, or auto when standard error is a
// terminal and the transfer is at least min bytes. A bar is never drawn
// into a pipe or a file unless asked for.
func (o *options) showProgress(size, min int64) bool {
	switch o.progress {
	case "always":
		return true
	case "never":
		return false
	}
	return size >= min && isTerminal(o.errOut)
}

// newBar returns a progress bar of total bytes on standard error, drawn
// only when visible. Its clock starts now, so that the first rate shown is
// measured over real time, not over the instant of the first update.
func (o *options) newBar(total int64, desc string, visible bool) *progressbar.ProgressBar {
	bar := progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(o.errOut),
		progressbar.OptionSetVisibility(visible),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionShowBytes(true),
		progressbar.OptionUseIECUnits(true),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish())
	bar.StartWithoutRender()
	return bar
}

// copyChunk bounds each read of copyWithProgress, so that the bar moves
// and cancellation is noticed within a chunk.
const copyChunk = 1 << 20

// copyWithProgress copies src to dst in chunks, adding each to bar (nil
// for none), and stops with ctx's error when ctx is done.
func copyWithProgress(ctx context.Context, dst io.Writer, src io.Reader, bar *progressbar.ProgressBar) (int64, error) {
	return io.CopyBuffer(dst, &meteredReader{ctx: ctx, r: src, bar: bar}, make([]byte, copyChunk))
}

type meteredReader struct {
	ctx context.Context
	r   io.Reader
	bar *progressbar.ProgressBar
}

func (m *meteredReader) Read(p []byte) (int, error) {
	if err := m.ctx.Err(); err != nil {
		return 0, err
	}
	if len(p) > copyChunk {
		p = p[:copyChunk]
	}
	n, err := m.r.Read(p)
	if m.bar != nil && n > 0 {
		_ = m.bar.Add64(int64(n))
	}
	return n, err
}
