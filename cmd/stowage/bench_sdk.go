package main

import (
	"github.com/stowage/stowage/azure"
	"github.com/stowage/stowage/configmap"
	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/gcs"
	"github.com/stowage/stowage/internal/sdkbench"
	"github.com/stowage/stowage/oss"
	"github.com/stowage/stowage/s3"
	"github.com/stowage/stowage/swift"
)

// writeSize is the size of the writes of a stream the SDK's upload takes
// as one (gcs, swift): the 1 MiB of a registry's PATCH body.
const writeSize = 1 << 20

// sdkBench writes and reads blobs with a provider's SDK directly, on the
// driver's own SDK client, beside the driver, at paths of the same driver
// (keys under its root): an upload from the blob in memory, a read to the
// end.
type sdkBench struct {
	name   string // what the SDK is, for the heading line
	target sdkbench.Target
}

// sdkFor returns the SDK comparison for the driver d opened from cfg, at
// the driver's part size, concurrency and integrity checks, or nil for a
// driver with no SDK (filesystem, inmemory) or one bench does not know.
func sdkFor(d driver.StorageDriver, cfg *configmap.StorageConfig) *sdkBench {
	switch cfg.Provider {
	case s3.Name:
		var p s3.Params
		sd, ok := driver.As[*s3.Driver](d)
		if !ok || configmap.Decode(cfg.Params, &p) != nil {
			return nil
		}
		return &sdkBench{"aws-sdk-go-v2 client of the s3 driver", sdkbench.S3{
			Client: sd.Client(), Bucket: sd.Bucket(), Key: sd.ObjectKey,
			PartSize: int64(p.ChunkSize), Concurrency: p.MaxConcurrency,
			MD5: !p.V4Auth, // the driver sends a Content-MD5 under Signature Version 2
		}}
	case gcs.Name:
		var p gcs.Params
		sd, ok := driver.As[*gcs.Driver](d)
		if !ok || configmap.Decode(cfg.Params, &p) != nil {
			return nil
		}
		return &sdkBench{"cloud.google.com/go/storage client of the gcs driver", sdkbench.GCS{
			Bucket: sd.Bucket(), Key: sd.ObjectKey, ChunkSize: int(p.ChunkSize), Concurrency: p.MaxConcurrency,
		}}
	case azure.Name:
		var p azure.Params
		sd, ok := driver.As[*azure.Driver](d)
		if !ok || configmap.Decode(cfg.Params, &p) != nil {
			return nil
		}
		return &sdkBench{"azblob client of the azure driver", sdkbench.Azure{
			Container: sd.Container(), Key: sd.ObjectKey, BlockSize: azure.BlockSize, Concurrency: p.MaxConcurrency,
		}}
	case swift.Name:
		var p swift.Params
		sd, ok := driver.As[*swift.Driver](d)
		if !ok || configmap.Decode(cfg.Params, &p) != nil {
			return nil
		}
		return &sdkBench{"ncw/swift connection of the swift driver", sdkbench.Swift{
			Conn: sd.Connection(), Container: sd.Container(), Key: sd.ObjectKey, ChunkSize: int64(p.ChunkSize),
		}}
	case oss.Name:
		var p oss.Params
		sd, ok := driver.As[*oss.Driver](d)
		if !ok || configmap.Decode(cfg.Params, &p) != nil {
			return nil
		}
		return &sdkBench{"aliyun-oss-go-sdk client of the oss driver", sdkbench.OSS{
			Bucket: sd.Bucket(), Key: sd.ObjectKey, PartSize: int64(p.ChunkSize), Concurrency: p.MaxConcurrency,
		}}
	}
	return nil
}
