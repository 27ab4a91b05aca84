package multipart

import (
	"bufio"
	"bytes"
	"io"
	"reflect"
	"testing"
)

func TestStateRoundTrip(t *testing.T) {
	for _, s := range []state{
		{chunk: 5 << 20},
		{chunk: 10 << 20, tailSize: 3},
		{uploadID: "2~abc/def+ghi=", chunk: 5 << 20, tailSize: 17, parts: []Part{
			{Number: 1, Size: 5 << 20, ETag: `"0123456789abcdef"`},
			{Number: 2, Size: 5 << 20, ETag: `"fedcba9876543210-1"`},
		}},
	} {
		tail := bytes.Repeat([]byte{'t'}, int(s.tailSize))
		body := newConcat(s.header(), tail)
		raw, err := io.ReadAll(body)
		if err != nil {
			t.Fatal(err)
		}
		br := bufio.NewReader(bytes.NewReader(raw))
		got, err := readState(br)
		if err != nil {
			t.Fatalf("readState(%q): %v", raw, err)
		}
		if !reflect.DeepEqual(*got, s) {
			t.Fatalf("round trip: got %+v, want %+v", *got, s)
		}
		rest, _ := io.ReadAll(br)
		if !bytes.Equal(rest, tail) {
			t.Fatalf("tail: got %q, want %q", rest, tail)
		}
	}
}

func TestStateRejectsDamage(t *testing.T) {
	for _, raw := range []string{
		"",
		"something else\n",
		stateMagic + "\nupload x\n", // truncated
		stateMagic + "\nupload x\nchunk 0\ntail 0\n",                    // no chunk size
		stateMagic + "\nupload -\nchunk 5\npart 1 5 \"e\"\ntail 0\n",    // parts with no upload
		stateMagic + "\nupload x\nchunk 5\npart 2 5 \"e\"\ntail 0\n",    // parts out of order
		stateMagic + "\nupload x\nchunk 5\ntail -1\n",                   // negative tail
		stateMagic + "\nupload x\nchunk 5\nsurprise 1\ntail 0\n",        // unknown line
		stateMagic + "\nupload x\nchunk 5\npart 1 five \"e\"\ntail 0\n", // bad size
	} {
		if s, err := readState(bufio.NewReader(bytes.NewReader([]byte(raw)))); err == nil {
			t.Errorf("readState(%q) = %+v, want an error", raw, s)
		}
	}
}

// FuzzState checks that no state object, however damaged, makes readState
// panic, and that every state it accepts stores again as it was read.
func FuzzState(f *testing.F) {
	f.Add([]byte(stateMagic + "\nupload x\nchunk 5\npart 1 5 \"e\"\ntail 2\nab"))
	f.Add([]byte(stateMagic + "\nupload -\nchunk 5242880\ntail 0\n"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		s, err := readState(bufio.NewReader(bytes.NewReader(raw)))
		if err != nil {
			return
		}
		again, err := readState(bufio.NewReader(bytes.NewReader(s.header())))
		if err != nil || !reflect.DeepEqual(again, s) {
			t.Fatalf("state %+v does not survive a round trip: %+v, %v", s, again, err)
		}
	})
}

func TestConcatSeeks(t *testing.T) {
	c := newConcat([]byte("head"), nil, []byte("er"), []byte("tail"))
	all, _ := io.ReadAll(c)
	if string(all) != "headertail" {
		t.Fatalf("read %q", all)
	}
	if _, err := c.Seek(3, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	p := make([]byte, 4)
	if n, _ := c.Read(p); string(p[:n]) != "dert" {
		t.Fatalf("after seek: %q", p[:n])
	}
	if pos, _ := c.Seek(-2, io.SeekEnd); pos != 8 {
		t.Fatalf("SeekEnd: %d", pos)
	}
	rest, _ := io.ReadAll(c)
	if string(rest) != "il" {
		t.Fatalf("after SeekEnd: %q", rest)
	}
}
