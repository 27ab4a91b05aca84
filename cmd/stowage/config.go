package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"

	"github.com/stowage/stowage/configmap"
)

func newConfigCmd(o *options) *cobra.Command {
	cfg := &cobra.Command{Use: "config", Short: "Work with registry configurations"}
	cfg.AddCommand(newValidateCmd(o))
	return cfg
}

func newValidateCmd(o *options) *cobra.Command {
	var skipFiles bool
	cmd := &cobra.Command{
		Use:   "validate [FILE]",
		Short: "Check a registry config and print the effective parameters, secrets redacted",
		Long: `validate reads FILE (or --config), with any --set keys merged onto it and
REGISTRY_STORAGE_* environment overrides applied, in the reference
registry's form (storage: {s3: {...}}, middleware: {storage: [...]}) or an
operator's values form (registry: {storage: {backend: s3, s3: {...}}}).

It decodes and checks the provider's parameters and the options of every
storage middleware, reads the local files they name (key files, private
keys) unless --skip-local-files is given, and never sends a request. It
prints the effective values (defaults included, secrets redacted) on
standard output, and warnings, skipped checks and a summary on standard
error; or every problem found, one per line, and exits with 2.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				if o.config != "" && o.config != args[0] {
					return usageError{fmt.Errorf("config validate: both FILE %q and --config %q given; give one", args[0], o.config)}
				}
				o.config = args[0]
			}
			if o.config == "" && len(o.sets) == 0 && o.storageURL == "" {
				return usageError{errors.New("config validate: give FILE, --config FILE, --set keys or --storage URL")}
			}
			sc, err := o.storageConfig()
			if err != nil {
				return err
			}
			var vopts []configmap.ValidateOption
			if skipFiles {
				vopts = append(vopts, configmap.SkipLocalFiles())
			}
			checked, err := sc.Validate(vopts...)
			if err != nil {
				return o.invalid(err)
			}
			source := o.source()
			if err := printEffective(o, sc, checked); err != nil {
				return err
			}
			for _, w := range checked.Warnings {
				fmt.Fprintf(o.errOut, "warning: %s\n", w)
			}
			for _, s := range checked.Skipped {
				fmt.Fprintf(o.errOut, "skipped: %s\n", s)
			}
			fmt.Fprintf(o.errOut, "%s: valid: storage %s%s (%d warning(s), %d check(s) skipped)\n",
				source, sc.Provider, middlewareSummary(sc), len(checked.Warnings), len(checked.Skipped))
			return nil
		},
	}
	cmd.Flags().BoolVar(&skipFiles, "skip-local-files", false, "do not read the files parameters name (key files, private keys), for a config meant for another machine; the skipped checks are listed")
	return cmd
}

// invalid prints every problem Validate found, one per line, and returns
// the usage error that ends the command.
func (o *options) invalid(err error) error {
	lines := strings.Split(err.Error(), "\n")
	fmt.Fprintf(o.errOut, "%s: %d problem(s):\n", o.source(), len(lines))
	for _, l := range lines {
		fmt.Fprintf(o.errOut, "  - %s\n", l)
	}
	return usageError{fmt.Errorf("%s: invalid configuration", o.source())}
}

// source names where the configuration came from, for messages.
func (o *options) source() string {
	switch {
	case o.config != "" && len(o.sets) > 0:
		return o.config + " with --set"
	case o.config != "":
		return o.config
	case len(o.sets) > 0:
		return "--set"
	}
	return "default storage"
}

func middlewareSummary(sc *configmap.StorageConfig) string {
	if len(sc.Middleware) == 0 {
		return ""
	}
	var names []string
	for _, m := range sc.Middleware {
		names = append(names, m.Name)
	}
	return " with storage middleware " + strings.Join(names, ", ")
}

// printEffective prints the effective configuration as YAML.
func printEffective(o *options, sc *configmap.StorageConfig, checked *configmap.Checked) error {
	out := map[string]any{
		"provider":   sc.Provider,
		"form":       sc.Form,
		"parameters": configmap.Effective(checked.Params),
	}
	if len(sc.Middleware) > 0 {
		var mws []map[string]any
		for i, m := range sc.Middleware {
			var opts any = map[string]any{}
			if i < len(checked.Middleware) && checked.Middleware[i] != nil {
				opts = configmap.Effective(checked.Middleware[i])
			}
			mws = append(mws, map[string]any{"name": m.Name, "options": opts})
		}
		out["middleware"] = mws
	}
	if sc.RedirectDisabled {
		out["redirect"] = map[string]any{"disable": true}
	}
	enc := yaml.NewEncoder(o.out)
	enc.SetIndent(2)
	if err := enc.Encode(out); err != nil {
		return err
	}
	return enc.Close()
}
