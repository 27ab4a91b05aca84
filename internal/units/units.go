// Package units parses sizes for packages that must not depend on configmap.
package units

import "github.com/stowage/stowage/configmap"

// ParseSize parses a size such as "64MiB" into bytes.
func ParseSize(s string) (int64, error) {
	n, err := configmap.ParseSize(s)
	return int64(n), err
}
