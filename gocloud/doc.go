// Package gocloud is the stowage driver over any Go CDK bucket
// (gocloud.dev/blob): its parameter url opens a bucket URL with the Go
// CDK's own openers, registered here for s3:// (s3blob), gs:// (gcsblob),
// azblob:// (azureblob), file:// (fileblob) and mem:// (memblob), and the
// driver gives it registry semantics. It registers itself as "gocloud".
//
// Parameters (the storage.gocloud section of a registry configuration):
//
//   - url (required): the Go CDK bucket URL, such as
//     s3://bucket?region=us-east-1, gs://bucket, azblob://container,
//     file:///var/lib/registry?metadata=skip or mem://. Credentials come
//     from each provider's environment, never from the URL.
//   - rootdirectory: prefix of every object key.
//   - chunksize (10MiB, 5MiB to 5GiB): bytes a writer buffers before it
//     streams its part object; the buffer size of streamed uploads.
//   - maxconcurrency (4, 1 to 1000): parallel requests of a streamed
//     upload and of a recursive delete.
//   - redirectexpiry (20m, 1m to 168h): validity of redirect URLs.
//
// Writers keep an upload as hidden part objects under the root's
// "~uploads/" (internal/objparts): each session streams into its own part,
// Close finishes it so that a writer in any process resumes by listing the
// parts, and Commit assembles them at the path (a server-side copy of a
// single part, a compose on GCS with the bucket's own client, otherwise a
// stream of the parts into one new object), then deletes them. Move is a
// copy and a delete; Delete removes the object and everything under
// path + "/" (internal/deltree); Walk hands one flat listing to
// driver.WalkFiles; RedirectURL is the bucket's SignedURL (for HEAD: the
// same URL on Azure, one presigned for HEAD on S3, none elsewhere), ""
// where the provider does not sign. The driver implements
// driver.UploadPurger.
//
// New opens the bucket from its URL; FromBucket takes a bucket the
// program opened, with its own clients and credentials. The package
// gocloud/stowageblob is the other direction: any stowage driver as a Go
// CDK bucket. See docs/gocloud.md.
package gocloud
