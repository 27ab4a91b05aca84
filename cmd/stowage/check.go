package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/stowage/stowage/configmap"
	"github.com/stowage/stowage/conformance"
	"github.com/stowage/stowage/driver"
)

func newCheckCmd(o *options) *cobra.Command {
	var run string
	var large string
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Run the conformance cases against the configured storage",
		Long: `check runs stowage's conformance cases against the configured storage, the
way a registry uses it (uploads resumed across writers, moves, recursive
deletes, walks, redirects), each in a fresh prefix that is removed
afterwards, and prints a table: case, result, time. Drivers that can check
their permissions (S3) first print one preflight line per IAM action.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			d, cfg, err := o.open(ctx)
			if err != nil {
				return err
			}
			if p, ok := driver.As[driver.Preflighter](d); ok {
				denied := 0
				for _, r := range p.Preflight(ctx) {
					status := "allowed"
					if r.Err != nil {
						status = "DENIED: " + r.Err.Error()
						denied++
					}
					fmt.Fprintf(o.out, "preflight %-32s %s\n", r.Action, status)
				}
				if denied > 0 {
					return fmt.Errorf("preflight: %d action(s) denied", denied)
				}
			}
			size, err := configmap.ParseSize(large)
			if err != nil {
				return usageError{fmt.Errorf("--large: %w", err)}
			}
			h := harnessFor(cfg, d)
			h.LargeSize = int64(size)
			fmt.Fprintf(o.out, "checking storage %q (%s)\n", cfg.Provider, describe(cfg))
			const row = "%-44s %-6s %9s  %s\n"
			fmt.Fprintf(o.out, row, "CASE", "RESULT", "TIME", "")
			failed, total := 0, 0
			conformance.Check(ctx, h, run, func(r conformance.Result) {
				total++
				msg := ""
				if r.Status != conformance.Passed {
					msg = firstLine(r.Message)
				}
				if r.Status == conformance.Failed {
					failed++
				}
				fmt.Fprintf(o.out, row, r.Case, r.Status, r.Duration.Round(time.Millisecond), msg)
			})
			fmt.Fprintf(o.out, "%d passed, %d failed\n", total-failed, failed)
			if failed > 0 {
				return fmt.Errorf("%d of %d cases failed", failed, total)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&run, "run", "", "run only the cases whose names contain this")
	cmd.Flags().StringVar(&large, "large", "64MiB", "size of the large-stream case")
	return cmd
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 160 {
		s = s[:157] + "..."
	}
	return s
}

func describe(cfg *configmap.StorageConfig) string {
	var parts []string
	for _, k := range sortedKeys(cfg.RedactedParams()) {
		parts = append(parts, fmt.Sprintf("%s=%v", k, cfg.RedactedParams()[k]))
	}
	return cfg.Form + " config: " + strings.Join(parts, " ")
}

// rootParam is the parameter that prefixes every key, per driver.
func rootParam(provider string) string {
	if provider == "swift" {
		return "prefix"
	}
	return "rootdirectory"
}

// harnessFor opens each case's driver in a fresh prefix under the
// configured root. The in-memory driver has no root: its cases share d.
func harnessFor(cfg *configmap.StorageConfig, d driver.StorageDriver) conformance.Harness {
	var mu sync.Mutex
	h := conformance.Harness{}
	if cfg.Provider == "inmemory" {
		h.Open = func(t conformance.TB, root string) driver.StorageDriver { return d }
		h.NoRedirect = true
		return h
	}
	key := rootParam(cfg.Provider)
	h.Open = func(t conformance.TB, root string) driver.StorageDriver {
		mu.Lock()
		params := maps.Clone(cfg.Params)
		mu.Unlock()
		base, _ := params[key].(string)
		params[key] = strings.TrimSuffix(base, "/") + "/stowage-check/" + root
		c := *cfg
		c.Params = params
		sd, err := c.Open(t.Context())
		if err != nil {
			t.Fatalf("open %s: %v", cfg.Provider, err)
		}
		return sd
	}
	// Redirects are probed: a driver that returns "" is declared without them.
	req, _ := newProbeRequest()
	if u, err := d.RedirectURL(req, "/stowage-check-probe"); err == nil && u == "" {
		h.NoRedirect = true
	}
	return h
}

func sortedKeys(m map[string]any) []string {
	return slices.Sorted(maps.Keys(m))
}
