package gocloud

import (
	"context"
	"net/url"
	"time"

	"cloud.google.com/go/storage"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/container"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"gocloud.dev/blob"
)

// Provider quirks, as data: what the portable API lacks and the provider's
// own client (found with Bucket.As) gives.
const (
	// maxCompose is the most sources of one GCS compose request.
	maxCompose = 32
	// s3CopyLimit is the largest object S3's CopyObject (the Go CDK's
	// Copy) copies; larger ones are streamed through the process.
	s3CopyLimit = 5 << 30
)

// native holds the provider's own client of a bucket, when the driver
// knows the bucket's name (the host of its URL) and key prefix (the URL's
// prefix query parameter, which the Go CDK applies above the provider).
type native struct {
	name   string
	prefix string
	s3     *s3.Client
	gcs    *storage.Client
	azure  bool
	// copyLimit is the largest object Copy copies server side (0: any).
	copyLimit int64
}

func nativeOf(b *blob.Bucket, u *url.URL) native {
	var n native
	var s3c *s3.Client
	if b.As(&s3c) {
		n.copyLimit = s3CopyLimit
	}
	var cc *container.Client
	n.azure = b.As(&cc)
	if u == nil || u.Host == "" {
		return n
	}
	n.name, n.prefix = u.Host, u.Query().Get("prefix")
	var gc *storage.Client
	switch {
	case u.Scheme == "gs" && b.As(&gc):
		n.gcs = gc
	case u.Scheme == "s3" && s3c != nil:
		n.s3 = s3c
	}
	return n
}

// compose writes the concatenation of the objects srcs to dst with one GCS
// compose request.
func (n native) compose(ctx context.Context, dst string, srcs []string) error {
	bkt := n.gcs.Bucket(n.name)
	handles := make([]*storage.ObjectHandle, len(srcs))
	for i, s := range srcs {
		handles[i] = bkt.Object(n.prefix + s)
	}
	c := bkt.Object(n.prefix + dst).ComposerFrom(handles...)
	c.ContentType = contentType
	_, err := c.Run(ctx)
	return err
}

// headURL returns a URL a plain client can HEAD, valid for expiry, or ""
// where the driver cannot sign one: the Go CDK signs GET, PUT and DELETE.
// An Azure SAS with read permission serves HEAD as well as GET; S3 signs
// the method, so the URL is presigned with the bucket's own client.
func (d *Driver) headURL(ctx context.Context, key string, get func() (string, error)) (string, error) {
	switch {
	case d.native.azure:
		return get()
	case d.native.s3 != nil:
		req, err := s3.NewPresignClient(d.native.s3).PresignHeadObject(ctx, &s3.HeadObjectInput{
			Bucket: aws.String(d.native.name),
			Key:    aws.String(d.native.prefix + key),
		}, s3.WithPresignExpires(d.expiry))
		if err != nil {
			return "", err
		}
		return req.URL, nil
	}
	return "", nil
}

// expiresIn is how long from now a signed URL of the driver is valid.
func (d *Driver) expiresIn() time.Duration { return d.expiry }
