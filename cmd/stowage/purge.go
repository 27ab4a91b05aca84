package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/stowage/stowage/driver"
)

func newPurgeCmd(o *options) *cobra.Command {
	var olderThan time.Duration
	cmd := &cobra.Command{
		Use:   "purge",
		Short: "Remove uploads abandoned for longer than --older-than",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			d, _, err := o.open(cmd.Context())
			if err != nil {
				return err
			}
			n, err := driver.PurgeUploads(cmd.Context(), d, olderThan)
			if err != nil {
				return err
			}
			fmt.Fprintf(o.out, "purged %d upload(s) older than %s\n", n, olderThan)
			return nil
		},
	}
	cmd.Flags().DurationVar(&olderThan, "older-than", 7*24*time.Hour, "age of the uploads to remove")
	return cmd
}
