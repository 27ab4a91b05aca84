// Package osstest runs an in-process server for the Alibaba Cloud OSS REST
// protocol, for testing code written against OSS without an account.
//
// The server listens on 127.0.0.1 (through net/http/httptest), keeps
// everything in memory and speaks the subset of the protocol that object
// storage clients use:
//
//   - objects: PutObject, GetObject (with Range, honouring
//     x-oss-range-behavior: standard, and If-Match), HeadObject, DeleteObject,
//     DeleteMultipleObjects (POST ?delete), CopyObject (x-oss-copy-source,
//     x-oss-copy-source-if-match);
//   - listings: ListObjects (prefix, delimiter, marker, max-keys) and
//     ListObjectsV2 (list-type=2, continuation-token, start-after), with
//     encoding-type=url;
//   - multipart uploads: InitiateMultipartUpload, UploadPart,
//     UploadPartCopy (x-oss-copy-source-range), CompleteMultipartUpload,
//     AbortMultipartUpload, ListMultipartUploads, ListParts;
//   - server-side encryption: x-oss-server-side-encryption (AES256, KMS,
//     SM4) and x-oss-server-side-encryption-key-id are stored with the object
//     and returned by HEAD and GET;
//   - PutBucket (PUT /bucket) creates a bucket.
//
// Every request must be signed the way the aliyun-oss-go-sdk signs by
// default (signature version 1: "Authorization: OSS AccessKeyId:Signature",
// an HMAC-SHA1 over the verb, Content-MD5, Content-Type, Date, the
// canonicalized x-oss- headers and the canonicalized resource with its
// sub-resources), or be a presigned URL (OSSAccessKeyId, Expires and
// Signature query parameters). Unknown access key IDs get 403
// InvalidAccessKeyId, wrong signatures 403 SignatureDoesNotMatch, expired
// URLs 403 AccessDenied, requests without credentials 403 AccessDenied.
// Errors are OSS's XML error documents with OSS's codes (NoSuchKey,
// NoSuchBucket, NoSuchUpload, InvalidPart, InvalidPartOrder,
// EntityTooSmall, InvalidArgument, InvalidRange, InvalidDigest,
// MalformedXML, ...); HEAD errors carry the document base64-encoded in the
// x-oss-err header, as OSS does, so the SDK reports the code.
//
// Buckets are addressed path-style (http://127.0.0.1:port/bucket/key), which
// the SDK uses by itself when the endpoint is an IP address, or
// virtual-hosted (bucket.host:port) when the Host header names a bucket the
// server knows.
//
// Limits follow OSS: parts other than the last must be at least 100 KiB,
// part numbers run from 1 to 10,000, CopyObject copies at most 1 GiB
// (Options.MaxCopySize), DeleteMultipleObjects takes at most 1,000 keys,
// listings return at most 1,000 entries per page.
package osstest
