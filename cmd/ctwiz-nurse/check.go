package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/ctwiz-nurse/ctwiz-nurse/conformance"
	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
)

// runCheck is decode --check: the conformance findings of one reply,
// checked against the query in queryFile when given.
func runCheck(e *env, data []byte, name, queryFile string, asJSON bool) int {
	reply, err := hl7.Parse(data)
	if err != nil {
		fmt.Fprintf(e.stderr, "ctwiz-nurse decode: %s: %v\n", name, err)
		return exitFailure
	}
	var q *conformance.Query
	if queryFile != "" {
		f, err := os.Open(queryFile)
		if err != nil {
			fmt.Fprintf(e.stderr, "ctwiz-nurse decode: --query: %v\n", err)
			return exitFailure
		}
		qdata, err := readHL7(f, queryFile)
		f.Close()
		if err != nil {
			fmt.Fprintf(e.stderr, "ctwiz-nurse decode: --query: %v\n", err)
			return exitFailure
		}
		m, err := hl7.Parse(qdata)
		if err == nil && m.Get("MSH-9.1") != "QBP" {
			err = fmt.Errorf("it is %s, not a QBP query", m.Get("MSH-9.1"))
		}
		if err != nil {
			fmt.Fprintf(e.stderr, "ctwiz-nurse decode: --query %s: %v\n", queryFile, err)
			return exitFailure
		}
		qq := conformance.QueryOf(m)
		q = &qq
	}
	findings := conformance.Check(reply, q)
	fails, warns := conformance.Count(findings)
	if asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(struct {
			Findings []conformance.Finding `json:"findings"`
			Failed   int                   `json:"failed"`
			Warnings int                   `json:"warnings"`
		}{findings, fails, warns}); err != nil {
			fmt.Fprintf(e.stderr, "ctwiz-nurse: writing JSON: %v\n", err)
			return exitFailure
		}
	} else {
		writeFindings(e.stdout, name, findings, q != nil)
	}
	if fails > 0 {
		return exitFailure
	}
	return exitOK
}

// writeFindings prints one finding a line, its rule beneath, then a
// summary.
func writeFindings(w io.Writer, name string, fs []conformance.Finding, withQuery bool) {
	fmt.Fprintf(w, "Conformance of %s with the CDC Implementation Guide (HL7 2.5.1, Release 1.5)\n\n", name)
	width := 0
	for _, f := range fs {
		width = max(width, len(f.Check))
	}
	skipped := 0
	for _, f := range fs {
		fmt.Fprintf(w, "%-4s  %-*s  %s\n", strings.ToUpper(string(f.Level)), width, f.Check, f.Detail)
		fmt.Fprintf(w, "      %-*s  rule: %s\n", width, "", f.Rule)
		if f.Level == conformance.Skip {
			skipped++
		}
	}
	fails, warns := conformance.Count(fs)
	fmt.Fprintf(w, "\n%d checks: %d passed, %d failed, %d warnings, %d not checked", len(fs), len(fs)-fails-warns-skipped, fails, warns, skipped)
	if skipped > 0 && !withQuery {
		fmt.Fprint(w, " (give --query QBP_FILE, the query the reply answers, to check the echoes)")
	}
	fmt.Fprintln(w)
}
