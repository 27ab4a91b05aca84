package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/stowage/stowage/configmap"
	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/internal/redact"
)

// session is what the global flags set up for a command: the logger and
// the meter provider handed to every driver, and what to release at exit.
type session struct {
	logs    *redact.Redactor
	logOpt  driver.Option
	meters  driver.Option
	closers []func() error
}

// setup applies the global flags before a command runs.
func (o *options) setup(cmd *cobra.Command) error {
	switch o.progress {
	case "auto", "always", "never":
	default:
		return usageError{fmt.Errorf("--progress: expected auto, always or never, got %q", o.progress)}
	}
	logger, logs, err := newLogger(o.errOut, o.logLevel)
	if err != nil {
		return usageError{err}
	}
	o.logs = logs
	o.logOpt = driver.WithLogger(logger)
	if o.metricsAddr != "" {
		mp, shutdown, err := serveMetrics(o.metricsAddr, o.errOut)
		if err != nil {
			return usageError{fmt.Errorf("--metrics-addr: %w", err)}
		}
		o.meters = driver.WithMeterProvider(mp)
		o.closers = append(o.closers, shutdown)
	}
	return nil
}

// close releases, in reverse order, what setup and the command opened.
func (o *options) close() error {
	var errs []error
	for i := len(o.closers) - 1; i >= 0; i-- {
		errs = append(errs, o.closers[i]())
	}
	o.closers = nil
	return errors.Join(errs...)
}

// driverOptions are the options every driver the command opens gets.
func (o *options) driverOptions() []driver.Option {
	return []driver.Option{o.logOpt, o.meters}
}

// storageConfig returns the configured storage section: --storage, or
// --config with --set keys merged onto it and environment overrides
// applied, or the default filesystem storage under --data-dir.
func (o *options) storageConfig() (*configmap.StorageConfig, error) {
	if o.storageURL != "" {
		if o.config != "" || len(o.sets) > 0 {
			return nil, usageError{errors.New("--storage is a whole storage configuration: use it without --config and --set")}
		}
		cfg, err := configmap.ParseURL(o.storageURL)
		if err != nil {
			return nil, usageError{fmt.Errorf("--storage %s: %w", configmap.RedactURL(o.storageURL), err)}
		}
		return cfg, nil
	}
	if o.config == "" && len(o.sets) == 0 {
		return &configmap.StorageConfig{
			Provider: "filesystem",
			Params:   map[string]any{"rootdirectory": o.dataDir},
			Form:     "default",
		}, nil
	}
	var data []byte
	if o.config != "" {
		var err error
		if data, err = os.ReadFile(o.config); err != nil {
			return nil, usageError{err}
		}
	}
	cfg, err := configmap.LoadSet(data, o.sets, os.Environ())
	if err != nil {
		return nil, usageError{err}
	}
	return cfg, nil
}

// open validates the configuration, then opens the driver with the
// command's logger and meter provider. It is closed when the command ends.
func (o *options) open(ctx context.Context) (driver.StorageDriver, *configmap.StorageConfig, error) {
	cfg, err := o.storageConfig()
	if err != nil {
		return nil, nil, err
	}
	if _, err := cfg.Validate(); err != nil {
		return nil, nil, o.invalid(err)
	}
	d, err := o.openConfig(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	return d, cfg, nil
}

// openConfig opens cfg (already validated) and closes it when the command
// ends. The secrets of its parameters are hidden from every log line.
func (o *options) openConfig(ctx context.Context, cfg *configmap.StorageConfig) (driver.StorageDriver, error) {
	if o.logs != nil {
		o.logs.Hide(secretsOf(cfg)...)
	}
	d, err := cfg.Open(ctx, o.driverOptions()...)
	if err != nil {
		return nil, err
	}
	o.closers = append(o.closers, func() error { return driver.Close(d) })
	return d, nil
}
