// Package all registers every stowage storage driver and storage
// middleware. Import it for its side effects:
//
//	import _ "github.com/stowage/stowage/all"
package all

import (
	// Storage drivers.
	_ "github.com/stowage/stowage/azure"
	_ "github.com/stowage/stowage/filesystem"
	_ "github.com/stowage/stowage/gcs"
	_ "github.com/stowage/stowage/gocloud"
	_ "github.com/stowage/stowage/inmemory"
	_ "github.com/stowage/stowage/oss"
	_ "github.com/stowage/stowage/s3"
	_ "github.com/stowage/stowage/swift"

	// Storage middleware.
	_ "github.com/stowage/stowage/middleware/cloudfront"
)
