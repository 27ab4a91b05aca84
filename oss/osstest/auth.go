package osstest

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// subResources are the query parameters that signature version 1 signs,
// as listed by the SDK (and OSS's documentation).
var subResources = map[string]bool{}

func init() {
	for _, k := range []string{"acl", "uploads", "location", "cors",
		"logging", "website", "referer", "lifecycle",
		"delete", "append", "tagging", "objectMeta",
		"uploadId", "partNumber", "security-token",
		"position", "img", "style", "styleName",
		"replication", "replicationProgress",
		"replicationLocation", "cname", "bucketInfo",
		"comp", "qos", "live", "status", "vod",
		"startTime", "endTime", "symlink",
		"x-oss-process", "response-content-type", "x-oss-traffic-limit",
		"response-content-language", "response-expires",
		"response-cache-control", "response-content-disposition",
		"response-content-encoding", "udf", "udfName", "udfImage",
		"udfId", "udfImageDesc", "udfApplication",
		"udfApplicationLog", "restore", "callback", "callback-var", "qosInfo",
		"policy", "stat", "encryption", "versions", "versioning", "versionId", "requestPayment",
		"x-oss-request-payer", "sequential",
		"inventory", "inventoryId", "continuation-token", "asyncFetch",
		"worm", "wormId", "wormExtend", "withHashContext",
		"x-oss-enable-md5", "x-oss-enable-sha1", "x-oss-enable-sha256",
		"x-oss-hash-ctx", "x-oss-md5-ctx", "transferAcceleration",
		"regionList", "cloudboxes", "x-oss-ac-source-ip", "x-oss-ac-subnet-mask", "x-oss-ac-vpc-id", "x-oss-ac-forward-allow",
		"metaQuery", "resourceGroup", "rtc", "x-oss-async-process", "responseHeader"} {
		subResources[k] = true
	}
}

// maxSkew is how far a signed request's Date may be from the server's
// clock, as OSS allows.
const maxSkew = 15 * time.Minute

// authenticate checks the request's signature: an Authorization header or
// presigned URL parameters.
func (s *Server) authenticate(req *request) *ossError {
	r := req.r
	auth := r.Header.Get("Authorization")
	switch {
	case strings.HasPrefix(auth, "OSS "):
		id, sig, ok := strings.Cut(strings.TrimPrefix(auth, "OSS "), ":")
		if !ok {
			return errorf(400, "InvalidArgument", "Authorization header is invalid.")
		}
		date := r.Header.Get("Date")
		t, err := http.ParseTime(date)
		if err != nil {
			return errorf(403, "AccessDenied", "OSS authentication requires a valid Date.")
		}
		if d := s.now().Sub(t); d > maxSkew || d < -maxSkew {
			return errorf(403, "RequestTimeTooSkewed", "The difference between the request time and the current time is too large.")
		}
		return s.checkSignature(req, id, sig, date)
	case auth != "":
		return errorf(403, "AccessDenied", "osstest supports OSS signature version 1 only (Authorization: OSS AccessKeyId:Signature).")
	case req.query.Has("OSSAccessKeyId") || req.query.Has("Signature"):
		q := req.query
		id, sig, exp := q.Get("OSSAccessKeyId"), q.Get("Signature"), q.Get("Expires")
		if id == "" || sig == "" || exp == "" {
			return errorf(403, "AccessDenied", "A presigned URL needs OSSAccessKeyId, Expires and Signature.")
		}
		e, err := strconv.ParseInt(exp, 10, 64)
		if err != nil {
			return errorf(403, "AccessDenied", "Expires is not a number.")
		}
		if s.now().Unix() > e {
			return errorf(403, "AccessDenied", "Request has expired.")
		}
		return s.checkSignature(req, id, sig, exp)
	default:
		return errorf(403, "AccessDenied", "You have no right to access this object because of bucket acl.")
	}
}

func (s *Server) checkSignature(req *request, id, sig, date string) *ossError {
	s.mu.Lock()
	secret, ok := s.creds[id]
	s.mu.Unlock()
	if !ok {
		e := errorf(403, "InvalidAccessKeyId", "The OSS Access Key Id you provided does not exist in our records.")
		e.AccessKeyID = id
		return e
	}
	toSign := StringToSign(req.r.Method, req.r.Header, date, canonicalResource(req))
	want := Sign(secret, toSign)
	if !hmac.Equal([]byte(want), []byte(sig)) {
		e := errorf(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method.")
		e.AccessKeyID = id
		e.StringToSign = toSign
		return e
	}
	return nil
}

func canonicalResource(req *request) string {
	res := "/"
	if req.bucket != "" {
		res = "/" + req.bucket + "/" + req.key
	}
	var keys []string
	for k := range req.query {
		if subResources[k] {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return res
	}
	slices.Sort(keys)
	for i, k := range keys {
		if i == 0 {
			res += "?"
		} else {
			res += "&"
		}
		res += k
		if v := req.query.Get(k); v != "" {
			res += "=" + v
		}
	}
	return res
}

// StringToSign returns the string OSS signature version 1 signs: the verb,
// Content-MD5, Content-Type, date (the Date header, or Expires for a
// presigned URL), the x-oss- headers in lower case and byte order, one per
// line, then the canonicalized resource ("/bucket/key" and the signed
// sub-resources such as "?partNumber=1&uploadId=...").
func StringToSign(method string, h http.Header, date, resource string) string {
	var b strings.Builder
	b.WriteString(method + "\n" + h.Get("Content-MD5") + "\n" + h.Get("Content-Type") + "\n" + date + "\n")
	var oss []string
	vals := map[string]string{}
	for k, v := range h {
		lk := strings.ToLower(k)
		if strings.HasPrefix(lk, "x-oss-") && len(v) > 0 {
			oss = append(oss, lk)
			vals[lk] = v[0]
		}
	}
	slices.Sort(oss)
	for _, k := range oss {
		b.WriteString(k + ":" + vals[k] + "\n")
	}
	b.WriteString(resource)
	return b.String()
}

// Sign returns the base64 HMAC-SHA1 of stringToSign under secret.
func Sign(secret, stringToSign string) string {
	m := hmac.New(sha1.New, []byte(secret))
	m.Write([]byte(stringToSign))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}
