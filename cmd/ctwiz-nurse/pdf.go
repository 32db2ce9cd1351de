package main

import (
	"fmt"
	"time"

	"github.com/ctwiz-nurse/ctwiz-nurse/config"
	"github.com/ctwiz-nurse/ctwiz-nurse/credentials"
	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
	"github.com/ctwiz-nurse/ctwiz-nurse/printout"
	"github.com/ctwiz-nurse/ctwiz-nurse/schoolentry"
)

// writePDF saves the record in r as the printable PDF at path (query
// --pdf). The document names the registry account and facility the record
// was fetched with: creds, the query's, else the profile's.
func writePDF(e *env, path string, r *hl7.Response, school *schoolentry.Result, p config.Profile, creds credentials.Credentials, asOf time.Time) int {
	if r.Outcome != hl7.OutcomeRecord {
		fmt.Fprintf(e.stderr, "ctwiz-nurse query: no PDF written: CT WiZ sent no single student's record (%s)\n", r.Outcome)
		return exitOK // the outcome's own exit code follows
	}
	info := printout.Info{
		PrintedAt: time.Now(),
		QueriedAt: asOf,
		User:      firstNonEmpty(creds.Username, p.Username),
		Facility:  firstNonEmpty(creds.FacilityID, p.FacilityID),
		Sandbox:   p.Environment() == "SANDBOX",

		SchoolEntry: school,
	}
	if err := printout.Save(path, r, info); err != nil {
		fmt.Fprintf(e.stderr, "ctwiz-nurse query: %v\n", err)
		return exitFailure
	}
	fmt.Fprintf(e.stderr, "Wrote the printable record to %s.\n", path)
	return exitOK
}
