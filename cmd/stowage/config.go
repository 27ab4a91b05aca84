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
	cfg.AddCommand(&cobra.Command{
		Use:   "validate [FILE]",
		Short: "Parse a registry config and print the effective parameters, secrets redacted",
		Long: `validate reads FILE (or --config, or --set keys) in the reference registry's
form (storage: {s3: {...}}, with REGISTRY_STORAGE_* environment overrides) or
an operator's values form (registry: {storage: {backend: s3, s3: {...}}}),
decodes the provider's parameters and prints the effective values, defaults
included, with secrets redacted, or every error found.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			skipFiles, _ := cmd.Flags().GetBool("skip-local-files")
			if len(args) == 1 {
				o.config = args[0]
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
				lines := strings.Split(err.Error(), "\n")
				fmt.Fprintf(o.errOut, "%d error(s):\n", len(lines))
				for _, l := range lines {
					fmt.Fprintf(o.errOut, "  - %s\n", l)
				}
				return usageError{errors.New("invalid configuration")}
			}
			out := map[string]any{
				"provider":   sc.Provider,
				"form":       sc.Form,
				"parameters": configmap.Effective(checked.Params),
			}
			if len(sc.Middleware) > 0 {
				var mws []map[string]any
				for i, m := range sc.Middleware {
					opts := any(m.Options)
					if checked.Middleware[i] != nil {
						opts = configmap.Effective(checked.Middleware[i])
					}
					mws = append(mws, map[string]any{"name": m.Name, "options": opts})
				}
				out["middleware"] = mws
			}
			for _, s := range checked.Skipped {
				fmt.Fprintf(o.errOut, "skipped: %s\n", s)
			}
			if sc.RedirectDisabled {
				out["redirect"] = map[string]any{"disable": true}
			}
			enc := yaml.NewEncoder(o.out)
			enc.SetIndent(2)
			return enc.Encode(out)
		},
	})
	cfg.Commands()[0].Flags().Bool("skip-local-files", false, "do not read the files parameters name (key files, private keys), for a config meant for another machine; the skipped checks are listed")
	return cfg
}
