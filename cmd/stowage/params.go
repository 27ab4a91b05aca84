package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/stowage/stowage/configmap"
	"github.com/stowage/stowage/driver"
)

// declared is a driver or storage middleware and its declared parameters.
type declared struct {
	name       string
	middleware bool
	params     []configmap.Param
}

func (d declared) title() string {
	if d.middleware {
		return d.name + " (storage middleware)"
	}
	return d.name
}

// allDeclared returns every registered driver, then every storage
// middleware, with their parameters.
func allDeclared() []declared {
	var out []declared
	for _, n := range driver.Names() {
		f, _ := driver.Lookup(n)
		out = append(out, declared{name: n, params: paramsOf(f)})
	}
	for _, n := range driver.MiddlewareNames() {
		f, _ := driver.Middlewares.Lookup(n)
		out = append(out, declared{name: n, middleware: true, params: paramsOf(f)})
	}
	return out
}

// paramsOf returns the parameters a factory declares, if it does.
func paramsOf(f any) []configmap.Param {
	if d, ok := f.(driver.ParamsDeclarer); ok {
		return configmap.Describe(d.NewParams())
	}
	return nil
}

func newParamsCmd(o *options) *cobra.Command {
	var markdown bool
	cmd := &cobra.Command{
		Use:   "params [NAME]",
		Short: "Print the parameters a driver or storage middleware accepts",
		Long: `params prints each parameter of NAME, a storage driver (the options of
storage: {NAME: {...}}) or a storage middleware (the options of
middleware: {storage: [{name: NAME, options: {...}}]}), or of all of them
when NAME is omitted: name, type, default, whether required, accepted
values and meaning. --markdown prints the tables of docs/parameters.md.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			all := allDeclared()
			shown := all
			if len(args) == 1 {
				shown = nil
				for _, d := range all {
					if d.name == args[0] {
						shown = append(shown, d)
					}
				}
				if len(shown) == 0 {
					return usageError{fmt.Errorf("unknown driver or storage middleware %q; drivers: %s; storage middleware: %s",
						args[0], strings.Join(driver.Names(), ", "), strings.Join(driver.MiddlewareNames(), ", "))}
				}
			}
			if markdown {
				printMarkdown(o.out, shown, len(args) == 0)
				return nil
			}
			for i, d := range shown {
				if i > 0 {
					fmt.Fprintln(o.out)
				}
				printTable(o.out, d)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&markdown, "markdown", false, "print Markdown tables")
	return cmd
}

func printTable(w io.Writer, d declared) {
	fmt.Fprintln(w, d.title())
	if len(d.params) == 0 {
		fmt.Fprintln(w, "  (no parameters)")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  PARAMETER\tTYPE\tDEFAULT\tREQUIRED\tACCEPTED\tDESCRIPTION")
	for _, p := range configmap.Flatten(d.params) {
		req := ""
		if p.Required {
			req = "yes"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\n", p.Name, p.Type, p.Default, req, p.Accepted(), p.Description)
	}
	_ = tw.Flush()
}

// printMarkdown prints one section per driver and middleware; with
// sections, under a heading for drivers and one for middleware, as in
// docs/parameters.md.
func printMarkdown(w io.Writer, ds []declared, sections bool) {
	heading := ""
	for _, d := range ds {
		if sections {
			h := "## Storage drivers\n\nThe parameters under `storage: {<driver>: {...}}` (registry form) or `registry.storage.<driver>` (values form).\n\n"
			if d.middleware {
				h = "## Storage middleware\n\nThe options under `middleware: {storage: [{name: <middleware>, options: {...}}]}`.\n\n"
			}
			if h != heading {
				fmt.Fprint(w, h)
				heading = h
			}
		}
		fmt.Fprintf(w, "### %s\n\n", d.title())
		if len(d.params) == 0 {
			fmt.Fprint(w, "No parameters.\n\n")
			continue
		}
		fmt.Fprintf(w, "%s\n", configmap.Markdown(d.params))
	}
}
