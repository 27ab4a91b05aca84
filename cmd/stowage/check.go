package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
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
deletes, walks, redirects), and prints a table: case, result, time.
Drivers that can check their permissions (S3) first print one preflight
line per IAM action.

Each case works in a fresh prefix under /stowage-check/<run> below the
configured root. When check ends, or is interrupted (Ctrl-C, SIGTERM), the
whole run prefix is removed, uploads in progress included; a second Ctrl-C
stops at once.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			size, err := configmap.ParseSize(large)
			if err != nil {
				return usageError{fmt.Errorf("--large: %w", err)}
			}
			ctx := cmd.Context()
			d, cfg, err := o.open(ctx)
			if err != nil {
				return err
			}
			if err := preflight(ctx, o, d); err != nil {
				return err
			}
			s := &scratch{o: o, cfg: cfg, d: d, sd: d, dir: "/stowage-check/" + runID()}
			h := o.harnessFor(cfg, d, s.dir)
			h.LargeSize = int64(size)
			fmt.Fprintf(o.out, "checking storage %q (%s)\n", cfg.Provider, describe(cfg))
			const row = "%-44s %-6s %9s  %s\n"
			fmt.Fprintf(o.out, row, "CASE", "RESULT", "TIME", "")
			failed, total := 0, 0
			conformance.Check(ctx, h, run, func(r conformance.Result) {
				if interrupted(ctx) {
					return // cases cut short by the interrupt are not failures
				}
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
			rerr := s.remove(ctx)
			removeIfEmpty(ctx, d, "/stowage-check")
			if interrupted(ctx) {
				fmt.Fprintf(o.out, "interrupted after %d cases: %d passed, %d failed\n", total, total-failed, failed)
				return errInterrupted
			}
			fmt.Fprintf(o.out, "%d passed, %d failed\n", total-failed, failed)
			if failed > 0 {
				return fmt.Errorf("%d of %d cases failed", failed, total)
			}
			return rerr
		},
	}
	cmd.Flags().StringVar(&run, "run", "", "run only the cases whose names contain this")
	cmd.Flags().StringVar(&large, "large", "64MiB", "size of the large-stream case")
	return cmd
}

// preflight prints the permission checks of drivers that have them (S3).
func preflight(ctx context.Context, o *options, d driver.StorageDriver) error {
	p, ok := driver.As[driver.Preflighter](d)
	if !ok {
		return nil
	}
	denied := 0
	for _, r := range p.Preflight(ctx) {
		if fatal(r.Err) {
			// Every action fails the same way: one line (the command's
			// error) says why.
			return fmt.Errorf("preflight: %w", r.Err)
		}
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
	return nil
}

// fatal reports whether err stops every action alike: credentials
// rejected, no bucket, endpoint unreachable, TLS failure.
func fatal(err error) bool {
	for _, c := range []error{driver.ErrCredentials, driver.ErrNoBucket, driver.ErrUnreachable, driver.ErrTLS} {
		if errors.Is(err, c) {
			return true
		}
	}
	return false
}

func runID() string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%s-%s", time.Now().UTC().Format("20060102T150405"), hex.EncodeToString(b[:]))
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 160 {
		s = s[:157] + "..."
	}
	return s
}

func describe(cfg *configmap.StorageConfig) string {
	red := cfg.RedactedParams()
	var parts []string
	for _, k := range sortedKeys(red) {
		parts = append(parts, fmt.Sprintf("%s=%v", k, red[k]))
	}
	return cfg.Form + " config: " + strings.Join(parts, " ")
}

// harnessFor opens each case's driver in a fresh prefix under dir, below
// the configured root. The in-memory driver has no root: its cases share
// d. Once the command is interrupted, no case opens a driver: the cases
// left end at once.
func (o *options) harnessFor(cfg *configmap.StorageConfig, d driver.StorageDriver, dir string) conformance.Harness {
	h := conformance.Harness{}
	if cfg.Provider == "inmemory" {
		h.Open = func(t conformance.TB, root string) driver.StorageDriver {
			if interrupted(t.Context()) {
				t.Fatalf("interrupted")
			}
			return d
		}
		h.NoRedirect = true
		return h
	}
	h.Open = func(t conformance.TB, root string) driver.StorageDriver {
		if interrupted(t.Context()) {
			t.Fatalf("interrupted")
		}
		sd, err := under(cfg, dir+"/"+root).Open(t.Context(), o.driverOptions()...)
		if err != nil {
			t.Fatalf("open %s: %v", cfg.Provider, err)
		}
		// After the suite's own cleanup of the root (cleanups run last
		// first), the state of uploads left in progress goes too.
		t.Cleanup(func() {
			cctx, cancel := cleanupContext(t.Context())
			defer cancel()
			_, _ = driver.PurgeUploads(cctx, sd, 0)
			_ = driver.Close(sd)
		})
		return sd
	}
	// Redirects are probed: a driver that returns "" is declared without them.
	req := httptest.NewRequest(http.MethodGet, "/v2/", nil)
	if u, err := d.RedirectURL(req, "/stowage-check-probe"); err == nil && u == "" {
		h.NoRedirect = true
	}
	return h
}

func sortedKeys(m map[string]any) []string {
	return slices.Sorted(maps.Keys(m))
}
