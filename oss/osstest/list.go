package osstest

import (
	"encoding/base64"
	"encoding/xml"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

type owner struct {
	ID          string `xml:"ID"`
	DisplayName string `xml:"DisplayName"`
}

type contents struct {
	Key          string `xml:"Key"`
	LastModified string `xml:"LastModified"`
	ETag         string `xml:"ETag"`
	Type         string `xml:"Type"`
	Size         int64  `xml:"Size"`
	StorageClass string `xml:"StorageClass"`
	Owner        *owner `xml:"Owner,omitempty"`
}

type commonPrefix struct {
	Prefix string `xml:"Prefix"`
}

type listBucketResult struct {
	XMLName               xml.Name       `xml:"ListBucketResult"`
	Name                  string         `xml:"Name"`
	Prefix                string         `xml:"Prefix"`
	Marker                *string        `xml:"Marker,omitempty"`
	StartAfter            *string        `xml:"StartAfter,omitempty"`
	ContinuationToken     *string        `xml:"ContinuationToken,omitempty"`
	MaxKeys               int            `xml:"MaxKeys"`
	Delimiter             string         `xml:"Delimiter"`
	EncodingType          string         `xml:"EncodingType,omitempty"`
	IsTruncated           bool           `xml:"IsTruncated"`
	NextMarker            string         `xml:"NextMarker,omitempty"`
	NextContinuationToken string         `xml:"NextContinuationToken,omitempty"`
	KeyCount              *int           `xml:"KeyCount,omitempty"`
	Contents              []contents     `xml:"Contents"`
	CommonPrefixes        []commonPrefix `xml:"CommonPrefixes"`
}

// listing is one page of a delimited listing.
type listing struct {
	keys      []string
	prefixes  []string
	truncated bool
	next      string
}

// page lists the entries of sorted after `after` under prefix, grouping by
// delimiter, at most max of them (keys and common prefixes together).
func page(sorted []string, prefix, delim, after string, max int) listing {
	var l listing
	i, _ := slices.BinarySearch(sorted, max2(prefix, after))
	lastCP := ""
	n := 0
	for ; i < len(sorted); i++ {
		k := sorted[i]
		if k <= after {
			continue
		}
		if !strings.HasPrefix(k, prefix) {
			break
		}
		entry, isCP := k, false
		if delim != "" {
			if j := strings.Index(k[len(prefix):], delim); j >= 0 {
				entry, isCP = k[:len(prefix)+j+len(delim)], true
				if entry <= after || entry == lastCP {
					continue
				}
			}
		}
		if n == max {
			l.truncated = true
			break
		}
		n++
		l.next = entry
		if isCP {
			lastCP = entry
			l.prefixes = append(l.prefixes, entry)
		} else {
			l.keys = append(l.keys, k)
		}
	}
	if !l.truncated {
		l.next = ""
	}
	return l
}

func max2(a, b string) string {
	if a > b {
		return a
	}
	return b
}

func maxKeys(v string, def int) (int, *ossError) {
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > 1000 {
		return 0, errorf(400, "InvalidArgument", "max-keys must be between 0 and 1000, got %q", v)
	}
	return n, nil
}

func (s *Server) listObjects(req *request) *ossError {
	q := req.query
	v2 := q.Get("list-type") == "2"
	max, err := maxKeys(q.Get("max-keys"), 100)
	if err != nil {
		return err
	}
	prefix, delim := q.Get("prefix"), q.Get("delimiter")
	enc := q.Get("encoding-type") == "url"
	if et := q.Get("encoding-type"); et != "" && et != "url" {
		return errorf(400, "InvalidArgument", "encoding-type must be url")
	}
	esc := func(s string) string {
		if enc {
			return url.QueryEscape(s)
		}
		return s
	}
	res := listBucketResult{Name: req.bucket, Prefix: esc(prefix), MaxKeys: max, Delimiter: esc(delim)}
	if enc {
		res.EncodingType = "url"
	}
	var after string
	if v2 {
		after = q.Get("start-after")
		sa := esc(after)
		res.StartAfter = &sa
		if q.Has("continuation-token") && q.Get("continuation-token") != "" {
			tok := q.Get("continuation-token")
			raw, derr := base64.RawURLEncoding.DecodeString(tok)
			if derr != nil {
				return errorf(400, "InvalidArgument", "continuation-token is invalid")
			}
			after = max2(after, string(raw))
			res.ContinuationToken = &tok
		}
	} else {
		after = q.Get("marker")
		m := esc(after)
		res.Marker = &m
	}
	b, err := s.lockBucket(req)
	if err != nil {
		return err
	}
	sorted := b.sortedKeys()
	l := page(sorted, prefix, delim, after, max)
	for _, k := range l.keys {
		o := b.objects[k]
		c := contents{
			Key: esc(k), LastModified: o.modTime.UTC().Format("2006-01-02T15:04:05.000Z"), ETag: o.etag,
			Type: o.objectType, Size: int64(len(o.data)), StorageClass: "Standard",
		}
		if !v2 || q.Get("fetch-owner") == "true" {
			c.Owner = &owner{ID: "osstest", DisplayName: "osstest"}
		}
		res.Contents = append(res.Contents, c)
	}
	s.mu.Unlock()
	for _, p := range l.prefixes {
		res.CommonPrefixes = append(res.CommonPrefixes, commonPrefix{esc(p)})
	}
	res.IsTruncated = l.truncated
	if l.truncated {
		if v2 {
			res.NextContinuationToken = base64.RawURLEncoding.EncodeToString([]byte(l.next))
		} else {
			res.NextMarker = esc(l.next)
		}
	}
	if v2 {
		n := len(res.Contents) + len(res.CommonPrefixes)
		res.KeyCount = &n
	}
	s.writeXML(req, 200, res)
	return nil
}
