// Command registry is distribution v3's registry (serve, garbage-collect)
// with stowage's storage drivers under the standard names: s3, gcs, azure,
// swift, oss, filesystem and inmemory. distribution's auth (htpasswd,
// silly, token), pull-through proxy and storage middleware (cloudfront,
// redirect, rewrite) are linked as in distribution's own command;
// distribution's own storage drivers are not.
//
//	go run github.com/stowage/stowage/distribution/cmd/registry serve config.yml
//	go run github.com/stowage/stowage/distribution/cmd/registry garbage-collect [--dry-run] [--delete-untagged] config.yml
package main

import (
	"os"

	"github.com/distribution/distribution/v3/registry"
	_ "github.com/distribution/distribution/v3/registry/auth/htpasswd"
	_ "github.com/distribution/distribution/v3/registry/auth/silly"
	_ "github.com/distribution/distribution/v3/registry/auth/token"
	_ "github.com/distribution/distribution/v3/registry/proxy"
	_ "github.com/distribution/distribution/v3/registry/storage/driver/middleware/cloudfront"
	_ "github.com/distribution/distribution/v3/registry/storage/driver/middleware/redirect"
	_ "github.com/distribution/distribution/v3/registry/storage/driver/middleware/rewrite"
	_ "github.com/stowage/stowage/distribution/standard"
)

func main() {
	if err := registry.RootCmd.Execute(); err != nil {
		os.Exit(1)
	}
}
