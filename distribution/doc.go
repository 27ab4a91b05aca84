// Package distribution makes stowage's storage drivers distribution v3
// storage drivers (github.com/distribution/distribution/v3, the reference
// registry), so a registry built on distribution — distribution's own
// registry command, or one such as zot — keeps its blobs on any store
// stowage supports. It is its own Go module, so that stowage itself never
// depends on distribution.
//
// New turns any stowage driver.StorageDriver (with its middleware) into a
// distribution storagedriver.StorageDriver, translating every method, the
// FileWriter, FileInfo, walk options and walk callback results, and
// returning errors as the very values distribution's own drivers return:
// storagedriver.PathNotFoundError, InvalidPathError, InvalidOffsetError,
// ErrUnsupportedMethod, and storagedriver.Error{DriverName, Detail} for
// everything else, with the stowage error (which wraps the provider's) as
// Detail. The result embeds distribution's base.Base as distribution's own
// drivers do, so the registry's storage metrics and spans are recorded.
//
// FromDistribution is the reverse direction, a distribution driver as a
// stowage driver.
//
// # Registration
//
// Import github.com/stowage/stowage/distribution/standard to register
// stowage's drivers with distribution's factory under the standard names
// (s3, gcs, azure, swift, oss, filesystem, inmemory), so an existing
// config.yml works unchanged. Programs that also link distribution's own
// drivers (zot links s3-aws, gcs and azure) use RegisterWithPrefix
// ("stowage-s3", ...), RegisterNames (any names) or RegisterFree (only
// names still free) instead, with github.com/stowage/stowage/all imported
// to link the stowage drivers. Parameters are passed to stowage's own
// decoding, which takes the reference registry's parameter names and loose
// YAML and environment types.
//
// The command github.com/stowage/stowage/distribution/cmd/registry is
// distribution's registry built with stowage's drivers.
package distribution
