package stowageblob

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"os"
	"slices"

	"gocloud.dev/blob"

	"github.com/stowage/stowage/configmap"
	stowage "github.com/stowage/stowage/driver"
)

// Scheme is the URL scheme stowageblob registers its URLOpener under on
// blob.DefaultURLMux.
const Scheme = "stowage"

func init() { blob.DefaultURLMux().RegisterBucket(Scheme, &URLOpener{}) }

// URLOpener opens stowage URLs, in two forms:
//
//	stowage://DRIVER?PARAM=VALUE&...
//	stowage:///?config=/etc/registry/config.yml
//
// The first opens the stowage driver registered as DRIVER (s3, gcs, azure,
// swift, oss, filesystem, inmemory, gocloud: import the adapter, or
// github.com/stowage/stowage/all) with the query parameters as its
// parameters, named as in its parameter table; a nested parameter is
// dotted, as in credentials.type=default_credentials. The second reads the
// storage section of a configuration file in any form stowage loads (the
// reference registry's storage: {DRIVER: {...}} with its middleware and
// redirect.disable, or an operator's values), with the
// REGISTRY_STORAGE_<DRIVER>_<PARAM> overrides of the environment, as the
// registry reading that file would. Either way the parameters are checked
// before anything is opened, and errors name each bad parameter with
// secrets redacted. The Go CDK's own prefix parameter applies to both.
//
// Keep secrets out of URLs, which end up in logs: put them in the
// configuration file, or in the environment the driver reads them from.
type URLOpener struct {
	// Options are given to the driver: logger, HTTP client, OpenTelemetry
	// providers, user agent.
	Options []stowage.Option
}

// OpenBucketURL implements blob.BucketURLOpener.
func (o *URLOpener) OpenBucketURL(ctx context.Context, u *url.URL) (*blob.Bucket, error) {
	cfg, err := config(u)
	if err != nil {
		return nil, fmt.Errorf("open bucket stowage://%s: %w", u.Host, err)
	}
	if _, err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("open bucket stowage://%s: %w", u.Host, err)
	}
	d, err := cfg.Open(ctx, o.Options...)
	if err != nil {
		return nil, fmt.Errorf("open bucket stowage://%s: %w", u.Host, err)
	}
	return blob.NewBucket(&bucket{d: d, owned: true}), nil
}

// config returns the storage configuration a stowage URL names.
func config(u *url.URL) (*configmap.StorageConfig, error) {
	if u.Path != "" && u.Path != "/" {
		return nil, errors.New("a stowage URL has no path: stowage://DRIVER?PARAM=VALUE or stowage:///?config=FILE")
	}
	q := u.Query()
	if u.Host != "" {
		return &configmap.StorageConfig{Provider: u.Host, Params: configmap.QueryParams(q), Form: "url"}, nil
	}
	file := q.Get("config")
	q.Del("config")
	if file == "" || len(q) > 0 {
		keys := slices.Sorted(maps.Keys(q))
		if file == "" {
			return nil, errors.New("name a driver (stowage://DRIVER?PARAM=VALUE) or a configuration file (stowage:///?config=FILE)")
		}
		return nil, fmt.Errorf("with config, no other query parameter is accepted (got %v)", keys)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	return configmap.Load(data, os.Environ())
}
