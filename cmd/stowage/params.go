package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/stowage/stowage/configmap"
	"github.com/stowage/stowage/driver"
)

func newParamsCmd(o *options) *cobra.Command {
	var markdown bool
	return withMarkdown(&cobra.Command{
		Use:   "params [DRIVER]",
		Short: "Print the parameters a driver accepts",
		Long:  "params prints each parameter of DRIVER (every driver when omitted): name, type, default, whether required, accepted values and meaning.",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			names := driver.Names()
			if len(args) == 1 {
				if !slices.Contains(names, args[0]) {
					return usageError{fmt.Errorf("unknown driver %q; drivers: %s", args[0], strings.Join(names, ", "))}
				}
				names = args
			}
			for i, n := range names {
				ps := paramsOf(n)
				if markdown {
					fmt.Fprintf(o.out, "### %s\n\n%s\n", n, configmap.Markdown(ps))
					continue
				}
				if i > 0 {
					fmt.Fprintln(o.out)
				}
				fmt.Fprintf(o.out, "%s\n", n)
				tw := tabwriter.NewWriter(o.out, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "  PARAMETER\tTYPE\tDEFAULT\tREQUIRED\tACCEPTED\tDESCRIPTION")
				for _, p := range configmap.Flatten(ps) {
					req := ""
					if p.Required {
						req = "yes"
					}
					fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\n", p.Name, p.Type, p.Default, req, p.Accepted(), p.Description)
				}
				tw.Flush()
			}
			return nil
		},
	}, &markdown)
}

func withMarkdown(c *cobra.Command, md *bool) *cobra.Command {
	c.Flags().BoolVar(md, "markdown", false, "print Markdown tables")
	return c
}

// paramsOf returns the declared parameters of a registered driver.
func paramsOf(name string) []configmap.Param {
	f, ok := driver.Lookup(name)
	if !ok {
		return nil
	}
	if d, ok := f.(driver.ParamsDeclarer); ok {
		return configmap.Describe(d.NewParams())
	}
	return nil
}

func newProbeRequest() (*http.Request, error) {
	return httptest.NewRequest(http.MethodGet, "/v2/", nil), nil
}
