// Package hl7 is the HL7 v2.5.1 wire format as ctwiz-nurse speaks it to an
// immunization information system: parsing and escaping, building the
// QBP^Q11 query (CDC profiles Z34 and Z44), and decoding the RSP^K11 or ACK
// reply into the record types every other package uses.
//
// It knows nothing of SOAP, HTTP, screens or keychains. The record types
// (Response, Patient, Immunization, Evaluation, Forecast, RegistryError) are
// also the public JSON shape printed by `ctwiz-nurse decode --json` and
// `ctwiz-nurse query --json`.
//
// Parsing is lenient, as registries differ: separators are read from MSH,
// segments may end in CR, LF or CRLF, and an unknown escape is kept as text.
// Decoding reports what it skipped as warnings instead of failing.
package hl7
