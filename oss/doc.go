// Package oss is the stowage driver for Alibaba Cloud Object Storage Service
// (OSS), on github.com/aliyun/aliyun-oss-go-sdk. It registers itself as
// "oss".
//
// Parameters (the storage.oss section of a registry configuration):
//
//   - accesskeyid (required): access key ID of the account or RAM user.
//   - accesskeysecret (required, secret): the matching access key secret.
//   - region (required): OSS region ID, such as oss-cn-hangzhou (cn-hangzhou
//     is accepted too).
//   - bucket (required): the bucket that holds the data; it must exist.
//   - endpoint: endpoint domain name or URL; empty derives
//     <region>[-internal].aliyuncs.com from region and internal.
//   - internal (false): use the region's internal (VPC) endpoint.
//   - encrypt (false): server-side encryption of every object written
//     (x-oss-server-side-encryption: AES256).
//   - encryptionkeyid: KMS key ID; with encrypt, objects are encrypted with
//     KMS and that key. Without encrypt it is an error.
//   - secure (true): HTTPS, when endpoint has no scheme.
//   - chunksize (10MiB, 5MiB to 5GiB): part size of multipart uploads.
//   - rootdirectory: prefix of every object key.
//   - multipartcopythresholdsize (1GiB, at most 1GiB): Move copies larger
//     objects with UploadPartCopy in parts, smaller ones with CopyObject.
//   - multipartcopychunksize (256MiB, 5MiB to 5GiB): part size of those
//     copies.
//
// Writers upload whole chunksize parts of an OSS multipart upload as they
// fill. Close stores the remainder (less than a part) as a hidden object
// beside the root ("<rootdirectory>.uploads/<uploadID>", or
// "~uploads/<uploadID>" with no root), because OSS cannot read parts back;
// Writer(path, true) in any process finds the upload with
// ListMultipartUploads, sums its parts with ListParts and reads that
// remainder back. Commit completes the upload (or, for an upload that never
// filled a part, stores it with one PutObject), so the object appears at
// once; Cancel aborts the upload and removes the remainder, once the parts
// in flight have landed. Encryption applies to every write: PutObject, InitiateMultipartUpload and copies.
//
// Move copies then deletes the source; Delete removes the object and
// everything under path + "/" with DeleteMultipleObjects, 1,000 keys per
// call; Walk hands one flat ListObjectsV2 listing, started after the walk's
// StartAfterHint, to driver.WalkFiles; RedirectURL returns a presigned GET or
// HEAD URL valid for 20 minutes. The driver implements driver.UploadPurger.
//
// Requests are signed with the SDK's default, signature version 1. Tests run
// against oss/osstest, an in-process OSS server that checks those
// signatures.
package oss
