package gocloud

import (
	"net/url"
	"time"

	"github.com/stowage/stowage/configmap"
	"github.com/stowage/stowage/internal/layout"
)

// Params are the parameters of the gocloud driver.
type Params struct {
	configmap.Defaulted

	URL            string         `param:"url" required:"true" desc:"Go CDK bucket URL, such as s3://bucket?region=us-east-1, gs://bucket, azblob://container, file:///var/lib/registry or mem://; credentials come from each provider's environment, never from the URL."`
	RootDirectory  string         `param:"rootdirectory" desc:"Prefix applied to every object key, to keep the registry's data apart in the bucket."`
	ChunkSize      configmap.Size `param:"chunksize" default:"10MiB" min:"5MiB" max:"5GiB" desc:"Bytes a writer buffers before it streams its part object; also the buffer size of each streamed upload request."`
	MaxConcurrency int            `param:"maxconcurrency" default:"4" min:"1" max:"1000" desc:"Parallel requests of one writer's streamed upload, and of a recursive delete."`
	RedirectExpiry time.Duration  `param:"redirectexpiry" default:"20m" min:"1m" max:"168h" desc:"How long the signed URLs of RedirectURL stay valid."`
}

// Validate implements configmap.Validator: it checks what tags cannot,
// without changing p.
func (p *Params) Validate() error {
	var ps configmap.Problems
	if u, err := url.Parse(p.URL); err != nil || u.Scheme == "" {
		ps.Add("url", "must be a Go CDK bucket URL with a scheme, such as s3://bucket or mem://")
	}
	if msg := layout.RootProblem(p.RootDirectory); msg != "" {
		ps.Add("rootdirectory", "%s", msg)
	}
	return ps.Err()
}
