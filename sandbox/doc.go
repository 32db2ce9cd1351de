// Package sandbox is a small immunization registry that stands in for
// CT WiZ: synthetic data only, for first-time users, trainers, interface
// analysts and tests. It is an http.Handler that speaks the CDC IIS 2011
// WSDL (package cdcsoap) at Path: submitSingleMessage and
// connectivityTest over SOAP 1.2 (1.1 accepted), GET ?wsdl for the
// contract, and the CDC faults (SecurityFault for wrong credentials,
// MessageTooLargeFault for more than one MSH, UnsupportedOperationFault,
// UnknownFault).
//
// VXU^V04 submissions are stored in memory (patient, NK1, every RXA with
// its action code: add, update, delete) and answered with an ACK; QBP^Q11
// queries (Z34, Z44) are answered with Z31 candidates, a Z32 history, a
// Z42 history with per-dose evaluation and forecast (WebIZ layout, from
// package sandbox/forecast), or Z33 (not found, too many, errors). Bad
// HL7 is answered with ERR segments naming the segment and field.
//
// Every reply names the sandbox in MSH-3/MSH-4 (CTWIZ-SANDBOX, SANDBOX)
// and its registry IDs have the authority SANDBOX, so its data is never
// mistaken for a real record. The built-in students (Students) are stored
// at start-up as VXU messages through the same path as any submission,
// with their records as they stood on the sandbox's day (Options.Now).
//
// Synthesize generates a school of any size for roster runs: students
// with varied records and the outcome each must get (Truth), chosen
// before the doses that produce it; Options.Synthetic stores them.
//
// Misbehave modes make it fail the ways real registries do, for testing
// clients.
package sandbox
