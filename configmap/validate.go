package configmap

import (
	"context"
	"errors"
	"fmt"

	"github.com/stowage/stowage/driver"
)

// Checked is a storage configuration whose parameters, and the options of
// each of its storage middleware, were decoded and checked.
type Checked struct {
	// Params is the provider's decoded parameter struct (a pointer), or
	// nil for a provider that declares none.
	Params any
	// Middleware holds the decoded options struct of each middleware, in
	// order (nil for one that declares none).
	Middleware []any
	// Skipped lists the checks that were not run, such as those that read
	// local files when SkipLocalFiles is given.
	Skipped []string
	// Warnings lists settings that are valid but probably not what was
	// meant (see Warner), each naming where it is.
	Warnings []string
}

// ValidateOption changes what Validate checks.
type ValidateOption func(*validateOptions)

type validateOptions struct{ skipFiles bool }

// SkipLocalFiles makes Validate leave out the checks that read local files
// named by parameters (key files, private keys), for a configuration meant
// for another machine. Validate never sends a request.
func SkipLocalFiles() ValidateOption { return func(o *validateOptions) { o.skipFiles = true } }

// Validate decodes and checks the provider's parameters and the options of
// every storage middleware with their declarations, without opening a
// connection, and returns them or every error found: the error lists one
// problem per line, each naming where it is ("storage s3: parameter
// \"bucket\": ...", "middleware.storage[0] (cloudfront): ..."), and wraps
// each *Error.
func (c *StorageConfig) Validate(opts ...ValidateOption) (*Checked, error) {
	var o validateOptions
	for _, opt := range opts {
		opt(&o)
	}
	f, err := driver.Drivers.Get(c.Provider)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	var out Checked
	var errs []error
	if d, ok := f.(driver.ParamsDeclarer); ok {
		p := d.NewParams()
		if err := c.check(p, o, "storage."+c.Provider, &out); err != nil {
			errs = append(errs, each("storage "+c.Provider, err)...)
		}
		out.Params = p
	}
	for i, mc := range c.Middleware {
		where := fmt.Sprintf("middleware.storage[%d] (%s)", i, mc.Name)
		mf, err := driver.Middlewares.Get(mc.Name)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", where, err))
			out.Middleware = append(out.Middleware, nil)
			continue
		}
		d, ok := mf.(driver.ParamsDeclarer)
		if !ok {
			out.Middleware = append(out.Middleware, nil)
			continue
		}
		p := d.NewParams()
		if err := c.checkOptions(p, mc.Options, o, where, &out); err != nil {
			errs = append(errs, each(where, err)...)
		}
		out.Middleware = append(out.Middleware, p)
	}
	if len(errs) > 0 {
		return &out, errors.Join(errs...)
	}
	return &out, nil
}

// each returns one error per problem in err, each prefixed with where, so
// that the joined error lists one problem per line.
func each(where string, err error) []error {
	var es Errors
	if !errors.As(err, &es) {
		return []error{fmt.Errorf("%s: %w", where, err)}
	}
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = fmt.Errorf("%s: %w", where, e)
	}
	return out
}

func (c *StorageConfig) check(p any, o validateOptions, where string, out *Checked) error {
	return c.checkOptions(p, c.Params, o, where, out)
}

func (c *StorageConfig) checkOptions(p any, params map[string]any, o validateOptions, where string, out *Checked) error {
	if err := Decode(params, p); err != nil {
		return err
	}
	if w, ok := p.(Warner); ok {
		for _, msg := range w.Warnings() {
			out.Warnings = append(out.Warnings, where+": "+msg)
		}
	}
	fc, ok := p.(FileChecker)
	if !ok {
		return nil
	}
	if o.skipFiles {
		out.Skipped = append(out.Skipped, where+": local files named by parameters not read")
		return nil
	}
	return fc.CheckFiles()
}

// Open opens the configured driver with opts (logger, HTTP client,
// OpenTelemetry providers, user agent: see driver.Options), applies the
// storage middleware in order and, when redirects are disabled, makes
// RedirectURL return "". Close the result with driver.Close.
func (c *StorageConfig) Open(ctx context.Context, opts ...driver.Option) (driver.StorageDriver, error) {
	d, err := driver.Open(ctx, c.Provider, c.Params, opts...)
	if err != nil {
		return nil, err
	}
	chain, err := driver.ApplyMiddleware(ctx, d, c.Middleware, opts...)
	if err != nil {
		return nil, errors.Join(err, driver.Close(d))
	}
	d = chain
	if c.RedirectDisabled {
		d = driver.NoRedirect(d)
	}
	return d, nil
}
