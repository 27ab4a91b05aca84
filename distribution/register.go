package distribution

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	storagedriver "github.com/distribution/distribution/v3/registry/storage/driver"
	"github.com/distribution/distribution/v3/registry/storage/driver/factory"
	"github.com/stowage/stowage/configmap"
	"github.com/stowage/stowage/driver"
)

// StandardNames are the names distribution's configuration uses for the
// providers (storage: {s3: ...}), each also the name of the stowage driver
// registered under it. distribution v3 itself has s3, gcs, azure,
// filesystem and inmemory; swift and oss come back with stowage.
var StandardNames = []string{"s3", "gcs", "azure", "swift", "oss", "filesystem", "inmemory"}

// Factory is a distribution storage driver factory that opens the stowage
// driver registered (with stowage's driver.Register) as name, passing the
// configuration's parameters to stowage's own decoding, and returns it
// through New.
//
// Before decoding, the factory drops the useragent parameter that
// distribution's registry adds to every driver's parameters when the stowage
// driver does not declare one (only s3 and gcs do). The s3 driver's
// S3BucketKey method, which distribution's cloudfront middleware needs, is
// kept by New.
type Factory struct {
	// Name is the stowage driver's registered name.
	Name string
	// Options are passed to New.
	Options []Option
}

var _ factory.StorageDriverFactory = Factory{}

// Create implements factory.StorageDriverFactory.
func (f Factory) Create(ctx context.Context, parameters map[string]any) (storagedriver.StorageDriver, error) {
	params := f.params(parameters)
	d, err := driver.Open(ctx, f.Name, params)
	if err != nil {
		return nil, err
	}
	return New(d, f.Options...), nil
}

// params returns parameters without useragent when the stowage driver does
// not declare it.
func (f Factory) params(parameters map[string]any) map[string]any {
	var uaKey string
	for k := range parameters {
		if strings.EqualFold(k, "useragent") {
			uaKey = k
		}
	}
	if uaKey == "" || declares(f.Name, "useragent") {
		return parameters
	}
	p := maps.Clone(parameters)
	delete(p, uaKey)
	return p
}

// declares reports whether the stowage driver name declares param. A
// driver that does not describe its parameters is assumed to take it.
func declares(name, param string) bool {
	fac, ok := driver.Lookup(name)
	if !ok {
		return true
	}
	pd, ok := fac.(driver.ParamsDeclarer)
	if !ok {
		return true
	}
	for _, p := range configmap.Describe(pd.NewParams()) {
		if p.Name == param {
			return true
		}
	}
	return false
}

// FactoryFunc is a distribution storage driver factory made of a function
// that opens a stowage driver from the configuration's parameters; Create
// returns the driver through New.
type FactoryFunc func(ctx context.Context, parameters map[string]any) (driver.StorageDriver, error)

var _ factory.StorageDriverFactory = FactoryFunc(nil)

// Create implements factory.StorageDriverFactory.
func (f FactoryFunc) Create(ctx context.Context, parameters map[string]any) (storagedriver.StorageDriver, error) {
	d, err := f(ctx, parameters)
	if err != nil {
		return nil, err
	}
	return New(d), nil
}

// NameTakenError is returned when a distribution driver name is already
// registered with distribution's factory, by distribution's own driver or
// another.
type NameTakenError struct {
	Name string
}

func (e NameTakenError) Error() string {
	return fmt.Sprintf("storage driver name %q is already registered with distribution's factory", e.Name)
}

var registerMu sync.Mutex

// Register registers f with distribution's factory under name, and
// returns a NameTakenError instead of panicking when the name is taken.
//
// distribution's factory.Register panics on a duplicate name before it
// changes anything; Register recovers that panic. Like factory.Register it
// must be called before the registry starts (from init or main), as
// distribution's factory has no lock of its own.
func Register(name string, f factory.StorageDriverFactory) error {
	if f == nil {
		return errors.New("distribution: Register needs a factory")
	}
	registerMu.Lock()
	defer registerMu.Unlock()
	return tryRegister(name, f)
}

func tryRegister(name string, f factory.StorageDriverFactory) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = NameTakenError{Name: name}
		}
	}()
	factory.Register(name, f)
	return nil
}

// RegisterNames registers stowage drivers with distribution's factory under
// the names given: names maps a distribution driver name (the key under
// storage: in the registry's config.yml) to a stowage driver name, as in
// {"stowage-s3": "s3", "swift": "swift"}. It registers every name still
// free and returns a NameTakenError for each taken one (joined with
// errors.Join), in the order of the sorted names.
func RegisterNames(names map[string]string, opts ...Option) error {
	var errs []error
	for _, name := range slices.Sorted(maps.Keys(names)) {
		if err := Register(name, Factory{Name: names[name], Options: opts}); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// RegisterStandard registers every stowage driver under its standard name
// (StandardNames). It returns a NameTakenError for each name already taken
// (distribution's own s3, gcs, azure, filesystem or inmemory driver linked
// into the same program) and registers the others.
func RegisterStandard(opts ...Option) error {
	return RegisterNames(standardMap(""), opts...)
}

// RegisterWithPrefix registers every stowage driver under prefix followed
// by its standard name, such as "stowage-s3" for the prefix "stowage-",
// and returns the names registered. A config.yml then says
// storage: {stowage-s3: {...}} with the parameters of stowage's s3 driver.
func RegisterWithPrefix(prefix string, opts ...Option) ([]string, error) {
	if prefix == "" {
		return nil, errors.New("distribution: RegisterWithPrefix needs a prefix")
	}
	m := standardMap(prefix)
	err := RegisterNames(m, opts...)
	return registered(m, err), err
}

// RegisterFree registers every stowage driver under its standard name where
// that name is still free, and returns the names registered: a program that
// links distribution's own gcs driver keeps it, and gets stowage's for the
// other names (swift and oss among them).
func RegisterFree(opts ...Option) []string {
	m := standardMap("")
	return registered(m, RegisterNames(m, opts...))
}

func standardMap(prefix string) map[string]string {
	m := make(map[string]string, len(StandardNames))
	for _, n := range StandardNames {
		m[prefix+n] = n
	}
	return m
}

// registered returns the names of m not named by a NameTakenError in err.
func registered(m map[string]string, err error) []string {
	taken := map[string]bool{}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			var nt NameTakenError
			if errors.As(e, &nt) {
				taken[nt.Name] = true
			}
		}
	}
	var out []string
	for _, n := range slices.Sorted(maps.Keys(m)) {
		if !taken[n] {
			out = append(out, n)
		}
	}
	return out
}
