package faulttest

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stowage/stowage/driver"
)

// The crash tests re-run the test binary as a child that writes through
// the driver and is killed (SIGKILL) in the middle of an upload; the test
// then resumes the upload from its own process and commits it bit-exact,
// or cancels it and finds nothing left. Crash also cancels a writer whose
// context ended with a part in flight, and finds nothing left either.

const (
	crashEnv    = "STOWAGE_CRASH_CHILD"
	crashParams = "STOWAGE_CRASH_PARAMS"
)

// CrashHarness tells Crash how to reach the store.
type CrashHarness struct {
	// Driver is the registered name of the driver.
	Driver string
	// Params returns the driver's parameters for a root, as JSON-able
	// values: the child opens the driver with driver.Open and them.
	Params func(root string) map[string]any
	// ChunkSize is the driver's part or segment size.
	ChunkSize int64
	// Leftovers returns what the store holds of an upload to path by a
	// driver rooted at root: every object under the root (upload state,
	// parts, segments, blocks) and the provider's uploads in progress.
	Leftovers func(t testing.TB, root, path string) []string
	// Part reports whether a request stores one of an upload's parts
	// (segments, blocks), for the case of a Cancel with a part in flight.
	// It must not read the body.
	Part func(*http.Request) bool
}

// CrashChild is the child's side: when the test binary runs as the child
// of Crash, it writes as told and waits to be killed, and CrashChild never
// returns; otherwise it returns at once. Call it first in the test, before
// anything is started.
func CrashChild(t *testing.T) {
	mode := os.Getenv(crashEnv)
	if mode == "" {
		return
	}
	var c childPlan
	if err := json.Unmarshal([]byte(os.Getenv(crashParams)), &c); err != nil {
		fmt.Printf("ERROR %v\n", err)
		os.Exit(2)
	}
	if err := c.run(); err != nil {
		fmt.Printf("ERROR %v\n", err)
		os.Exit(2)
	}
	select {} // killed here, or sooner
}

// childPlan is what the child does: write first bytes of the payload,
// close (when close), resume and write more, then say READY and go on
// writing a byte at a time until it is killed.
type childPlan struct {
	Driver string         `json:"driver"`
	Params map[string]any `json:"params"`
	Path   string         `json:"path"`
	Chunk  int64          `json:"chunk"`
	Close  bool           `json:"close"`
	Seed   uint64         `json:"seed"`
}

func (c *childPlan) run() error {
	ctx := context.Background()
	d, err := driver.Open(ctx, c.Driver, c.Params)
	if err != nil {
		return err
	}
	data := payload(8*c.Chunk, c.Seed)
	first := 2*c.Chunk + c.Chunk/2
	w, err := d.Writer(ctx, c.Path, false)
	if err != nil {
		return err
	}
	if _, err := w.Write(data[:first]); err != nil {
		return err
	}
	acked := int64(0)
	if c.Close {
		if err := w.Close(); err != nil {
			return err
		}
		acked = w.Size()
		if w, err = d.Writer(ctx, c.Path, true); err != nil {
			return err
		}
		if _, err := w.Write(data[first : first+c.Chunk+17]); err != nil {
			return err
		}
	}
	fmt.Printf("READY %d %d\n", acked, w.Size())
	for off := w.Size(); off < int64(len(data)); off++ {
		if _, err := w.Write(data[off : off+1]); err != nil {
			return err
		}
		time.Sleep(time.Millisecond)
	}
	return nil
}

// Crash runs the crash cases of h as subtests of t: a child killed before
// any Close, whose upload (nothing of which was acknowledged) is resumed
// where the store has one or started again, and cancelled; and a child
// killed after a Close, whose upload is resumed and committed, or
// cancelled. Nothing may be left in the store after a cancel.
func Crash(t *testing.T, h CrashHarness) {
	for _, tc := range []struct {
		name   string
		close  bool
		commit bool
	}{
		{"KilledBeforeCloseThenCancel", false, false},
		{"KilledAfterCloseThenCommit", true, true},
		{"KilledAfterCloseThenCancel", true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := fmt.Sprintf("crash-%d", time.Now().UnixNano())
			plan := childPlan{Driver: h.Driver, Params: h.Params(root), Path: "/blobs/upload", Chunk: h.ChunkSize, Close: tc.close, Seed: 11}
			acked, written := runChild(t, plan)
			t.Logf("child killed: %d bytes acknowledged by Close, at least %d written", acked, written)
			crashRecover(t, h, plan, root, acked, written, tc.commit)
		})
	}
	t.Run("CancelWithPartInFlight", func(t *testing.T) { cancelInFlight(t, h) })
}

// runChild starts the child, waits for READY, and kills it.
func runChild(t *testing.T, plan childPlan) (acked, written int64) {
	b, _ := json.Marshal(plan)
	cmd := exec.Command(os.Args[0], "-test.run=^"+strings.Split(t.Name(), "/")[0]+"$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashEnv+"=1", crashParams+"="+string(b))
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Wait() }()
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) == 3 && f[0] == "READY":
			acked, _ = strconv.ParseInt(f[1], 10, 64)
			written, _ = strconv.ParseInt(f[2], 10, 64)
			time.Sleep(50 * time.Millisecond) // in the middle of the byte-at-a-time writes
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			return acked, written
		case len(f) > 0 && f[0] == "ERROR":
			_ = cmd.Process.Kill()
			t.Fatalf("child: %s", sc.Text())
		}
	}
	_ = cmd.Process.Kill()
	t.Fatalf("child ended without READY")
	return 0, 0
}

// crashRecover resumes the upload the child left, from this process.
func crashRecover(t *testing.T, h CrashHarness, plan childPlan, root string, acked, written int64, commit bool) {
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	d, err := driver.Open(ctx, h.Driver, plan.Params)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = driver.Close(d) }()
	data := payload(8*plan.Chunk, plan.Seed)
	w, err := d.Writer(ctx, plan.Path, true)
	switch {
	case driver.IsNotFound(err):
		if acked > 0 {
			t.Fatalf("LOST: %d bytes were acknowledged by Close, and no upload is there to resume", acked)
		}
		t.Logf("nothing to resume (nothing was acknowledged): starting again")
		if w, err = d.Writer(ctx, plan.Path, false); err != nil {
			t.Fatal(err)
		}
	case err != nil:
		t.Fatalf("resume after the crash: %v", err)
	}
	s := w.Size()
	if s < acked || s > written+plan.Chunk {
		t.Fatalf("resumed at %d bytes: outside [%d acknowledged, %d written]", s, acked, written)
	}
	t.Logf("resumed at %d bytes", s)
	final := int64(len(data)) - plan.Chunk/3
	if commit {
		if _, err := w.Write(data[s:final]); err != nil {
			t.Fatal(err)
		}
		if err := w.Commit(ctx); err != nil {
			t.Fatalf("commit after the crash: %v", err)
		}
		got, err := d.GetContent(ctx, plan.Path)
		if err != nil {
			t.Fatal(err)
		}
		if sum(got) != sum(data[:final]) {
			t.Fatalf("committed after the crash: %d bytes that are not the %d written", len(got), final)
		}
		if err := d.Delete(ctx, plan.Path); err != nil {
			t.Fatal(err)
		}
	} else if err := w.Cancel(ctx); err != nil {
		t.Fatalf("cancel after the crash: %v", err)
	}
	// An upload never closed is known to no writer: a registry's purge
	// of abandoned uploads removes what the dead process stored of it.
	// One closed before the crash is the writer's to remove, all of it.
	if acked == 0 {
		if _, err := driver.PurgeUploads(ctx, d, 0); err != nil {
			t.Fatalf("purge: %v", err)
		}
	}
	if left := h.Leftovers(t, root, plan.Path); len(left) > 0 {
		t.Fatalf("left in the store after the crash and the %s: %v", map[bool]string{true: "commit and delete", false: "cancel"}[commit], left)
	}
}
