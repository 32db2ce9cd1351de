package main

import (
	"fmt"
	"io"
	"slices"
	"text/tabwriter"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
)

// refuseMismatch answers a record whose patient is not the student asked
// for: both side by side, never the record, and exit 9. With --json the
// reply keeps every key, with outcome "mismatch", the registry's patient,
// no immunizations or forecast, and the mismatch object: a script that
// reads only "outcome" or "immunizations" cannot take another child's
// doses for the student's.
func refuseMismatch(e *env, resp *hl7.Response, asJSON bool) int {
	if asJSON {
		withheld := *resp
		withheld.Outcome = hl7.OutcomeMismatch
		withheld.Immunizations, withheld.Forecast = []hl7.Immunization{}, []hl7.Forecast{}
		if code := writeJSON(e, &withheld); code != exitOK {
			return code
		}
	} else {
		fmt.Fprintln(e.stdout, "CT WiZ answered with a record that may be another student's; it is not shown.")
		writeMismatch(e.stdout, resp.Mismatch)
	}
	fmt.Fprintln(e.stderr, "\nThe record's details differ from what was asked where marked. Check them against your records. "+
		"If the registry's student is the one you mean, run the same command with --accept-mismatch to see the record; "+
		"otherwise correct the search (or the registry ID).")
	return exitMismatch
}

// writeMismatch prints what was asked and what the registry's record
// says, side by side, the fields that differ marked "differs".
func writeMismatch(w io.Writer, m *hl7.Mismatch) {
	differs := func(field string) string {
		if slices.ContainsFunc(m.Fields, func(d hl7.Disagreement) bool { return d.Field == field }) {
			return "differs"
		}
		return ""
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "\tAsked\tRegistry\t")
	row := func(label, field, asked, reg string) {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", label, orNone(asked), orNone(reg), differs(field))
	}
	row("Last name", "family", m.Asked.Family, m.Registry.Family)
	row("First and middle", "given", m.Asked.Given, m.Registry.Given)
	if m.Asked.Suffix != "" || m.Registry.Suffix != "" {
		row("Suffix", "suffix", m.Asked.Suffix, m.Registry.Suffix)
	}
	row("Birth date", "birthDate", hl7.USDate(m.Asked.BirthDate), hl7.USDate(m.Registry.BirthDate))
	row("Registry ID", "registryId", m.Asked.RegistryID, m.Registry.RegistryID)
	tw.Flush()
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}
