package multipart

import (
	"errors"
	"io"
)

// concat is an io.ReadSeeker over byte slices laid end to end, so that a
// request body made of a header and a tail can be signed and retried by an
// SDK without copying the tail.
type concat struct {
	bufs [][]byte
	size int64
	off  int64
}

func newConcat(bufs ...[]byte) *concat {
	c := &concat{bufs: bufs}
	for _, b := range bufs {
		c.size += int64(len(b))
	}
	return c
}

func (c *concat) Read(p []byte) (int, error) {
	if c.off >= c.size {
		return 0, io.EOF
	}
	n := 0
	skip := c.off
	for _, b := range c.bufs {
		if skip >= int64(len(b)) {
			skip -= int64(len(b))
			continue
		}
		k := copy(p[n:], b[skip:])
		n += k
		skip = 0
		if n == len(p) {
			break
		}
	}
	c.off += int64(n)
	return n, nil
}

func (c *concat) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += c.off
	case io.SeekEnd:
		offset += c.size
	default:
		return 0, errors.New("multipart: invalid whence")
	}
	if offset < 0 {
		return 0, errors.New("multipart: negative position")
	}
	c.off = offset
	return offset, nil
}
