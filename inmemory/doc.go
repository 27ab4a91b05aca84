// Package inmemory is a stowage driver that keeps everything in process
// memory, for tests and ephemeral registries. It has no parameters.
//
// Drivers made with NewShared on one Store see the same data and the same
// uploads in progress, as two processes sharing a bucket would, so resumed
// uploads can be tested. RedirectURL always returns "".
package inmemory
