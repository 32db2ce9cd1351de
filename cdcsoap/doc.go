// Package cdcsoap is the CDC IIS 2011 web service contract ("the CDC WSDL",
// namespace urn:cdc:iisb:2011) as both sides speak it: the ctwiz-nurse query
// client and the in-process sandbox registry.
//
// It writes SOAP 1.2 envelopes for submitSingleMessage and connectivityTest
// requests, their responses and the four CDC faults (UnknownFault,
// SecurityFault, MessageTooLargeFault, UnsupportedOperationFault), and reads
// them back with encoding/xml; a server reads the request envelope as
// ctwiz-nurse writes it with a small exact scanner (DecodeRequestBytes),
// which leaves any other shape to encoding/xml. On input it accepts SOAP 1.1 as well as 1.2,
// since some registries answer a 1.2 request in 1.1, text that arrives
// escaped or in CDATA, and raw control characters (read as spaces) that
// XML itself forbids. Elements nested more than MaxDepth deep are refused
// as soon as they are read, on both sides. The HL7 payload is carried as XML text: carriage
// returns are written as &#xD; so they survive XML line-end normalisation.
//
// WSDL returns the contract itself with the service address filled in, for
// a server to publish at ?wsdl.
//
// The package knows nothing of HL7 or of HTTP clients; it never logs, since
// a submitSingleMessage envelope carries the password.
package cdcsoap
