// Package standard registers stowage's storage drivers with distribution
// v3's driver factory under the standard names s3, gcs, azure, swift, oss,
// filesystem and inmemory, and links every stowage driver. Import it for
// its side effects:
//
//	import _ "github.com/stowage/stowage/distribution/standard"
//
// A registry's existing config.yml then works unchanged: storage: {s3: ...}
// opens stowage's s3 driver with the same parameters.
//
// Importing it into a program that also links one of distribution's own
// drivers of the same name (registry/storage/driver/s3-aws, gcs, azure,
// filesystem, inmemory) panics at start-up, as distribution's own
// factory.Register does on a duplicate name: drop distribution's driver
// import, or register stowage's drivers under other names with
// distribution.RegisterWithPrefix, RegisterNames or RegisterFree (with
// github.com/stowage/stowage/all imported to link the drivers) instead of
// importing this package.
package standard

import (
	"fmt"

	_ "github.com/stowage/stowage/all" // every stowage driver
	"github.com/stowage/stowage/distribution"
)

func init() {
	if err := distribution.RegisterStandard(); err != nil {
		panic(fmt.Sprintf("github.com/stowage/stowage/distribution/standard: %v (another package, such as one of distribution's own storage drivers, registered the name first; see the package documentation)", err))
	}
}
