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
// tags, applying defaults and validating every parameter. It returns Errors
// listing every problem, or nil. Keys are matched without regard to case.
func Decode(params map[string]any, out any) error {
	rv := reflect.ValueOf(out)
	if rv.Kind() != reflect.Pointer || rv.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("configmap: Decode needs a pointer to a struct, got %T", out)
	}
	var errs Errors
	decodeSection(params, Describe(out), rv.Elem(), "", &errs)
	if len(errs) == 0 {
		if v, ok := out.(Validator); ok {
			if err := v.Validate(); err != nil {
				var es Errors
				var e *Error
				switch {
				case errors.As(err, &es):
					errs = append(errs, es...)
				case errors.As(err, &e):
					errs = append(errs, e)
				default:
					return err
				}
			}
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// Validator is implemented by parameter structs with rules that span
// several parameters (such as "keyid needs encrypt"). Decode calls Validate
// after every field decoded cleanly; it should return *Error or Errors.
type Validator interface {
	Validate() error
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
			if p.Default != "" {
				raw, ok = p.Default, true
			} else {
				ok = false
			}
		}
		if !ok {
			if p.Required {
				*errs = append(*errs, &Error{Param: p.Name, Msg: "required, not set (" + p.Description + ")"})
			}
			continue
		}
		if err := decodeValue(raw, field); err != nil {
			*errs = append(*errs, &Error{Param: p.Name, Msg: fmt.Sprintf("expected %s, got %s", p.expected(), describeValue(p, raw))})
			continue
		}
		if p.Required && field.IsZero() {
			*errs = append(*errs, &Error{Param: p.Name, Msg: "required, got an empty value (" + p.Description + ")"})
			continue
		}
		if msg := checkValue(p, field); msg != "" {
			*errs = append(*errs, &Error{Param: p.Name, Msg: msg})
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

// checkValue validates enum and bounds; it also stores an enum value in its
// declared spelling.
func checkValue(p Param, field reflect.Value) string {
	if len(p.Enum) > 0 && field.Kind() == reflect.String {
		got := field.String()
		for _, e := range p.Enum {
			if strings.EqualFold(e, got) {
				field.SetString(e)
				return ""
			}
		}
		g := got
		if p.Secret {
			g = Redacted
		}
		return fmt.Sprintf("expected one of %s, got %q", strings.Join(p.Enum, ", "), g)
	}
	if p.Min == "" && p.Max == "" {
		return ""
	}
	var val, lo, hi float64
	parse := func(s string) float64 {
		switch p.Type {
		case "size":
			n, err := ParseSize(s)
			if err != nil {
				panic(fmt.Sprintf("configmap: bad bound %q on %s", s, p.Name))
			}
			return float64(n)
		case "duration":
			d, err := time.ParseDuration(s)
			if err != nil {
				panic(fmt.Sprintf("configmap: bad bound %q on %s", s, p.Name))
			}
			return float64(d)
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			panic(fmt.Sprintf("configmap: bad bound %q on %s", s, p.Name))
		}
		return f
	}
	switch field.Kind() {
	case reflect.Int, reflect.Int64, reflect.Int32:
		val = float64(field.Int())
	case reflect.Float64:
		val = field.Float()
	default:
		return ""
	}
	show := func() string {
		switch p.Type {
		case "size":
			return fmt.Sprintf("%d (%s)", field.Int(), Size(field.Int()))
		case "duration":
			return time.Duration(field.Int()).String()
		}
		return fmt.Sprint(field.Interface())
	}
	if p.Min != "" {
		lo = parse(p.Min)
		if val < lo {
			return fmt.Sprintf("must be at least %s, got %s", p.Min, show())
		}
	}
	if p.Max != "" {
		hi = parse(p.Max)
		if val > hi {
			return fmt.Sprintf("must be at most %s, got %s", p.Max, show())
		}
	}
	return ""
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
