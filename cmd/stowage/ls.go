package main

import (
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/stowage/stowage/driver"
)

func newLsCmd(o *options) *cobra.Command {
	var recursive bool
	cmd := &cobra.Command{
		Use:   "ls [PATH]",
		Short: "List the children of a directory (default /), or describe a file",
		Long: `ls prints one line per child of PATH (every path below it with -R):
type, size in bytes, modification time (UTC) and path, in aligned
columns. Directories end in /. A PATH that is a file prints that file.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			d, _, err := o.open(ctx)
			if err != nil {
				return err
			}
			p := "/"
			if len(args) == 1 {
				p = args[0]
			}
			tw := tabwriter.NewWriter(o.out, 0, 8, 2, ' ', 0)
			defer tw.Flush()
			show := func(fi driver.FileInfo) {
				if fi.IsDir() {
					fmt.Fprintf(tw, "dir\t-\t-\t%s/\n", fi.Path())
					return
				}
				fmt.Fprintf(tw, "file\t%d\t%s\t%s\n", fi.Size(), fi.ModTime().UTC().Format(time.RFC3339), fi.Path())
			}
			if recursive {
				err := d.Walk(ctx, p, func(fi driver.FileInfo) error { show(fi); return nil })
				if p == "/" && driver.IsNotFound(err) {
					return nil // empty storage
				}
				return err
			}
			children, err := d.List(ctx, p)
			if driver.IsNotFound(err) {
				if p == "/" {
					return nil // empty storage
				}
				// ls of a file describes it, as ls(1) does.
				if fi, serr := d.Stat(ctx, p); serr == nil && !fi.IsDir() {
					show(fi)
					return nil
				}
			}
			if err != nil {
				return err
			}
			for _, c := range children {
				fi, err := d.Stat(ctx, c)
				if err != nil {
					return err
				}
				show(fi)
			}
			return nil
		},
	}
	cmd.Flags().BoolVarP(&recursive, "recursive", "R", false, "walk the whole tree")
	return cmd
}
