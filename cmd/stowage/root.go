package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	_ "github.com/stowage/stowage/all"
	"github.com/stowage/stowage/configmap"
	"github.com/stowage/stowage/driver"
)

// usageError marks errors in the command line or the configuration (exit 2).
type usageError struct{ error }

func (e usageError) Unwrap() error { return e.error }

type options struct {
	config  string
	sets    []string
	dataDir string
	out     io.Writer
	errOut  io.Writer
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

func newRootCmd(out, errOut io.Writer) *cobra.Command {
	o := &options{out: out, errOut: errOut}
	root := &cobra.Command{
		Use:   "stowage",
		Short: "Exercise and inspect registry storage on any object store",
		Long: `stowage drives registry storage: S3, GCS, Azure Blob, OpenStack Swift,
Alibaba OSS, a local filesystem or memory, all through one contract.

The storage comes from --config (a registry config file in the reference
registry's form or an operator's values form, with REGISTRY_STORAGE_*
environment overrides) and --set registry.storage.<key>=value; with neither,
it is the filesystem driver under --data-dir.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(out)
	root.SetErr(errOut)
	pf := root.PersistentFlags()
	pf.StringVarP(&o.config, "config", "c", "", "registry configuration file (YAML)")
	pf.StringArrayVar(&o.sets, "set", nil, "Helm-style key, such as registry.storage.s3.bucket=name (repeatable)")
	pf.StringVar(&o.dataDir, "data-dir", defaultDataDir(), "directory of the default filesystem storage")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(newCheckCmd(o), newParamsCmd(o), newConfigCmd(o), newBenchCmd(o), newPurgeCmd(o))
	root.AddCommand(newFileCmds(o)...)
	return root
}

// storageConfig returns the configured storage section.
func (o *options) storageConfig() (*configmap.StorageConfig, error) {
	switch {
	case o.config != "" && len(o.sets) > 0:
		return nil, usageError{fmt.Errorf("use --config or --set, not both")}
	case o.config != "":
		data, err := os.ReadFile(o.config)
		if err != nil {
			return nil, usageError{err}
		}
		cfg, err := configmap.Load(data, os.Environ())
		if err != nil {
			return nil, usageError{err}
		}
		return cfg, nil
	case len(o.sets) > 0:
		cfg, err := configmap.ParseSet(o.sets)
		if err != nil {
			return nil, usageError{err}
		}
		return cfg, nil
	}
	return &configmap.StorageConfig{
		Provider: "filesystem",
		Params:   map[string]any{"rootdirectory": o.dataDir},
		Form:     "default",
	}, nil
}

// open validates the configuration, then opens the driver.
func (o *options) open(ctx context.Context) (driver.StorageDriver, *configmap.StorageConfig, error) {
	cfg, err := o.storageConfig()
	if err != nil {
		return nil, nil, err
	}
	if _, err := cfg.Validate(); err != nil {
		return nil, nil, usageError{err}
	}
	d, err := cfg.Open(ctx)
	if err != nil {
		return nil, nil, err
	}
	return d, cfg, nil
}
