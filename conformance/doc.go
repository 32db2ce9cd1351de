// Package conformance checks an immunization registry's reply (RSP^K11 or
// ACK) against the query that produced it and against the CDC
// Implementation Guide for Immunization Messaging (HL7 2.5.1, Release 1.5,
// and its 2018 addendum): MSA-2 echoes the query's MSH-10, QAK-1 echoes
// QPD-2, the response profile in MSH-21 agrees with QAK-2 and with what
// the reply holds, the required PID fields are present, every forecast
// group is complete, and ERR segments are well formed.
//
// Each Finding passes, warns or fails, names the rule it comes from, and
// says what it saw in words that never quote patient values (names, birth
// dates, identifiers), so findings can go into a report sent outside the
// school. Without the query, the echo checks say what they could not
// check.
//
// It is the one place these rules live: `ctwiz-nurse decode --check` and
// the onboarding run (package onboard) both use it.
package conformance
