package configmap

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// Defaulted records that a parameter struct has its declared defaults.
// Embed it in every parameter struct:
//
//	type Params struct {
//		configmap.Defaulted
//		Bucket string `param:"bucket" required:"true" desc:"..."`
//		...
//	}
//
// A struct from Defaults or Decode has it set, so that Prepare leaves every
// field as it is: a parameter whose default is true can be set to false in
// Go by starting from Defaults. A struct literal does not, so Prepare gives
// each of its zero fields the declared default, as YAML that leaves the
// parameter out would.
//
// ApplyDefaults, and so Decode and Prepare, panic on a struct that does not
// embed it: without it, a decoded false would become a default true again.
type Defaulted struct{ applied bool }

func (d *Defaulted) defaulted() *Defaulted { return d }

type defaultable interface{ defaulted() *Defaulted }

// Validator is implemented by parameter structs with rules that span
// several parameters (such as "keyid needs encrypt"). Validate must not
// change the struct, and should return *Error or Errors.
type Validator interface {
	Validate() error
}

// Defaults returns a P, a parameter struct, with every declared default.
func Defaults[P any]() P {
	var p P
	ApplyDefaults(&p)
	return p
}

// ApplyDefaults gives every zero field of p (a pointer to a parameter
// struct) its declared default, once: a struct that embeds Defaulted and
// has its defaults already is left alone.
func ApplyDefaults(p any) {
	d, ok := p.(defaultable)
	if !ok {
		panic(fmt.Sprintf("configmap: %T does not embed configmap.Defaulted", p))
	}
	if d.defaulted().applied {
		return
	}
	d.defaulted().applied = true
	rv := reflect.ValueOf(p).Elem()
	applyDefaults(Describe(p), rv)
}

func applyDefaults(spec []Param, v reflect.Value) {
	for _, p := range spec {
		field := v.FieldByIndex(p.index)
		if p.Section {
			applyDefaults(p.Children, field)
			continue
		}
		if p.Default == "" || !field.IsZero() {
			continue
		}
		if err := decodeValue(p.Default, field); err != nil {
			panic(fmt.Sprintf("configmap: default %q of %s: %v", p.Default, p.Name, err))
		}
	}
}

// Prepare makes p (a pointer to a parameter struct, decoded or built in Go)
// ready for an adapter's New, the one place where parameters are decided:
// it applies the declared defaults (see ApplyDefaults), stores enum values
// in their declared spelling, and checks every parameter: required ones
// set, enums, bounds, then the struct's own Validate. It returns Errors
// listing every problem, or nil. Every adapter's New calls it, and so does
// Decode.
func Prepare(p any) error {
	rv := reflect.ValueOf(p)
	if rv.Kind() != reflect.Pointer || rv.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("configmap: Prepare needs a pointer to a struct, got %T", p)
	}
	ApplyDefaults(p)
	return check(p, nil, nil)
}

// check adds to errs the problems of every parameter not in skip, then, if
// there are none, those of Validate.
func check(p any, errs Errors, skip map[string]bool) error {
	checkSection(Describe(p), reflect.ValueOf(p).Elem(), skip, &errs)
	if len(errs) == 0 {
		if v, ok := p.(Validator); ok {
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

func checkSection(spec []Param, v reflect.Value, skip map[string]bool, errs *Errors) {
	for _, p := range spec {
		field := v.FieldByIndex(p.index)
		if p.Section {
			if !skip[p.Name] {
				checkSection(p.Children, field, skip, errs)
			}
			continue
		}
		if skip[p.Name] {
			continue
		}
		if field.IsZero() {
			if p.Required {
				*errs = append(*errs, &Error{Param: p.Name, Msg: "required, not set (" + p.Description + ")"})
			}
			if p.Type == "string" || p.Min == "" {
				continue // an unset string or an unbounded number is valid
			}
		}
		if msg := checkValue(p, field); msg != "" {
			*errs = append(*errs, &Error{Param: p.Name, Msg: msg})
		}
	}
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
			if s := Size(field.Int()).String(); s != strconv.FormatInt(field.Int(), 10) {
				return fmt.Sprintf("%d (%s)", field.Int(), s)
			}
			return strconv.FormatInt(field.Int(), 10)
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

// Problems collects the problems a Validate method finds, each naming its
// parameter:
//
//	func (p *Params) Validate() error {
//		var ps configmap.Problems
//		if p.KeyID != "" && !p.Encrypt {
//			ps.Add("keyid", "needs encrypt: true")
//		}
//		return ps.Err()
//	}
type Problems struct{ errs Errors }

// Add records a problem with param; the message is formatted as by
// fmt.Sprintf.
func (ps *Problems) Add(param, format string, args ...any) {
	ps.errs = append(ps.errs, &Error{Param: param, Msg: fmt.Sprintf(format, args...)})
}

// Err returns the problems as Errors, or nil when there is none.
func (ps *Problems) Err() error {
	if len(ps.errs) == 0 {
		return nil
	}
	return ps.errs
}

// FileChecker is implemented by parameter structs that name local files
// (key files, private keys): CheckFiles reads them and checks their
// contents, as the driver will when it opens. Prepare and Decode do not
// call it, so a configuration meant for another machine can be validated
// where its files are not; tools call it unless told to skip local files.
type FileChecker interface {
	CheckFiles() error
}

// Warner is implemented by parameter structs with settings that are valid
// but probably not what was meant, such as a KMS key ID given without
// encryption, which the reference registry ignores. Warnings, like
// Validate, must not change the struct. Validate reports them in
// Checked.Warnings; adapters log them when they open.
type Warner interface {
	Warnings() []string
}
