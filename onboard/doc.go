// Package onboard runs CT WiZ's three onboarding test phases for a query
// interface and writes the report the CT WiZ onboarding staff read.
//
// Phase 1 checks the way in: name resolution, the TCP connection, TLS
// (protocol version, certificate chain, issuer, days to expiry, host
// name), the CDC connectivityTest, and whether the account is accepted
// (the first scenario's query: a SecurityFault, an unknown facility or a
// good answer). Phase 2 queries each scenario as the app queries and
// checks the reply against what was expected and against the CDC
// implementation guide (package conformance). Phase 3 fetches, for each
// scenario that listed candidates, one candidate by registry ID, which
// must return that one student, and reports the queries' timings.
//
// The report names scenarios by their label only: patient names, birth
// dates and identifiers never appear in it, and the HL7 it may append is
// redacted as the --debug trace is (query.Client.Redact).
package onboard
