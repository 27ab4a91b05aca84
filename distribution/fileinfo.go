package distribution

import (
	storagedriver "github.com/distribution/distribution/v3/registry/storage/driver"
	"github.com/stowage/stowage/driver"
)

// fileInfo returns a stowage FileInfo as the value distribution's drivers
// return, storagedriver.FileInfoInternal.
func fileInfo(fi driver.FileInfo) storagedriver.FileInfo {
	return storagedriver.FileInfoInternal{FileInfoFields: storagedriver.FileInfoFields{
		Path:    fi.Path(),
		Size:    fi.Size(),
		ModTime: fi.ModTime(),
		IsDir:   fi.IsDir(),
	}}
}
