package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"
)

func newStatCmd(o *options) *cobra.Command {
	return &cobra.Command{
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
}
