package distribution

import (
	"context"

	"github.com/stowage/stowage/driver"
)

// fileWriter is a stowage FileWriter as a distribution FileWriter. Size is
// the stowage writer's, which stowage's driver.Base answers for every
// adapter at every point of the writer's life (after Close and Commit too:
// a registry calls Close, then Size, to answer each PATCH). Errors are
// translated as the driver's are; distribution's base.Base does not wrap
// writers, so storagedriver.Error is made here.
type fileWriter struct {
	w    driver.FileWriter
	name string
}

func (w *fileWriter) Write(p []byte) (int, error) {
	n, err := w.w.Write(p)
	return n, translateError(w.name, err)
}

func (w *fileWriter) Close() error { return translateError(w.name, w.w.Close()) }

func (w *fileWriter) Size() int64 { return w.w.Size() }

func (w *fileWriter) Cancel(ctx context.Context) error {
	return translateError(w.name, w.w.Cancel(ctx))
}

func (w *fileWriter) Commit(ctx context.Context) error {
	return translateError(w.name, w.w.Commit(ctx))
}
