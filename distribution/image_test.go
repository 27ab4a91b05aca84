package distribution_test

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// testImage is an OCI image made for a test, with the bytes of every
// layer kept to check what is pulled.
type testImage struct {
	img    v1.Image
	digest string            // manifest digest
	config []byte            // raw config
	layers map[string][]byte // layer digest -> bytes
}

// blobs returns the digests of every blob the image stores in a
// registry: manifest, config and layers.
func (ti testImage) blobs() []string {
	out := []string{ti.digest, digestOf(ti.config)}
	for d := range ti.layers {
		out = append(out, d)
	}
	return out
}

// randomBytes returns n bytes from a generator seeded with seed.
func randomBytes(seed uint64, n int) []byte {
	var s [32]byte
	for i := range 8 {
		s[i] = byte(seed >> (8 * i))
	}
	b := make([]byte, n)
	_, _ = rand.NewChaCha8(s).Read(b)
	return b
}

// makeImage builds an OCI image with one uncompressed layer of random
// bytes per size.
func makeImage(t *testing.T, seed uint64, sizes ...int) testImage {
	t.Helper()
	img := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	img = mutate.ConfigMediaType(img, types.OCIConfigJSON)
	ti := testImage{layers: map[string][]byte{}}
	for i, n := range sizes {
		b := randomBytes(seed*1000+uint64(i), n)
		l := static.NewLayer(b, types.OCIUncompressedLayer)
		var err error
		if img, err = mutate.AppendLayers(img, l); err != nil {
			t.Fatal(err)
		}
		ti.layers[digestOf(b)] = b
	}
	d, err := img.Digest()
	if err != nil {
		t.Fatal(err)
	}
	ti.img, ti.digest = img, d.String()
	if ti.config, err = img.RawConfigFile(); err != nil {
		t.Fatal(err)
	}
	return ti
}

// remoteOptions turns go-containerregistry's retries off, so that a
// failing request fails the test.
func remoteOptions(ctx context.Context) []remote.Option {
	return []remote.Option{
		remote.WithContext(ctx),
		remote.WithRetryBackoff(remote.Backoff{Steps: 1}),
		remote.WithRetryPredicate(func(error) bool { return false }),
	}
}

func (r *testRegistry) ref(s string) name.Reference {
	r.t.Helper()
	ref, err := name.ParseReference(r.host+"/"+s, name.Insecure)
	if err != nil {
		r.t.Fatal(err)
	}
	return ref
}

// push writes the image under the first tag and tags it with the others.
func (r *testRegistry) push(ti testImage, repo string, tags ...string) {
	r.t.Helper()
	opts := remoteOptions(r.t.Context())
	if err := remote.Write(r.ref(repo+":"+tags[0]), ti.img, opts...); err != nil {
		r.t.Fatalf("push %s:%s: %v", repo, tags[0], err)
	}
	for _, tag := range tags[1:] {
		if err := remote.Tag(r.ref(repo+":"+tag).(name.Tag), ti.img, opts...); err != nil {
			r.t.Fatalf("tag %s:%s: %v", repo, tag, err)
		}
	}
}

// verifyPull pulls ref (a tag or a digest) and checks the manifest digest,
// the config and every byte of every layer.
func (r *testRegistry) verifyPull(ref string, want testImage) {
	r.t.Helper()
	img, err := remote.Image(r.ref(ref), remoteOptions(r.t.Context())...)
	if err != nil {
		r.t.Fatalf("pull %s: %v", ref, err)
	}
	d, err := img.Digest()
	if err != nil || d.String() != want.digest {
		r.t.Fatalf("pull %s: digest %v (%v), want %s", ref, d, err, want.digest)
	}
	cfg, err := img.RawConfigFile()
	if err != nil || !bytes.Equal(cfg, want.config) {
		r.t.Fatalf("pull %s: config differs (%v)", ref, err)
	}
	layers, err := img.Layers()
	if err != nil || len(layers) != len(want.layers) {
		r.t.Fatalf("pull %s: %d layers (%v), want %d", ref, len(layers), err, len(want.layers))
	}
	for _, l := range layers {
		ld, err := l.Digest()
		if err != nil {
			r.t.Fatal(err)
		}
		rc, err := l.Compressed()
		if err != nil {
			r.t.Fatalf("pull %s: layer %s: %v", ref, ld, err)
		}
		got, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			r.t.Fatalf("pull %s: layer %s: %v", ref, ld, err)
		}
		if !bytes.Equal(got, want.layers[ld.String()]) {
			r.t.Fatalf("pull %s: layer %s: %d bytes differ from the %d pushed", ref, ld, len(got), len(want.layers[ld.String()]))
		}
	}
}
