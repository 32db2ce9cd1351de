// Package query is ctwiz-nurse's client for CT WiZ: HL7 queries (QBP^Q11,
// CDC profiles Z44 and Z34) carried by the CDC IIS 2011 SOAP web service,
// and the two-step lookup a nurse needs when a search finds several
// candidates.
//
// A Client is built from one profile's settings and the nurse's
// credentials. Find sends the search and returns the decoded reply
// (record, candidates, not found, too many, rejected, error); after a
// candidate list, Fetch asks again by the chosen candidate's registry ID
// and must end in that one patient's record. The client never chooses a
// candidate itself. With SearchProfile Z34 a search that finds one patient
// is followed at once by a Z44 fetch of that patient.
//
// Every failure is an *Error whose Kind says what went wrong (credentials,
// SOAP fault, HTTP status, TLS, DNS, refused, timeout, oversized or
// unreadable reply, a reply to another query) and whose message says what
// the nurse can do. Connection refused or reset, timeouts and HTTP
// 408/502/503/504 are retried at most twice with exponential backoff and
// jitter, within Config.Timeout, which bounds the whole call (default 60
// s; the connect timeout, 15 s, bounds each connection); faults and
// authentication errors are never retried. A reply whose MSA-2
// names another query is discarded, unless it is a rejection without any
// patient and with MSA-2 left empty, which is shown with a warning.
//
// Transport rules: HTTPS with certificate verification and TLS 1.2 or
// newer (an optional CA file replaces the system roots, for a test
// environment); plain http only to a loopback address (the sandbox);
// redirects are not followed; replies over MaxReplySize (16 MiB) are
// refused as soon as that is known, without reading them whole.
//
// Nothing is logged. The optional trace (Config.Trace, --debug) records
// timings, HTTP status and the HL7 with patient values replaced: every
// value of PID, PD1, NK1, RXA and of any segment it does not know, the QPD
// demographics and the OBX dates. The SOAP envelope, which carries the
// password, is never written anywhere.
package query
