package configmap

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/stowage/stowage/driver"
)

// StorageConfig is a storage section read from any of the supported forms.
type StorageConfig struct {
	// Provider is the driver name, such as "s3".
	Provider string
	// Params are the provider's parameters, as given.
	Params map[string]any
	// Middleware is the storage middleware list, in order.
	Middleware []driver.MiddlewareConfig
	// RedirectDisabled is the reference registry's storage.redirect.disable.
	RedirectDisabled bool
	// Form names the form the configuration was read from: "registry",
	// "values", "set", "url" or "default".
	Form string
}

// storageSectionKeys are keys of the reference registry's storage section
// that configure the registry, not a provider.
var storageSectionKeys = []string{"maintenance", "cache", "delete", "redirect", "tag"}

// Load reads a configuration in the reference registry's form (a top-level
// storage: key) or an operator's values form (registry.storage.backend, also
// under spec: in a custom resource), and applies environment overrides
// (REGISTRY_STORAGE, REGISTRY_STORAGE_<PROVIDER>_<PARAM>) from environ, as
// returned by os.Environ. A nil environ applies none. It is LoadSet without
// assignments.
func Load(data []byte, environ []string) (*StorageConfig, error) {
	return LoadSet(data, nil, environ)
}

// LoadSet reads a configuration as Load does after merging Helm-style
// assignments (see ParseSet) onto it, as helm --values FILE --set KEY=VALUE
// does: each key is a path into the document, and its value replaces what
// the file has there. data may be empty, for assignments alone. Environment
// overrides from environ are applied last, so they win over both, as in the
// reference registry.
//
// In the values form, backend may be left out when exactly one key under
// registry.storage names a registered driver:
//
//	registry.storage.gcs.bucket=my-registry   (backend gcs)
//
// Keys may address either form: registry.storage.* and
// spec.registry.storage.* (values form) or storage.* (registry form). A
// document that ends up with more than one of them is refused, since which
// one the server reads is not obvious.
func LoadSet(data []byte, assignments []string, environ []string) (*StorageConfig, error) {
	doc := map[string]any{}
	if len(strings.TrimSpace(string(data))) > 0 {
		if err := yaml.Unmarshal(data, &doc); err != nil {
			return nil, fmt.Errorf("config: not valid YAML: %w", err)
		}
		if doc == nil { // a document that is only a comment or "---"
			doc = map[string]any{}
		}
	}
	if err := applySet(doc, assignments); err != nil {
		return nil, err
	}
	cfg, err := fromDocument(doc, environ)
	if err != nil {
		if len(data) == 0 && len(assignments) > 0 && errors.Is(err, errNoStorage) {
			return nil, errors.New("config: --set: expected keys under registry.storage, such as registry.storage.backend=s3 (values form), or under storage, such as storage.s3.bucket=name (registry form)")
		}
		return nil, err
	}
	if len(data) == 0 && len(assignments) > 0 {
		cfg.Form = "set"
	}
	if err := applyEnv(cfg, environ); err != nil {
		return nil, err
	}
	return cfg, nil
}

var errNoStorage = errors.New("config: no storage section: expected storage: {<provider>: {...}} (registry form) or registry: {storage: {backend: <provider>, ...}} (values form)")

// storageSections are where a storage section may be, with the name of
// each for messages.
var storageSections = []struct {
	path []string
	name string
}{
	{[]string{"storage"}, "storage"},
	{[]string{"registry", "storage"}, "registry.storage"},
	{[]string{"spec", "registry", "storage"}, "spec.registry.storage"},
}

// fromDocument reads the storage section of a parsed document.
func fromDocument(doc map[string]any, environ []string) (*StorageConfig, error) {
	var found []string
	for _, s := range storageSections {
		if lookup(doc, s.path...) != nil {
			found = append(found, s.name)
		}
	}
	if len(found) > 1 {
		return nil, fmt.Errorf("config: both %s are set; keep one (--set keys must address the form of the file: storage.s3.region for the registry form, registry.storage.s3.region for the values form)", strings.Join(found, " and "))
	}
	switch {
	case doc["storage"] != nil:
		return fromRegistry(doc)
	case lookup(doc, "registry", "storage") != nil:
		return fromValues(lookup(doc, "registry", "storage"), "registry.storage")
	case lookup(doc, "spec", "registry", "storage") != nil:
		return fromValues(lookup(doc, "spec", "registry", "storage"), "spec.registry.storage")
	case envHasStorage(environ):
		return &StorageConfig{Form: "registry"}, nil
	}
	return nil, errNoStorage
}

func lookup(doc map[string]any, keys ...string) any {
	var cur any = doc
	for _, k := range keys {
		m, ok := toStringMap(cur)
		if !ok {
			return nil
		}
		cur = m[k]
	}
	return cur
}

func fromRegistry(doc map[string]any) (*StorageConfig, error) {
	storage, ok := toStringMap(doc["storage"])
	if !ok {
		return nil, fmt.Errorf("config: storage: expected a map with one provider key, got %T", doc["storage"])
	}
	cfg := &StorageConfig{Form: "registry"}
	var providers []string
	for k := range storage {
		if !slices.Contains(storageSectionKeys, k) {
			providers = append(providers, k)
		}
	}
	slices.Sort(providers)
	switch len(providers) {
	case 0:
		return nil, fmt.Errorf("config: storage: no provider key; expected one of: %s", strings.Join(driver.Names(), ", "))
	case 1:
	default:
		return nil, fmt.Errorf("config: storage: more than one provider configured (%s); keep exactly one", strings.Join(providers, ", "))
	}
	cfg.Provider = providers[0]
	params, err := paramMap(storage[cfg.Provider], "storage."+cfg.Provider)
	if err != nil {
		return nil, err
	}
	cfg.Params = params
	if r, ok := toStringMap(storage["redirect"]); ok {
		cfg.RedirectDisabled = truthy(r["disable"])
	}
	if mw := lookup(doc, "middleware", "storage"); mw != nil {
		list, ok := mw.([]any)
		if !ok {
			return nil, fmt.Errorf("config: middleware.storage: expected a list of {name, options}, got %T", mw)
		}
		for i, item := range list {
			m, ok := toStringMap(item)
			if !ok {
				return nil, fmt.Errorf("config: middleware.storage[%d]: expected {name, options}, got %T", i, item)
			}
			name, _ := m["name"].(string)
			if name == "" {
				return nil, fmt.Errorf("config: middleware.storage[%d]: name is required", i)
			}
			opts, err := paramMap(m["options"], fmt.Sprintf("middleware.storage[%d].options", i))
			if err != nil {
				return nil, err
			}
			cfg.Middleware = append(cfg.Middleware, driver.MiddlewareConfig{Name: name, Options: opts})
		}
	}
	return cfg, nil
}

func fromValues(section any, where string) (*StorageConfig, error) {
	storage, ok := toStringMap(section)
	if !ok {
		return nil, fmt.Errorf("config: %s: expected a map, got %T", where, section)
	}
	backend, _ := storage["backend"].(string)
	if backend == "" {
		var err error
		if backend, err = inferBackend(storage, where); err != nil {
			return nil, err
		}
	}
	params, err := paramMap(storage[backend], where+"."+backend)
	if err != nil {
		return nil, err
	}
	return &StorageConfig{Provider: backend, Params: params, Form: "values"}, nil
}

// inferBackend returns the one key of a values-form storage section that
// names a registered driver, for a section without backend.
func inferBackend(storage map[string]any, where string) (string, error) {
	var providers []string
	for k := range storage {
		if _, ok := driver.Lookup(k); ok {
			providers = append(providers, k)
		}
	}
	slices.Sort(providers)
	switch len(providers) {
	case 1:
		return providers[0], nil
	case 0:
		return "", fmt.Errorf("config: %s.backend: required: the provider to use, one of: %s", where, strings.Join(driver.Names(), ", "))
	}
	return "", fmt.Errorf("config: %s.backend: required: the section configures %s; say which one to use", where, strings.Join(providers, " and "))
}

func paramMap(v any, where string) (map[string]any, error) {
	if v == nil || v == "" { // "inmemory:" in YAML, registry.storage.inmemory= in --set
		return map[string]any{}, nil
	}
	m, ok := toStringMap(v)
	if !ok {
		return nil, fmt.Errorf("config: %s: expected a map of parameters, got %T", where, v)
	}
	out := make(map[string]any, len(m))
	for k, val := range m {
		if sub, ok := toStringMap(val); ok {
			val = sub
		}
		out[k] = val
	}
	return out, nil
}

func truthy(v any) bool {
	switch b := v.(type) {
	case bool:
		return b
	case string:
		return strings.EqualFold(b, "true")
	}
	return false
}

func envHasStorage(environ []string) bool {
	for _, kv := range environ {
		if strings.HasPrefix(kv, "REGISTRY_STORAGE=") {
			return true
		}
	}
	return false
}

// applyEnv applies REGISTRY_STORAGE=<provider> (which replaces the provider,
// dropping the file's parameters if it differs) and
// REGISTRY_STORAGE_<PROVIDER>_<PARAM>=value overrides; nested parameters use
// one more underscore: REGISTRY_STORAGE_AZURE_CREDENTIALS_TYPE.
func applyEnv(cfg *StorageConfig, environ []string) error {
	for _, kv := range environ {
		k, v, _ := strings.Cut(kv, "=")
		if k == "REGISTRY_STORAGE" && v != "" && !strings.EqualFold(v, cfg.Provider) {
			cfg.Provider = strings.ToLower(v)
			cfg.Params = map[string]any{}
		}
	}
	if cfg.Provider == "" {
		return nil
	}
	if cfg.Params == nil {
		cfg.Params = map[string]any{}
	}
	prefix := "REGISTRY_STORAGE_" + strings.ToUpper(cfg.Provider) + "_"
	for _, kv := range environ {
		k, v, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(k, prefix) || len(k) == len(prefix) {
			continue
		}
		path := strings.Split(strings.ToLower(k[len(prefix):]), "_")
		setPath(cfg.Params, path, v)
	}
	if v, ok := envValue(environ, "REGISTRY_STORAGE_REDIRECT_DISABLE"); ok {
		cfg.RedirectDisabled = strings.EqualFold(v, "true")
	}
	return nil
}

func envValue(environ []string, key string) (string, bool) {
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok && k == key {
			return v, true
		}
	}
	return "", false
}

func setPath(m map[string]any, path []string, v any) {
	for i, p := range path {
		if i == len(path)-1 {
			// Replace an existing key of any case.
			for k := range m {
				if strings.EqualFold(k, p) {
					delete(m, k)
				}
			}
			m[p] = v
			return
		}
		sub, ok := toStringMap(m[p])
		if !ok {
			sub = map[string]any{}
		}
		m[p] = sub
		m = sub
	}
}

// ParseSet reads Helm-style assignments, each "key=value" or several joined
// by commas (a comma inside a value is written \,):
//
//	registry.storage.backend=s3
//	registry.storage.s3.bucket=testing-msr-kube,registry.storage.s3.region=us-east-2
//
// Keys under spec.registry.storage, and the registry form's storage.*, are
// accepted too; backend may be left out when one provider is named (see
// LoadSet, which also merges assignments onto a file and applies
// environment overrides).
func ParseSet(assignments []string) (*StorageConfig, error) {
	if len(assignments) == 0 {
		return nil, errors.New("config: --set: no assignments")
	}
	return LoadSet(nil, assignments, nil)
}

// applySet merges assignments onto doc.
func applySet(doc map[string]any, assignments []string) error {
	for _, a := range assignments {
		for _, part := range splitUnescaped(a) {
			k, v, ok := strings.Cut(part, "=")
			if !ok || k == "" {
				return fmt.Errorf("config: --set %q: expected key=value", part)
			}
			path := strings.Split(k, ".")
			for _, p := range path {
				if p == "" {
					return fmt.Errorf("config: --set %q: empty key segment", part)
				}
			}
			setPath(doc, path, v)
		}
	}
	return nil
}

func splitUnescaped(s string) []string {
	var out []string
	var cur strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s) && s[i+1] == ',':
			cur.WriteByte(',')
			i++
		case s[i] == ',':
			out = append(out, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(s[i])
		}
	}
	return append(out, cur.String())
}

// RedactedParams returns the parameters as given, with secrets redacted.
func (c *StorageConfig) RedactedParams() map[string]any {
	f, ok := driver.Lookup(c.Provider)
	if !ok {
		return redactAll(c.Params)
	}
	d, ok := f.(driver.ParamsDeclarer)
	if !ok {
		return redactAll(c.Params)
	}
	return Redact(c.Params, d.NewParams())
}

// redactAll hides every value when no declaration says which are secret.
func redactAll(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k := range m {
		out[k] = Redacted
	}
	return out
}
