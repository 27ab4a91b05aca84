package multipart

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// stateName is the name of the state object of an upload, after the
// upload's prefix in the layout ("<root>~uploads/a/b~state").
const stateName = "state"

// stateMagic opens every state object, with the format version.
const stateMagic = "stowage-multipart 1"

// state is what a Close stores of an upload so that any process can resume
// it: the multipart upload (none until the first part), the part size every
// part but the last has, the parts stored so far, and the tail: the bytes
// written after the last part, fewer than a part, which a multipart upload
// cannot hold (parts cannot be read back, and a short part may only be the
// last).
//
// The state object is a short text header followed by the tail:
//
//	stowage-multipart 1
//	upload <uploadID or ->
//	chunk <bytes>
//	part <number> <size> <etag>     (one line per part, in order)
//	tail <bytes>
//	<tail bytes>
//
// Only the parts a Close recorded count: a part uploaded after the last
// Close by a writer that then failed or died is not in the state, so a
// resumed writer uploads its number again (replacing it) and Size never
// counts bytes no Close acknowledged.
type state struct {
	uploadID string
	chunk    int64
	parts    []Part
	tailSize int64
}

func (s *state) header() []byte {
	var b bytes.Buffer
	id := s.uploadID
	if id == "" {
		id = "-"
	}
	fmt.Fprintf(&b, "%s\nupload %s\nchunk %d\n", stateMagic, id, s.chunk)
	for _, p := range s.parts {
		fmt.Fprintf(&b, "part %d %d %s\n", p.Number, p.Size, p.ETag)
	}
	fmt.Fprintf(&b, "tail %d\n", s.tailSize)
	return b.Bytes()
}

var errBadState = errors.New("not a stowage multipart upload state")

// readState reads a state header from r and leaves r at the tail.
func readState(r *bufio.Reader) (*state, error) {
	line := func() (string, error) {
		l, err := r.ReadString('\n')
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return "", err
		}
		return strings.TrimSuffix(l, "\n"), nil
	}
	first, err := line()
	if err != nil {
		return nil, err
	}
	if first != stateMagic {
		return nil, fmt.Errorf("%w: first line %q", errBadState, first)
	}
	s := &state{}
	for {
		l, err := line()
		if err != nil {
			return nil, err
		}
		f := strings.Fields(l)
		if len(f) < 2 {
			return nil, fmt.Errorf("%w: line %q", errBadState, l)
		}
		switch f[0] {
		case "upload":
			if f[1] != "-" {
				s.uploadID = f[1]
			}
		case "chunk":
			if s.chunk, err = strconv.ParseInt(f[1], 10, 64); err != nil || s.chunk <= 0 {
				return nil, fmt.Errorf("%w: line %q", errBadState, l)
			}
		case "part":
			if len(f) != 4 {
				return nil, fmt.Errorf("%w: line %q", errBadState, l)
			}
			n, err1 := strconv.Atoi(f[1])
			size, err2 := strconv.ParseInt(f[2], 10, 64)
			if err1 != nil || err2 != nil || n != len(s.parts)+1 {
				return nil, fmt.Errorf("%w: line %q", errBadState, l)
			}
			s.parts = append(s.parts, Part{Number: n, Size: size, ETag: f[3]})
		case "tail":
			if s.tailSize, err = strconv.ParseInt(f[1], 10, 64); err != nil || s.tailSize < 0 {
				return nil, fmt.Errorf("%w: line %q", errBadState, l)
			}
			if s.chunk == 0 || (len(s.parts) > 0 && s.uploadID == "") {
				return nil, fmt.Errorf("%w: incomplete header", errBadState)
			}
			return s, nil
		default:
			return nil, fmt.Errorf("%w: line %q", errBadState, l)
		}
	}
}

// stored is the number of bytes in the state's parts.
func (s *state) stored() int64 {
	var n int64
	for _, p := range s.parts {
		n += p.Size
	}
	return n
}
