package configmap

import (
	"fmt"
	"strings"
)

// Markdown renders the parameters as a Markdown table: name, type,
// default, required, accepted values and description.
func Markdown(ps []Param) string {
	var b strings.Builder
	b.WriteString("| parameter | type | default | required | accepted | description |\n")
	b.WriteString("|---|---|---|---|---|---|\n")
	for _, p := range Flatten(ps) {
		req := ""
		if p.Required {
			req = "yes"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s | %s |\n",
			p.Name, p.Type, code(p.Default), req, escape(p.Accepted()), escape(p.Description))
	}
	return b.String()
}

// Accepted summarises the values a parameter accepts beyond its type.
func (p Param) Accepted() string {
	var parts []string
	if len(p.Enum) > 0 {
		parts = append(parts, "one of "+strings.Join(p.Enum, ", "))
	}
	if p.Min != "" {
		parts = append(parts, "≥ "+p.Min)
	}
	if p.Max != "" {
		parts = append(parts, "≤ "+p.Max)
	}
	if p.Secret {
		parts = append(parts, "secret (redacted in output)")
	}
	return strings.Join(parts, "; ")
}

func code(s string) string {
	if s == "" {
		return ""
	}
	return "`" + s + "`"
}

func escape(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
