package main

import (
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	_ "github.com/stowage/stowage/all"
)

// options are the global flags and what they set up for a command.
type options struct {
	config      string
	storageURL  string
	sets        []string
	dataDir     string
	logLevel    string
	metricsAddr string
	progress    string
	out         io.Writer
	errOut      io.Writer

	session // set up by setup before a command runs
}

func defaultDataDir() string {
	if d := os.Getenv("STOWAGE_DATA"); d != "" {
		return d
	}
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "stowage")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".local", "share", "stowage")
	}
	return filepath.Join(os.TempDir(), "stowage")
}

func newRootCmd(o *options) *cobra.Command {
	root := &cobra.Command{
		Use:   "stowage",
		Short: "Exercise and inspect registry storage on any object store",
		Long: `stowage drives registry storage: S3, GCS, Azure Blob, OpenStack Swift,
Alibaba OSS, a local filesystem or memory, all through one contract.

The storage comes from --config (a registry config file in the reference
registry's form or an operator's values form) with --set keys merged onto
it, as Helm merges --set onto a values file, and REGISTRY_STORAGE_*
environment overrides applied last; with neither flag, it is the
filesystem driver under --data-dir.

Exit codes: 0 ok, 1 a failed operation or check, 2 bad usage or
configuration, 130 interrupted (after removing what the command wrote).`,
		Version:           version(),
		SilenceUsage:      true,
		SilenceErrors:     true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error { return o.setup(cmd) },
	}
	root.SetVersionTemplate("stowage {{.Version}}\n")
	root.SetOut(o.out)
	root.SetErr(o.errOut)
	pf := root.PersistentFlags()
	pf.StringVarP(&o.config, "config", "c", "", "registry configuration file (YAML), registry or values form")
	pf.StringVar(&o.storageURL, "storage", "", "storage as a URL, such as s3://bucket/root?region=us-east-1 or file:///var/lib/registry (see docs/gocloud.md); instead of --config and --set")
	pf.StringArrayVar(&o.sets, "set", nil, "Helm-style key merged onto --config, such as registry.storage.s3.bucket=name (repeatable; backend inferred when one provider is named)")
	pf.StringVar(&o.dataDir, "data-dir", defaultDataDir(), "directory of the default filesystem storage")
	pf.StringVar(&o.logLevel, "log-level", "warn", "driver and SDK log lines to show on standard error: debug, info, warn or error (SDK request logs also need the driver's own parameter, such as s3's loglevel)")
	pf.StringVar(&o.metricsAddr, "metrics-addr", "", "serve the stowage.driver.* metrics for Prometheus at http://ADDR/metrics while the command runs, such as 127.0.0.1:9464")
	pf.StringVar(&o.progress, "progress", "auto", "progress bars on standard error: auto (only on a terminal), always or never")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(newCheckCmd(o), newParamsCmd(o), newConfigCmd(o), newBenchCmd(o), newPurgeCmd(o))
	root.AddCommand(newLsCmd(o), newStatCmd(o), newCatCmd(o), newPutCmd(o), newRmCmd(o), newMvCmd(o))
	usageArgs(root)
	return root
}
