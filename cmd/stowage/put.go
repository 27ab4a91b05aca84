package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
)

func newPutCmd(o *options) *cobra.Command {
	return &cobra.Command{
		Use:   "put PATH [FILE]",
		Short: "Store FILE (or standard input) at PATH through a writer, as a registry upload",
		Long: `put writes FILE (or standard input) through a resumable writer and
commits it at PATH, as a registry stores a pushed blob. A file of 8 MiB or
more shows a progress bar when standard error is a terminal (see
--progress). Interrupted, it cancels the upload: nothing is left behind.`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			var src io.Reader = cmd.InOrStdin()
			var size int64 = -1
			if len(args) == 2 {
				f, err := os.Open(args[1])
				if err != nil {
					return usageError{err}
				}
				defer f.Close()
				src = f
			}
			if f, ok := src.(*os.File); ok {
				if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
					size = fi.Size()
				}
			}
			d, _, err := o.open(ctx)
			if err != nil {
				return err
			}
			w, err := d.Writer(ctx, args[0], false)
			if err != nil {
				return err
			}
			bar := o.newBar(max(size, 1), "put", size > 0 && o.showProgress(size, largeTransfer))
			defer func() { _ = bar.Clear() }()
			n, err := copyWithProgress(ctx, w, src, bar)
			if err == nil {
				err = w.Commit(ctx)
			}
			if err != nil {
				cctx, cancel := cleanupContext(ctx)
				defer cancel()
				err = errors.Join(err, w.Cancel(cctx))
				if interrupted(ctx) {
					fmt.Fprintf(o.errOut, "interrupted: upload to %s cancelled\n", args[0])
					return errInterrupted
				}
				return err
			}
			if err := w.Close(); err != nil {
				return err
			}
			_ = bar.Finish()
			_ = bar.Clear()
			fmt.Fprintf(o.errOut, "stored %d bytes at %s\n", n, args[0])
			return nil
		},
	}
}
