package main

import (
	"errors"
	"fmt"

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
			if len(args) == 1 {
				o.config = args[0]
			}
			sc, err := o.storageConfig()
			if err != nil {
				return err
			}
			decoded, err := sc.Validate()
			if err != nil {
				var es configmap.Errors
				if errors.As(err, &es) {
					fmt.Fprintf(o.errOut, "storage %s: %d error(s):\n", sc.Provider, len(es))
					for _, e := range es {
						fmt.Fprintf(o.errOut, "  - %s\n", e)
					}
					return usageError{fmt.Errorf("invalid configuration")}
				}
				return usageError{err}
			}
			out := map[string]any{
				"provider":   sc.Provider,
				"form":       sc.Form,
				"parameters": configmap.Effective(decoded),
			}
			if len(sc.Middleware) > 0 {
				var mws []map[string]any
				for _, m := range sc.Middleware {
					mws = append(mws, map[string]any{"name": m.Name, "options": m.Options})
				}
				out["middleware"] = mws
			}
			if sc.RedirectDisabled {
				out["redirect"] = map[string]any{"disable": true}
			}
			enc := yaml.NewEncoder(o.out)
			enc.SetIndent(2)
			return enc.Encode(out)
		},
	})
	return cfg
}
