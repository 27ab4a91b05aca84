package main

import (
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/stowage/stowage/driver"
)

func newFileCmds(o *options) []*cobra.Command {
	var recursive bool
	ls := &cobra.Command{
		Use:   "ls [PATH]",
		Short: "List the children of a directory (default /)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			d, _, err := o.open(cmd.Context())
			if err != nil {
				return err
			}
			p := "/"
			if len(args) == 1 {
				p = args[0]
			}
			tw := tabwriter.NewWriter(o.out, 0, 4, 2, ' ', tabwriter.AlignRight)
			defer tw.Flush()
			show := func(fi driver.FileInfo) {
				if fi.IsDir() {
					fmt.Fprintf(tw, "\t%s\t-\t%s/\n", "dir", fi.Path())
					return
				}
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", fi.Size(), "file", fi.ModTime().UTC().Format(time.RFC3339), fi.Path())
			}
			if recursive {
				return d.Walk(cmd.Context(), p, func(fi driver.FileInfo) error { show(fi); return nil })
			}
			children, err := d.List(cmd.Context(), p)
			if err != nil {
				return err
			}
			for _, c := range children {
				fi, err := d.Stat(cmd.Context(), c)
				if err != nil {
					return err
				}
				show(fi)
			}
			return nil
		},
	}
	ls.Flags().BoolVarP(&recursive, "recursive", "R", false, "walk the whole tree")
	stat := &cobra.Command{
		Use:   "stat PATH",
		Short: "Describe a file or directory",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			d, _, err := o.open(cmd.Context())
			if err != nil {
				return err
			}
			fi, err := d.Stat(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			kind := "file"
			if fi.IsDir() {
				kind = "directory"
			}
			fmt.Fprintf(o.out, "path: %s\ntype: %s\nsize: %d\nmodified: %s\n", fi.Path(), kind, fi.Size(), fi.ModTime().UTC().Format(time.RFC3339))
			return nil
		},
	}
	var offset int64
	cat := &cobra.Command{
		Use:   "cat PATH",
		Short: "Write a file's content to standard output",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			d, _, err := o.open(cmd.Context())
			if err != nil {
				return err
			}
			rc, err := d.Reader(cmd.Context(), args[0], offset)
			if err != nil {
				return err
			}
			defer rc.Close()
			_, err = io.Copy(o.out, rc)
			return err
		},
	}
	cat.Flags().Int64Var(&offset, "offset", 0, "start reading at this byte")
	put := &cobra.Command{
		Use:   "put PATH [FILE]",
		Short: "Store FILE (or standard input) at PATH through a writer, as a registry upload",
		Args:  cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			d, _, err := o.open(cmd.Context())
			if err != nil {
				return err
			}
			var src io.Reader = cmd.InOrStdin()
			if len(args) == 2 {
				f, err := os.Open(args[1])
				if err != nil {
					return usageError{err}
				}
				defer f.Close()
				src = f
			}
			w, err := d.Writer(cmd.Context(), args[0], false)
			if err != nil {
				return err
			}
			n, err := io.Copy(w, src)
			if err != nil {
				_ = w.Cancel(cmd.Context())
				return err
			}
			if err := w.Commit(cmd.Context()); err != nil {
				_ = w.Cancel(cmd.Context())
				return err
			}
			fmt.Fprintf(o.errOut, "stored %d bytes at %s\n", n, args[0])
			return w.Close()
		},
	}
	rm := &cobra.Command{
		Use:   "rm PATH",
		Short: "Delete a file, or a directory and everything under it",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			d, _, err := o.open(cmd.Context())
			if err != nil {
				return err
			}
			return d.Delete(cmd.Context(), args[0])
		},
	}
	mv := &cobra.Command{
		Use:   "mv SOURCE DEST",
		Short: "Move a file, replacing DEST",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			d, _, err := o.open(cmd.Context())
			if err != nil {
				return err
			}
			return d.Move(cmd.Context(), args[0], args[1])
		},
	}
	return []*cobra.Command{ls, stat, cat, put, rm, mv}
}
