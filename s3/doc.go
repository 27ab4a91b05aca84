// Package s3 is the stowage driver for Amazon S3 and S3-compatible services
// (MinIO, Ceph RGW, ...), on aws-sdk-go-v2. It registers itself as "s3".
//
// Parameters (see Params and docs/s3.md), as in the reference registry's
// storage.s3 section:
//
//   - accesskey, secretkey, sessiontoken: static credentials; without them
//     the SDK's default chain (environment, shared files, IRSA, ECS and EC2
//     instance roles).
//   - region (required unless regionendpoint), regionendpoint,
//     forcepathstyle (default true), secure (default true), skipverify,
//     usedualstack, accelerate, usefipsendpoint, useragent.
//   - bucket (required), rootdirectory.
//   - encrypt (SSE-S3), keyid (SSE-KMS, needs encrypt), storageclass
//     (default STANDARD; NONE sends none), objectacl (default private):
//     applied on every write, copies included.
//   - v4auth (default true; false signs with Signature Version 2, for
//     S3-compatible services only).
//   - chunksize (default 10MiB, 5MiB..5GiB), maxconcurrency (default 4):
//     the writer uploads parts of chunksize, up to maxconcurrency at a time,
//     holding at most maxconcurrency+1 part buffers.
//   - multipartcopychunksize, multipartcopymaxconcurrency,
//     multipartcopythresholdsize: Move copies objects above the threshold
//     with parallel UploadPartCopy requests.
//   - loglevel (off, debug, debugwithsigning, debugwithhttpbody,
//     debugwithrequestretries, debugwithrequesterrors,
//     debugwitheventstreambody): the SDK's log modes, written to log/slog
//     (WithLogger).
//   - redirectendpoint, disableredirect: redirect URLs are GET or HEAD URLs
//     presigned for 20 minutes, against redirectendpoint when set.
//   - checksummode (when_required, when_supported): when the SDK computes
//     request checksums and validates response checksums.
//
// Every body is checked by the server: under Signature Version 4 the SDK
// signs its SHA-256 (or sends a trailing CRC32 over TLS with
// when_supported), under Version 2 the driver sends a Content-MD5, so a
// byte damaged on the way is refused and the request sent again.
//
// Uploads are S3 multipart uploads, invisible until Commit. Close keeps the
// upload: the bytes too few for a part (S3 wants 5 MiB in every part but
// the last, and cannot read back an uploaded part) are kept in a small
// object <root>/~uploads/<path>~state, a name no valid path reaches and
// that List and Walk leave out; Writer(path, true) from any
// process finds the newest upload of the key and that object. Commit
// completes the upload (or sends one PutObject when everything fits in
// memory); Cancel aborts it, once the parts in flight have landed (a part
// in flight is not abandoned, for up to a minute: one stored after the
// abort would stay). PurgeUploads aborts uploads older than a duration,
// both those S3 lists under the root and the closed ones found
// by their state object (MinIO lists the uploads of one exact key only).
//
// Preflight tries each action of the reference registry's IAM policy, and
// an access-denied error from any operation is an *AccessDeniedError
// naming the IAM action the credentials lack.
package s3
