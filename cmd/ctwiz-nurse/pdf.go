package main

import (
	"fmt"
	"time"

	"github.com/ctwiz-nurse/ctwiz-nurse/config"
	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
	"github.com/ctwiz-nurse/ctwiz-nurse/printout"
)

// writePDF saves the record in r as the printable PDF at path (query
// --pdf). The document names the registry account and facility the record
// was fetched with.
func writePDF(e *env, path string, r *hl7.Response, p config.Profile, asOf time.Time) int {
	if r.Outcome != hl7.OutcomeRecord {
		fmt.Fprintf(e.stderr, "ctwiz-nurse query: no PDF written: CT WiZ sent no single student's record (%s)\n", r.Outcome)
		return exitOK // the outcome's own exit code follows
	}
	info := printout.Info{
		PrintedAt: time.Now(),
		QueriedAt: asOf,
		User:      p.Username,
		Facility:  p.FacilityID,
		Sandbox:   p.Environment() == "SANDBOX",
	}
	// The query succeeded, so the credentials resolve; they may hold the
	// account name and facility that the profile leaves out.
	if c, _, err := resolveCredentials(e, p.Name); err == nil {
		if c.Username != "" {
			info.User = c.Username
		}
		if c.FacilityID != "" {
			info.Facility = c.FacilityID
		}
	}
	if err := printout.Save(path, r, info); err != nil {
		fmt.Fprintf(e.stderr, "ctwiz-nurse query: %v\n", err)
		return exitFailure
	}
	fmt.Fprintf(e.stderr, "Wrote the printable record to %s.\n", path)
	return exitOK
}
