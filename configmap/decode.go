package configmap

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-viper/mapstructure/v2"
)

// Redacted replaces secret values wherever a configuration is printed.
const Redacted = "<redacted>"

// Error is one problem with one parameter.
type Error struct {
	// Param is the parameter's name, dotted for nested parameters.
	Param string
	Msg   string
}

func (e *Error) Error() string { return fmt.Sprintf("parameter %q: %s", e.Param, e.Msg) }

// Errors lists every problem found in a set of parameters.
type Errors []*Error

func (es Errors) Error() string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "; ")
}

// Unwrap lets errors.As find each *Error.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// Decode decodes params into out, a pointer to a struct declared with param
// tags: the declared defaults first (unless out already has them, see
// Defaulted), then every given parameter, then the checks of Prepare. It
// returns Errors listing every problem, or nil. Keys are matched without
// regard to case.
func Decode(params map[string]any, out any) error {
	errs, err := decodeOnly(params, out)
	if err != nil {
		return err
	}
	// Every problem at once: the checks run on the parameters that decoded.
	failed := map[string]bool{}
	for _, e := range errs {
		failed[e.Param] = true
	}
	return check(out, errs, failed)
}

// decodeOnly is Decode without the checks of Prepare: the defaults, then
// the given parameters, reporting unknown keys and values of the wrong type.
func decodeOnly(params map[string]any, out any) (Errors, error) {
	rv := reflect.ValueOf(out)
	if rv.Kind() != reflect.Pointer || rv.Elem().Kind() != reflect.Struct {
		return nil, fmt.Errorf("configmap: Decode needs a pointer to a struct, got %T", out)
	}
	ApplyDefaults(out)
	var errs Errors
	decodeSection(params, Describe(out), rv.Elem(), "", &errs)
	return errs, nil
}

func decodeSection(params map[string]any, spec []Param, v reflect.Value, prefix string, errs *Errors) {
	byName := make(map[string]Param, len(spec))
	names := make([]string, 0, len(spec))
	for _, p := range spec {
		short := strings.TrimPrefix(p.Name, prefix)
		byName[short] = p
		names = append(names, short)
	}
	given := map[string]any{}
	var unknown []string
	for k, val := range params {
		lk := strings.ToLower(k)
		if _, ok := byName[lk]; !ok {
			unknown = append(unknown, k)
			continue
		}
		given[lk] = val
	}
	slices.Sort(unknown)
	for _, k := range unknown {
		msg := "unknown parameter; accepted: " + strings.Join(names, ", ")
		if s := suggest(strings.ToLower(k), names); s != "" {
			msg = fmt.Sprintf("unknown parameter (did you mean %q?); accepted: %s", s, strings.Join(names, ", "))
		}
		*errs = append(*errs, &Error{Param: prefix + k, Msg: msg})
	}
	for _, p := range spec {
		short := strings.TrimPrefix(p.Name, prefix)
		field := v.FieldByIndex(p.index)
		raw, ok := given[short]
		if p.Section {
			var sub map[string]any
			if ok && raw != nil {
				m, isMap := toStringMap(raw)
				if !isMap {
					*errs = append(*errs, &Error{Param: p.Name, Msg: fmt.Sprintf("expected a map of parameters, got %s", describeValue(p, raw))})
					continue
				}
				sub = m
			}
			decodeSection(sub, p.Children, field, p.Name+".", errs)
			continue
		}
		if !ok || raw == nil || (raw == "" && p.Type != "string") {
			continue // unset: the default, applied before, stays
		}
		if err := decodeValue(raw, field); err != nil {
			*errs = append(*errs, &Error{Param: p.Name, Msg: fmt.Sprintf("expected %s, got %s", p.expected(), describeValue(p, raw))})
		}
	}
}

// describeValue quotes a bad value for an error message, unless it is secret.
func describeValue(p Param, raw any) string {
	if p.Secret {
		return Redacted
	}
	s := fmt.Sprintf("%#v", raw)
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return s
}

func toStringMap(raw any) (map[string]any, bool) {
	switch m := raw.(type) {
	case map[string]any:
		return m, true
	case map[any]any:
		out := make(map[string]any, len(m))
		for k, v := range m {
			out[fmt.Sprint(k)] = v
		}
		return out, true
	}
	return nil, false
}

func decodeValue(raw any, field reflect.Value) error {
	if field.Type() == durationType {
		s, ok := raw.(string)
		if !ok {
			return errors.New("durations are strings with a unit")
		}
		d, err := time.ParseDuration(strings.TrimSpace(s))
		if err != nil {
			return err
		}
		field.SetInt(int64(d))
		return nil
	}
	if field.Type() == sizeType {
		if f, ok := raw.(float64); ok && f != float64(int64(f)) {
			return errors.New("fractional bytes")
		}
		if _, ok := raw.(bool); ok {
			return errors.New("bool is not a size")
		}
	}
	if field.Kind() == reflect.Bool {
		if s, ok := raw.(string); ok {
			b, err := strconv.ParseBool(strings.TrimSpace(s))
			if err != nil {
				return err
			}
			field.SetBool(b)
			return nil
		}
	}
	if field.Kind() == reflect.String {
		switch raw.(type) {
		case map[string]any, map[any]any, []any:
			return errors.New("not a scalar")
		}
	}
	dec, err := mapstructure.NewDecoder(&mapstructure.DecoderConfig{
		Result:           field.Addr().Interface(),
		WeaklyTypedInput: true,
		DecodeHook: mapstructure.ComposeDecodeHookFunc(
			mapstructure.TextUnmarshallerHookFunc(),
			mapstructure.StringToSliceHookFunc(","),
		),
	})
	if err != nil {
		return err
	}
	return dec.Decode(raw)
}

// suggest returns the accepted name closest to k, if it is close.
func suggest(k string, names []string) string {
	best, bestD := "", 3
	for _, n := range names {
		if d := editDistance(k, n); d < bestD {
			best, bestD = n, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			// transposition counts as one edit
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev[j-1])
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Redact returns a copy of params, as given for the struct v, with the value
// of every secret parameter replaced by Redacted. Unknown keys are kept.
func Redact(params map[string]any, v any) map[string]any {
	return redactSection(params, Describe(v), "")
}

func redactSection(params map[string]any, spec []Param, prefix string) map[string]any {
	if params == nil {
		return nil
	}
	out := make(map[string]any, len(params))
	for k, val := range params {
		out[k] = val
		for _, p := range spec {
			if strings.TrimPrefix(p.Name, prefix) != strings.ToLower(k) {
				continue
			}
			if p.Secret && val != nil && val != "" {
				out[k] = Redacted
			} else if p.Section {
				if m, ok := toStringMap(val); ok {
					out[k] = redactSection(m, p.Children, p.Name+".")
				}
			}
		}
	}
	return out
}

// Effective returns the decoded struct v as a map from parameter name to
// value, with secrets redacted (an unset secret shows as ""), for printing.
func Effective(v any) map[string]any {
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer {
		rv = rv.Elem()
	}
	return effectiveSection(rv, Describe(v), "")
}

func effectiveSection(rv reflect.Value, spec []Param, prefix string) map[string]any {
	out := map[string]any{}
	for _, p := range spec {
		short := strings.TrimPrefix(p.Name, prefix)
		f := rv.FieldByIndex(p.index)
		switch {
		case p.Section:
			out[short] = effectiveSection(f, p.Children, p.Name+".")
		case p.Secret && !f.IsZero():
			out[short] = Redacted
		case p.Type == "size":
			out[short] = Size(f.Int()).String()
		case p.Type == "duration":
			out[short] = time.Duration(f.Int()).String()
		default:
			out[short] = f.Interface()
		}
	}
	return out
}
