// Package cloudfront is the storage middleware of the reference registry
// that serves blob downloads through Amazon CloudFront: RedirectURL returns
// a URL of the distribution signed with a CloudFront key pair (canned
// policy), instead of the storage's own presigned URL. Pushes still go to
// the storage.
//
// It registers itself as "cloudfront" with driver.RegisterMiddleware, so a
// registry configuration enables it with
//
//	middleware:
//	  storage:
//	    - name: cloudfront
//	      options:
//	        baseurl: https://abcdefghijklmn.cloudfront.net/
//	        privatekey: /etc/docker/cloudfront/pk-ABCEDFGHIJKLMNOPQRST.pem
//	        keypairid: ABCEDFGHIJKLMNOPQRST
//
// Options:
//
//   - baseurl (required): URL of the distribution; its origin path must be
//     the storage's root directory.
//   - privatekey (required): path of the key pair's private key, PEM
//     (PKCS#1 or PKCS#8 RSA).
//   - keypairid (required): ID of the key pair.
//   - duration (default 20m): how long a signed URL is valid.
//   - ipfilteredby (default none): none; aws, clients in any AWS IP range
//     get the storage's own URL (traffic inside AWS need not pay for
//     CloudFront); awsregion, only clients in the ranges of the regions in
//     awsregion do.
//   - awsregion: comma-separated regions, required with ipfilteredby:
//     awsregion.
//   - updatefrequency (default 12h): how often the AWS IP ranges are
//     fetched again, in the background, until Close.
//   - iprangesurl (default https://ip-ranges.amazonaws.com/ip-ranges.json):
//     where the ranges are fetched.
//
// The client address is the first X-Forwarded-For entry, X-Real-Ip, or
// the connection's address.
package cloudfront
