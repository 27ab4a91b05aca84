package s3

import (
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// redirectExpiry is how long a redirect URL is valid.
const redirectExpiry = 20 * time.Minute

// RedirectURL implements driver.StorageDriver: a URL presigned for 20
// minutes, for GET or HEAD, against redirectendpoint when set; "" with
// disableredirect or for other methods.
func (d *Driver) RedirectURL(r *http.Request, path string) (string, error) {
	if d.p.DisableRedirect {
		return "", nil
	}
	method := http.MethodGet
	if r != nil && r.Method != "" {
		method = r.Method
	}
	ctx := r.Context()
	key := aws.String(d.key(path))
	expires := s3.WithPresignExpires(redirectExpiry)
	switch method {
	case http.MethodGet:
		req, err := d.presign.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: d.bucket, Key: key}, expires)
		if err != nil {
			return "", err
		}
		return req.URL, nil
	case http.MethodHead:
		req, err := d.presign.PresignHeadObject(ctx, &s3.HeadObjectInput{Bucket: d.bucket, Key: key}, expires)
		if err != nil {
			return "", err
		}
		return req.URL, nil
	}
	return "", nil
}
