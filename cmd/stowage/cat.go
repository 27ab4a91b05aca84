package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/stowage/stowage/driver"
)

func newCatCmd(o *options) *cobra.Command {
	var offset int64
	cmd := &cobra.Command{
		Use:   "cat PATH",
		Short: "Write a file's content to standard output",
		Long: `cat writes the content of the file at PATH, from --offset, to standard
output. When standard output is not a terminal and standard error is, a
file of 8 MiB or more shows a progress bar (see --progress).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			d, _, err := o.open(ctx)
			if err != nil {
				return err
			}
			p := args[0]
			rc, err := d.Reader(ctx, p, offset)
			if driver.IsNotFound(err) {
				if fi, serr := d.Stat(ctx, p); serr == nil && fi.IsDir() {
					return fmt.Errorf("cat %s: is a directory (stowage ls %s lists it)", p, p)
				}
			}
			if err != nil {
				return err
			}
			defer rc.Close()
			var size int64 = -1
			if fi, err := d.Stat(ctx, p); err == nil {
				size = fi.Size() - offset
			}
			visible := size > 0 && !isTerminal(o.out) && o.showProgress(size, largeTransfer)
			bar := o.newBar(max(size, 1), "cat", visible)
			defer func() { _ = bar.Clear() }()
			_, err = copyWithProgress(ctx, o.out, rc, bar)
			if err == nil {
				_ = bar.Finish()
			}
			return err
		},
	}
	cmd.Flags().Int64Var(&offset, "offset", 0, "start reading at this byte")
	return cmd
}
