package main

import "github.com/spf13/cobra"

func newMvCmd(o *options) *cobra.Command {
	return &cobra.Command{
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
}
