package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/stowage/stowage/conformance/emulator"
)

// running is the binary started in the background, its output read as it
// comes.
type running struct {
	cmd    *exec.Cmd
	lines  chan string // stdout and stderr lines (and progress frames)
	output *syncBuf
	done   chan struct{}
}

type syncBuf struct {
	ch  chan struct{}
	buf bytes.Buffer
}

// start runs the binary with args; every line (or \r-separated progress
// frame) of its output goes to r.lines.
func (c cli) start(t *testing.T, args ...string) *running {
	t.Helper()
	cmd := c.command(args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	r := &running{cmd: cmd, lines: make(chan string, 1024), output: &syncBuf{ch: make(chan struct{}, 1)}, done: make(chan struct{})}
	r.output.ch <- struct{}{}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	readers := make(chan struct{}, 2)
	for _, p := range []io.Reader{stdout, stderr} {
		go func() {
			defer func() { readers <- struct{}{} }()
			sc := bufio.NewScanner(p)
			sc.Split(scanFrames)
			for sc.Scan() {
				line := sc.Text()
				<-r.output.ch
				r.output.buf.WriteString(line + "\n")
				r.output.ch <- struct{}{}
				select {
				case r.lines <- line:
				default: // nobody waits for lines any more
				}
			}
		}()
	}
	go func() {
		<-readers
		<-readers
		close(r.lines)
		close(r.done)
	}()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	return r
}

// scanFrames splits at \n and at \r, so that progress frames are lines.
func scanFrames(data []byte, atEOF bool) (int, []byte, error) {
	if i := bytes.IndexAny(data, "\r\n"); i >= 0 {
		return i + 1, data[:i], nil
	}
	if atEOF && len(data) > 0 {
		return len(data), data, nil
	}
	return 0, nil, nil
}

// waitFor reads lines until one contains s; it fails the test if the
// process ends first.
func (r *running) waitFor(t *testing.T, s string) {
	t.Helper()
	for line := range r.lines {
		if strings.Contains(line, s) {
			return
		}
	}
	t.Fatalf("the command ended before printing %q:\n%s", s, r.text())
}

func (r *running) text() string {
	<-r.output.ch
	defer func() { r.output.ch <- struct{}{} }()
	return r.output.buf.String()
}

// stop sends sig and waits for the process to end; it returns the exit
// code and everything printed.
func (r *running) stop(t *testing.T, sig syscall.Signal) (int, string) {
	t.Helper()
	if err := r.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	go func() {
		for range r.lines { // keep reading until the end
		}
	}()
	<-r.done
	err := r.cmd.Wait()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatal(err)
	}
	return r.cmd.ProcessState.ExitCode(), r.text()
}

func TestInterruptBenchFilesystem(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			data := t.TempDir()
			p := cli{}.start(t, "--data-dir", data, "--progress", "always", "bench", "--count", "64", "--size", "16MiB")
			p.waitFor(t, "write") // a progress frame: an upload is in progress
			code, out := p.stop(t, sig)
			if code != exitInterrupted || !strings.Contains(out, "interrupted: removed /stowage-bench-") {
				t.Fatalf("bench after %v: exit %d\n%s", sig, code, out)
			}
			if r := stowage(t, "--data-dir", data, "ls", "-R", "/"); r.code != 0 || r.stdout != "" {
				t.Fatalf("storage after an interrupted bench: %v", r)
			}
			if left := regularFiles(t, data); len(left) > 0 {
				t.Fatalf("an interrupted bench left %v", left)
			}
		})
	}
}

func TestInterruptCheckFilesystem(t *testing.T) {
	data := t.TempDir()
	p := cli{}.start(t, "--data-dir", data, "check")
	// Once this case is done, Stream/Large writes 64 MiB: interrupt it.
	p.waitFor(t, "Stream/SizesAcrossChunk")
	code, out := p.stop(t, syscall.SIGINT)
	if code != exitInterrupted || !strings.Contains(out, "interrupted after") || strings.Contains(out, "FAIL") {
		t.Fatalf("check after SIGINT: exit %d\n%s", code, out)
	}
	if r := stowage(t, "--data-dir", data, "ls", "-R", "/"); r.code != 0 || r.stdout != "" {
		t.Fatalf("storage after an interrupted check: %v", r)
	}
	if left := entries(t, data); len(left) > 0 {
		t.Fatalf("an interrupted check left %v", left)
	}
}

// TestInterruptOnMinIO: interrupted mid-upload, bench and check leave no
// object and no multipart upload in the bucket.
func TestInterruptOnMinIO(t *testing.T) {
	m := emulator.StartMinIO(t)
	for _, tc := range []struct {
		name, wait string
		args       []string
	}{
		{"bench", "write", []string{"--progress", "always", "bench", "--count", "64", "--size", "32MiB"}},
		// Once this case is done, Stream/Large writes 64 MiB in parts.
		{"check", "Stream/SizesAcrossChunk", []string{"check"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bucket := m.MakeBucket(t, "interrupt-"+tc.name)
			sets := minioSets(m, bucket)
			p := cli{}.start(t, append(sets, tc.args...)...)
			p.waitFor(t, tc.wait)
			code, out := p.stop(t, syscall.SIGINT)
			if code != exitInterrupted || !strings.Contains(out, "interrupted") {
				t.Fatalf("%s after SIGINT: exit %d\n%s", tc.name, code, out)
			}
			ctx := context.Background()
			objs, err := m.Client().ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range objs.Contents {
				t.Errorf("left object %s", aws.ToString(o.Key))
			}
			ups, err := m.Client().ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String(bucket)})
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range ups.Uploads {
				t.Errorf("left multipart upload %s of %s", aws.ToString(u.UploadId), aws.ToString(u.Key))
			}
			if t.Failed() {
				t.Logf("output:\n%s", out)
			}
		})
	}
}

// minioSets are the --set keys of the s3 driver on m's bucket.
func minioSets(m *emulator.MinIO, bucket string, extra ...string) []string {
	keys := append([]string{
		"registry.storage.s3.regionendpoint=" + m.Endpoint,
		"registry.storage.s3.region=" + m.Region,
		"registry.storage.s3.bucket=" + bucket,
		"registry.storage.s3.accesskey=" + m.AccessKey,
		"registry.storage.s3.secretkey=" + m.SecretKey,
		"registry.storage.s3.chunksize=5MiB",
	}, extra...)
	var args []string
	for _, k := range keys {
		args = append(args, "--set", k)
	}
	return args
}
