// Package driver defines the storage contract every stowage adapter implements:
// the StorageDriver and FileWriter interfaces, FileInfo, the typed errors, the
// path rules, the factory and middleware registries, and Base, the wrapper that
// validates input, names the driver on errors and records OpenTelemetry spans
// and metrics once for all adapters.
//
// The method set and semantics follow the reference registry's storage driver,
// so a registry server can adopt stowage with a thin shim.
//
// # Paths
//
// A path is one or more segments, each a slash followed by characters from
// [A-Za-z0-9._-], for example /docker/registry/v2/blobs. The segments "." and
// ".." are refused. "/" is also valid for Stat, List and Walk. Anything else is
// an InvalidPathError, returned before any request is sent.
//
// # Writers
//
// Writer(ctx, path, false) starts a new upload. Writer(ctx, path, true)
// resumes the upload in progress at path after an earlier Close, possibly in
// another process, or appends to a committed object. Nothing is visible at the
// path until Commit; Cancel removes every trace of the upload.
//
// # Walk order
//
// Walk visits files and directories in byte order of their full paths (the
// order object stores list keys in), so "/a" comes before "/a-b", which comes
// before "/a/b". A directory is always visited before anything under it.
// WithStartAfterHint skips every entry whose path is not greater than the hint.
package driver
