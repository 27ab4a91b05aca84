package swift_test

import (
	"slices"

	ncw "github.com/ncw/swift/v2"

	"github.com/stowage/stowage/conformance"
)

// inspector shows the conformance suite the objects of every container of
// the test account whose names start with the root (the driver's prefix):
// committed objects, manifests, and the upload markers and segments under
// "<prefix>/~uploads/" and "<prefix>/~segments/", in the container itself and in any segments
// container, listed with a raw connection. Swift segments have no rule on
// their sizes (PartSizes stays nil): Keys only.
func inspector(c cluster) *conformance.Inspector { return containerInspector(c, "") }

// containerInspector is inspector for one container ("" for all).
func containerInspector(c cluster, container string) *conformance.Inspector {
	return &conformance.Inspector{
		Keys: func(t conformance.TB, root string) []string {
			conn := &ncw.Connection{UserName: c.s.User, ApiKey: c.s.Key, AuthUrl: c.s.AuthURL}
			ctx := t.Context()
			if err := conn.Authenticate(ctx); err != nil {
				t.Fatalf("inspector: authenticate: %v", err)
			}
			containers, err := conn.ContainerNamesAll(ctx, nil)
			if err != nil {
				t.Fatalf("inspector: list containers: %v", err)
			}
			if container != "" {
				containers = []string{container}
			}
			var keys []string
			for _, ct := range containers {
				names, err := conn.ObjectNamesAll(ctx, ct, &ncw.ObjectsOpts{Prefix: root})
				if err != nil {
					t.Fatalf("inspector: list %s in %s: %v", root, ct, err)
				}
				keys = append(keys, names...)
			}
			slices.Sort(keys)
			return keys
		},
	}
}
