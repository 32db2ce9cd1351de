package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestREADMEExitCodes: the README's exit-code table and the exit*
// constants cannot drift apart (issue 11.13). Every constant's code is a
// row whose meaning names it, every row is some constant's code, and
// every exit* constant in the package is in this test's list, so a new
// one cannot be added without its row.
func TestREADMEExitCodes(t *testing.T) {
	// A phrase of the README's row that says what the constant means.
	want := []struct {
		name   string
		code   int
		phrase string
	}{
		{"exitOK", exitOK, "one record"},
		{"exitFailure", exitFailure, "anything else"},
		{"exitConfig", exitConfig, "a configuration error"},
		{"exitUsage", exitUsage, "usage error"},
		{"exitNotFound", exitNotFound, "not found"},
		{"exitCandidates", exitCandidates, "several candidates"},
		{"exitTooMany", exitTooMany, "too many matches"},
		{"exitRejected", exitRejected, "the registry rejected the query"},
		{"exitAuth", exitAuth, "authentication failure"},
		{"exitNetwork", exitNetwork, "network, TLS or timeout failure"},
		{"exitMismatch", exitMismatch, "not the student asked for"},
		{"exitRosterStopped", exitRosterStopped, "`roster`: the run stopped"},
		{"exitOnboardConnect", exitOnboardConnect, "`onboard`: phase 1 failed"},
		{"exitOnboardQueries", exitOnboardQueries, "`onboard`: phase 2 failed"},
		{"exitOnboardWorkflow", exitOnboardWorkflow, "`onboard`: phase 3 failed"},
		{"exitInterrupted", exitInterrupted, "interrupted"},
	}

	rows := readmeExitCodes(t)
	listed := map[string]bool{}
	used := map[int]bool{}
	for _, c := range want {
		listed[c.name] = true
		used[c.code] = true
		meaning, ok := rows[c.code]
		switch {
		case !ok:
			t.Errorf("%s = %d: the README's exit-code table has no row %d", c.name, c.code, c.code)
		case !strings.Contains(meaning, c.phrase):
			t.Errorf("%s = %d: the README's row %d says %q, not %q", c.name, c.code, c.code, meaning, c.phrase)
		}
	}
	for code, meaning := range rows {
		if !used[code] {
			t.Errorf("the README documents exit code %d (%q), which no constant has", code, meaning)
		}
	}
	for _, name := range exitConstants(t) {
		if !listed[name] {
			t.Errorf("constant %s is not in this test's list: add it, and its row to the README's table", name)
		}
	}
}

// readmeSection is the README's text after the first from, up to the
// next to (or its end); the test fails when there is no from.
func readmeSection(t *testing.T, from, to string) string {
	t.Helper()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), from)
	if !ok {
		t.Fatalf("README.md has no %q", strings.TrimSpace(from))
	}
	section, _, _ = strings.Cut(section, to)
	return section
}

// readmeExitCodes reads the rows of the table under "## Exit codes".
func readmeExitCodes(t *testing.T) map[int]string {
	t.Helper()
	section := readmeSection(t, "\n## Exit codes\n", "\n## ")
	row := regexp.MustCompile(`^\|\s*(\d+)\s*\|(.*)\|\s*$`)
	rows := map[int]string{}
	for _, line := range strings.Split(section, "\n") {
		m := row.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		code, _ := strconv.Atoi(m[1])
		if _, dup := rows[code]; dup {
			t.Errorf("the README's exit-code table has two rows for %d", code)
		}
		rows[code] = strings.TrimSpace(m[2])
	}
	if len(rows) < 10 {
		t.Fatalf("read %d rows from the README's exit-code table: has its layout changed?", len(rows))
	}
	return rows
}

// exitConstants lists the package's constants named exit*.
func exitConstants(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range file.Decls {
			if g, ok := decl.(*ast.GenDecl); ok && g.Tok == token.CONST {
				for _, spec := range g.Specs {
					for _, n := range spec.(*ast.ValueSpec).Names {
						if strings.HasPrefix(n.Name, "exit") {
							names = append(names, n.Name)
						}
					}
				}
			}
		}
	}
	return names
}
