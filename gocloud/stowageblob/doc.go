// Package stowageblob makes any stowage driver a Go CDK bucket
// (gocloud.dev/blob): OpenBucket wraps a driver, and the URL opener
// registered for the "stowage" scheme opens one from a URL:
//
//	stowage://DRIVER?PARAM=VALUE&...              the driver DRIVER with those parameters
//	stowage:///?config=/etc/registry/config.yml   the storage section of a configuration file
//
// So Go CDK programs reach every stowage adapter (Swift and Alibaba OSS
// among them) and every storage middleware, configured and validated the
// way a registry is. Import the adapters to open (or
// github.com/stowage/stowage/all) beside this package.
//
// A key is the driver path "/" + key, with what a path cannot hold
// hex-escaped as "__0x<hex>__", so registry paths are their own keys. A
// blob's attributes (content type, metadata, MD5, ...) are kept in a small
// object of the reserved tree "/.stowageblob/", which no key reaches and
// no listing shows. Listings walk the driver (in key order for keys of
// [A-Za-z0-9._-] segments), writes are uploads committed by Close, Copy
// streams through the process, Delete removes one blob only, and
// SignedURL gives the driver's GET redirect URLs (other methods are
// Unimplemented). See docs/gocloud.md for the whole mapping.
//
// # As
//
// stowageblob exposes the following types for As:
//   - Bucket: driver.StorageDriver (github.com/stowage/stowage/driver)
//   - Error: stowage's typed errors (driver.PathNotFoundError, ...) and
//     the provider errors they wrap
//   - WriterOptions.BeforeWrite: driver.FileWriter
package stowageblob
