package main

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// docCommand is a stowage command line found in the docs.
type docCommand struct {
	where string   // file:line
	line  string   // as written
	env   []string // VAR=value before the command
	args  []string // after "stowage"
	code  int      // the exit code a "# exits N" comment promises
}

// docFile is a fenced block whose info string names a file, such as
// ```yaml values.yml: commands of the same page can use it.
type docFile struct{ name, body string }

var (
	inlineCommand = regexp.MustCompile("`((?:stowage|scripts/stowage|go run \\./cmd/stowage) [^`]+)`")
	exitsComment  = regexp.MustCompile(`#\s*exits (\d+)`)
	placeholder   = regexp.MustCompile(`^[A-Z][A-Z_]+$|[\[\]|<>]|\.\.\.`)
)

// docCommands returns the stowage one-liners of a Markdown file: the
// lines of sh/bash/console/shell blocks and the inline code spans that run
// stowage (or scripts/stowage, or go run ./cmd/stowage), and the named
// files of its fenced blocks.
func docCommands(t *testing.T, path string) ([]docCommand, []docFile) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cmds []docCommand
	var files []docFile
	var fence, info, body, pending string
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		n++
		line := sc.Text()
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			if fence == "" {
				fence, body = "```", ""
				info = strings.Join(strings.Fields(strings.TrimPrefix(strings.TrimSpace(line), "```")), " ")
				continue
			}
			if fs := strings.Fields(info); len(fs) == 2 {
				files = append(files, docFile{fs[1], body})
			}
			fence = ""
			continue
		}
		if fence != "" {
			body += line + "\n"
			lang, _, _ := strings.Cut(info, " ")
			if lang != "sh" && lang != "bash" && lang != "console" && lang != "shell" {
				continue
			}
			l := strings.TrimPrefix(strings.TrimSpace(line), "$ ")
			if strings.HasSuffix(l, "\\") {
				pending += strings.TrimSuffix(l, "\\") + " "
				continue
			}
			l, pending = pending+l, ""
			if c, ok := parseDocCommand(l); ok {
				c.where = path + ":" + strconv.Itoa(n)
				cmds = append(cmds, c)
			}
			continue
		}
		for _, m := range inlineCommand.FindAllStringSubmatch(line, -1) {
			if c, ok := parseDocCommand(m[1]); ok {
				c.where = path + ":" + strconv.Itoa(n)
				cmds = append(cmds, c)
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return cmds, files
}

// parseDocCommand splits a shell line into environment and stowage
// arguments; ok is false for lines that do not run stowage.
func parseDocCommand(line string) (docCommand, bool) {
	c := docCommand{line: line}
	if m := exitsComment.FindStringSubmatch(line); m != nil {
		c.code, _ = strconv.Atoi(m[1])
	}
	if i := strings.Index(line, " #"); i >= 0 {
		line = line[:i]
	}
	words := shellWords(strings.TrimSuffix(strings.TrimSpace(line), "&"))
	for len(words) > 0 && regexp.MustCompile(`^[A-Z_][A-Z0-9_]*=`).MatchString(words[0]) {
		c.env = append(c.env, words[0])
		words = words[1:]
	}
	switch {
	case len(words) >= 1 && (words[0] == "stowage" || words[0] == "scripts/stowage"):
		c.args = words[1:]
	case len(words) >= 3 && words[0] == "go" && words[1] == "run" && words[2] == "./cmd/stowage":
		c.args = words[3:]
	default:
		return c, false
	}
	return c, true
}

// shellWords splits s at spaces outside single and double quotes.
func shellWords(s string) []string {
	var out []string
	var cur strings.Builder
	var quote rune
	in := false
	for _, r := range s {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(r)
		case r == '\'' || r == '"':
			quote, in = r, true
		case r == ' ' || r == '\t':
			if in || cur.Len() > 0 {
				out = append(out, cur.String())
				cur.Reset()
				in = false
			}
		default:
			cur.WriteRune(r)
		}
	}
	if in || cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

// valueFlags are the global flags that take a value.
var valueFlags = map[string]bool{"--config": true, "-c": true, "--set": true, "--data-dir": true, "--log-level": true, "--metrics-addr": true, "--progress": true}

// split returns the global flags before the subcommand, and the rest.
func split(args []string) (global, rest []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if valueFlags[a] && i+1 < len(args) {
			i++
			continue
		}
		if strings.HasPrefix(a, "-") {
			continue
		}
		return slices.Clone(args[:i]), args[i:]
	}
	return slices.Clone(args), nil
}

// docPages are the pages whose commands are run.
func docPages(t *testing.T) []string {
	t.Helper()
	pages, err := filepath.Glob("../../docs/*.md")
	if err != nil {
		t.Fatal(err)
	}
	return append([]string{"../../README.md"}, pages...)
}

// TestDocCommands runs every stowage one-liner of README.md and docs/*.md
// as written, in a fresh directory with the files the page names: those on
// the filesystem or in memory run as they are (paths under /tmp/ moved into
// the test's directory); those on a cloud store need its credentials, so
// their configuration is validated instead, as far as it goes without
// them. Lines with placeholders (FILE, [DRIVER], a|b, ...) are synopses.
func TestDocCommands(t *testing.T) {
	ran := 0
	seen := map[string]bool{}
	for _, page := range docPages(t) {
		cmds, files := docCommands(t, page)
		for _, c := range cmds {
			key := strings.Join(append(c.env, c.args...), " ")
			if slicesAny(c.args, placeholder.MatchString) || seen[key] {
				continue
			}
			seen[key] = true
			ran++
			t.Run(filepath.Base(c.where), func(t *testing.T) {
				dir := t.TempDir()
				for _, f := range files {
					writeFile(t, dir, f.name, f.body)
				}
				args := make([]string, len(c.args))
				for i, a := range c.args {
					args[i] = strings.ReplaceAll(a, "/tmp/", dir+"/")
				}
				run := cli{dir: dir, env: append([]string{"STOWAGE_DATA=" + filepath.Join(dir, "data")}, c.env...)}
				global, rest := split(args)
				configured := slices.Contains(global, "--set") || slices.Contains(global, "--config") || slices.Contains(global, "-c") || slicesAny(c.env, func(kv string) bool { return strings.HasPrefix(kv, "REGISTRY_STORAGE") })
				local := !configured || len(rest) == 0 || rest[0] == "params" || rest[0] == "config" || rest[0] == "help"
				if !local {
					v := run.run(t, append(global, "config", "validate", "--skip-local-files")...)
					if v.code != 0 && c.code == 0 {
						t.Fatalf("%s: %s\nits configuration is invalid: %v", c.where, c.line, v)
					}
					local = strings.Contains(v.stdout, "provider: filesystem") || strings.Contains(v.stdout, "provider: inmemory") || v.code != 0
					if !local {
						t.Logf("%s: %s: needs cloud credentials; configuration validated", c.where, c.line)
						return
					}
				}
				r := run.run(t, args...)
				if r.code != c.code {
					t.Fatalf("%s: %s\nwant exit %d; got %v", c.where, c.line, c.code, r)
				}
			})
		}
	}
	if ran < 10 {
		t.Fatalf("only %d runnable commands found in the docs", ran)
	}
}

func slicesAny(ss []string, f func(string) bool) bool {
	for _, s := range ss {
		if f(s) {
			return true
		}
	}
	return false
}

// TestScriptsWrapper: scripts/stowage, the README's first command, builds
// the command where it keeps it, says so on a first build, and runs it.
func TestScriptsWrapper(t *testing.T) {
	tools := t.TempDir()
	run := cli{env: []string{"STOWAGE_TOOLS=" + tools}}
	cmd := run.command("--version")
	cmd.Path, cmd.Args = "../../scripts/stowage", []string{"../../scripts/stowage", "--version"}
	var first strings.Builder
	cmd.Stderr = &first
	out, err := cmd.Output()
	if err != nil || !strings.HasPrefix(string(out), "stowage ") || !strings.Contains(first.String(), "building stowage (the first build compiles the cloud SDKs") {
		t.Fatalf("scripts/stowage --version: %v\n%s%s", err, out, first.String())
	}
	if _, err := os.Stat(filepath.Join(tools, "bin", "stowage")); err != nil {
		t.Fatalf("no binary kept: %v", err)
	}
	cmd = run.command("--version")
	cmd.Path, cmd.Args = "../../scripts/stowage", []string{"../../scripts/stowage", "--version"}
	var errOut strings.Builder
	cmd.Stderr = &errOut
	if err := cmd.Run(); err != nil || strings.Contains(errOut.String(), "building stowage") {
		t.Fatalf("second run: %v, %q", err, errOut.String())
	}
}
