package configmap

import (
	"fmt"
	"reflect"
	"strings"
	"time"
)

// Param describes one declared parameter.
type Param struct {
	// Name is the parameter's key, lower case; nested parameters are
	// dotted, as in "credentials.type".
	Name        string
	Type        string
	Default     string
	Required    bool
	Secret      bool
	Enum        []string
	Min, Max    string
	Description string

	index []int
	kind  reflect.Type
	// Section is set for a nested section; its own parameters are Children.
	Section  bool
	Children []Param
}

var (
	sizeType     = reflect.TypeFor[Size]()
	durationType = reflect.TypeFor[time.Duration]()
)

// Describe returns the parameters declared by the struct v (or a pointer to
// one), in declaration order. It panics on a malformed declaration, which is
// a programming error caught by any test that decodes the struct.
func Describe(v any) []Param {
	t := reflect.TypeOf(v)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return describe(t, "")
}

func describe(t reflect.Type, prefix string) []Param {
	if t.Kind() != reflect.Struct {
		panic(fmt.Sprintf("configmap: %s is not a struct", t))
	}
	var out []Param
	for i := range t.NumField() {
		f := t.Field(i)
		name, ok := f.Tag.Lookup("param")
		if !ok || name == "-" {
			continue
		}
		if name != strings.ToLower(name) {
			panic(fmt.Sprintf("configmap: parameter name %q must be lower case", name))
		}
		p := Param{
			Name:        prefix + name,
			Default:     f.Tag.Get("default"),
			Required:    f.Tag.Get("required") == "true",
			Secret:      f.Tag.Get("secret") == "true",
			Min:         f.Tag.Get("min"),
			Max:         f.Tag.Get("max"),
			Description: f.Tag.Get("desc"),
			index:       f.Index,
			kind:        f.Type,
		}
		if e := f.Tag.Get("enum"); e != "" {
			p.Enum = strings.Split(e, ",")
		}
		if f.Type.Kind() == reflect.Struct && f.Type != sizeType {
			p.Section = true
			p.Type = "section"
			p.Children = describe(f.Type, p.Name+".")
		} else {
			p.Type = typeName(f.Type)
		}
		out = append(out, p)
	}
	return out
}

func typeName(t reflect.Type) string {
	switch t {
	case sizeType:
		return "size"
	case durationType:
		return "duration"
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "bool"
	case reflect.Int, reflect.Int64, reflect.Int32:
		return "int"
	case reflect.Float64:
		return "float"
	case reflect.Slice:
		return "list of " + typeName(t.Elem())
	case reflect.Map, reflect.Interface:
		return "map"
	}
	return t.String()
}

// expected says, for error messages, what a parameter of this type accepts.
func (p Param) expected() string {
	switch p.Type {
	case "size":
		return `a size in bytes, such as 10485760 or "10MiB"`
	case "duration":
		return `a duration, such as "20m" or "1h30m"`
	case "bool":
		return "true or false"
	case "int":
		return "a whole number"
	case "float":
		return "a number"
	case "string":
		return "a string"
	case "map":
		return "a map"
	}
	return p.Type
}

// Flatten returns the parameters with nested sections expanded in place.
func Flatten(ps []Param) []Param {
	var out []Param
	for _, p := range ps {
		if p.Section {
			out = append(out, Flatten(p.Children)...)
			continue
		}
		out = append(out, p)
	}
	return out
}
