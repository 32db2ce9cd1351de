package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"

	"github.com/ctwiz-nurse/ctwiz-nurse/printout"
	"github.com/ctwiz-nurse/ctwiz-nurse/sandbox"
)

// TestQueryPDF runs 'query --sandbox --pdf' in-process.
func TestQueryPDF(t *testing.T) {
	keyring.MockInit() // an empty keychain: the sandbox's credentials are used
	dir := t.TempDir()
	tests := []struct {
		name       string
		args       []string
		pdf        string
		code       int
		wantStderr string
		wantText   []string // in the PDF, when pdftotext is there
	}{
		{
			name: "record", args: []string{"--last", "Garcia Lopez", "--first", "Jose", "--dob", "2014-07-04"},
			pdf: filepath.Join(dir, "garcia.pdf"), code: exitOK, wantStderr: "Wrote the printable record to",
			wantText: []string{"GARCÍA-LÓPEZ, José", "07/04/2014", printout.SandboxLabel, "by " + sandbox.DefaultUsername + ", facility " + sandbox.DefaultFacility},
		},
		{
			name: "school entry", args: []string{"--last", "Okafor", "--first", "Chidi", "--dob", "2011-10-02", "--grade", "9", "--as-of", "2026-12-01"},
			pdf: filepath.Join(dir, "okafor.pdf"), code: exitOK, wantStderr: "Wrote the printable record to",
			wantText: []string{"School entry - grade 9, 2026-27: NOT COMPLIANT", "not an official determination", "MenACWY", "MISSING"},
		},
		{
			name: "not found", args: []string{"--last", "Doe", "--first", "Jane", "--dob", "2016-01-01"},
			pdf: filepath.Join(dir, "doe.pdf"), code: exitNotFound, wantStderr: "no PDF written",
		},
		{
			name: "missing folder", args: []string{"--last", "Sandoval", "--first", "Maya", "--dob", "2008-04-12"},
			pdf: filepath.Join(dir, "missing", "x.pdf"), code: exitFailure, wantStderr: "the folder " + filepath.Join(dir, "missing") + " does not exist; type a folder that exists, or create it first",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"query", "--sandbox", "--pdf", tc.pdf}, tc.args...)
			code, _, stderr := runCmd(t, "", nil, args...)
			if code != tc.code || !strings.Contains(stderr, tc.wantStderr) {
				t.Fatalf("exit %d, want %d; stderr lacks %q?\n%s", code, tc.code, tc.wantStderr, stderr)
			}
			data, err := os.ReadFile(tc.pdf)
			if tc.wantText == nil {
				if err == nil {
					t.Errorf("a PDF was written for no record")
				}
				return
			}
			if err != nil || !bytes.HasPrefix(data, []byte("%PDF-")) {
				t.Fatalf("no PDF at %s: %v", tc.pdf, err)
			}
			if fi, _ := os.Stat(tc.pdf); fi.Mode().Perm() != 0o600 {
				t.Errorf("mode %v, want 0600", fi.Mode().Perm())
			}
			if _, err := exec.LookPath("pdftotext"); err != nil {
				t.Skip("pdftotext is not installed: the PDF's text is not checked")
			}
			text, err := exec.Command("pdftotext", "-enc", "UTF-8", tc.pdf, "-").Output()
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.wantText {
				if !strings.Contains(string(text), w) {
					t.Errorf("the PDF lacks %q:\n%s", w, text)
				}
			}
		})
	}
}
