package main

import "github.com/spf13/cobra"

func newRmCmd(o *options) *cobra.Command {
	return &cobra.Command{
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
}
