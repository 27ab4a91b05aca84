package distribution_test

import "testing"

// Each adapter's server is started once and shared by distribution's
// driver suite, the end-to-end registry test and the storage middleware
// test, each in its own area (root directory or prefix) of the store.

func TestFilesystem(t *testing.T) {
	b := filesystemBackend(t)
	t.Run("Suite", func(t *testing.T) { runSuite(t, b) })
	t.Run("E2E", func(t *testing.T) { runE2E(t, b) })
	t.Run("Middleware", func(t *testing.T) { runMiddleware(t, b) })
}

// TestInmemory runs distribution's suite on the standard inmemory name
// (a new store per driver, as in a registry) and the registry tests on a
// store the test shares with the registry, to look at what it stored.
func TestInmemory(t *testing.T) {
	t.Run("Suite", func(t *testing.T) { runSuite(t, inmemoryBackend(false)) })
	b := inmemoryBackend(true)
	t.Run("E2E", func(t *testing.T) { runE2E(t, b) })
	t.Run("Middleware", func(t *testing.T) { runMiddleware(t, b) })
}

func TestS3(t *testing.T) {
	b := s3Backend(t)
	t.Run("Suite", func(t *testing.T) { runSuite(t, b) })
	t.Run("E2E", func(t *testing.T) { runE2E(t, b) })
	t.Run("Middleware", func(t *testing.T) { runMiddleware(t, b) })
}

func TestGCS(t *testing.T) {
	b := gcsBackend(t)
	t.Run("Suite", func(t *testing.T) { runSuite(t, b) })
	t.Run("E2E", func(t *testing.T) { runE2E(t, b) })
	t.Run("Middleware", func(t *testing.T) { runMiddleware(t, b) })
}

func TestAzure(t *testing.T) {
	b := azureBackend(t)
	t.Run("Suite", func(t *testing.T) { runSuite(t, b) })
	t.Run("E2E", func(t *testing.T) { runE2E(t, b) })
	t.Run("Middleware", func(t *testing.T) { runMiddleware(t, b) })
}

func TestSwift(t *testing.T) {
	b := swiftBackend(t)
	t.Run("Suite", func(t *testing.T) { runSuite(t, b) })
	t.Run("E2E", func(t *testing.T) { runE2E(t, b) })
	t.Run("Middleware", func(t *testing.T) { runMiddleware(t, b) })
}

func TestOSS(t *testing.T) {
	b := ossBackend(t)
	t.Run("Suite", func(t *testing.T) { runSuite(t, b) })
	t.Run("E2E", func(t *testing.T) { runE2E(t, b) })
	t.Run("Middleware", func(t *testing.T) { runMiddleware(t, b) })
}
