package cdcsoap

import (
	"fmt"
	"mime"
	"strings"
	"unicode/utf8"
)

// Namespaces and actions of the CDC IIS 2011 contract.
const (
	Namespace       = "urn:cdc:iisb:2011"
	SOAP12Namespace = "http://www.w3.org/2003/05/soap-envelope"
	SOAP11Namespace = "http://schemas.xmlsoap.org/soap/envelope/"
	xsiNamespace    = "http://www.w3.org/2001/XMLSchema-instance"
)

// Version is the SOAP version of an envelope.
type Version int

const (
	SOAP12 Version = iota // the CDC WSDL's binding; what ctwiz-nurse sends
	SOAP11                // accepted on input: some servers answer in 1.1
)

func (v Version) String() string {
	if v == SOAP11 {
		return "SOAP 1.1"
	}
	return "SOAP 1.2"
}

func (v Version) namespace() string {
	if v == SOAP11 {
		return SOAP11Namespace
	}
	return SOAP12Namespace
}

// Operation is one operation of the CDC WSDL.
type Operation string

const (
	OpSubmitSingleMessage Operation = "submitSingleMessage"
	OpConnectivityTest    Operation = "connectivityTest"
)

// Action is the operation's SOAP action, e.g. urn:cdc:iisb:2011:submitSingleMessage.
func (o Operation) Action() string { return Namespace + ":" + string(o) }

// ContentType is the HTTP Content-Type of a v envelope for op. SOAP 1.2
// carries the action as a media type parameter; SOAP 1.1 uses the
// SOAPAction header instead (see SOAPAction).
func ContentType(v Version, op Operation) string {
	if v == SOAP11 {
		return "text/xml; charset=UTF-8"
	}
	return `application/soap+xml; charset=UTF-8; action="` + op.Action() + `"`
}

var (
	submitContentType = ContentType(SOAP12, OpSubmitSingleMessage)
	submitAction      = OpSubmitSingleMessage.Action()
)

// SOAPAction is the value of the SOAP 1.1 SOAPAction header for op.
func SOAPAction(op Operation) string { return `"` + op.Action() + `"` }

// ParseContentType reads a request's Content-Type (and, for SOAP 1.1, its
// SOAPAction header): the SOAP version and the action, "" when none is given.
// ok is false for a media type that is not SOAP.
func ParseContentType(contentType, soapAction string) (v Version, action string, ok bool) {
	if contentType == submitContentType { // what ctwiz-nurse sends, read without parsing
		return SOAP12, submitAction, true
	}
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return SOAP12, "", false
	}
	switch mt {
	case "application/soap+xml":
		return SOAP12, params["action"], true
	case "text/xml":
		return SOAP11, strings.Trim(soapAction, `"`), true
	}
	return SOAP12, "", false
}

// Request is the body of a request envelope: submitSingleMessage (Username,
// Password, FacilityID, HL7Message) or connectivityTest (EchoBack).
type Request struct {
	Operation  Operation
	Username   string
	Password   string
	FacilityID string
	HL7Message string
	EchoBack   string
}

// Format prints r as fmt prints any struct, with the password shown as
// [redacted], so a Request printed in a log or a test failure never
// carries it.
func (r Request) Format(f fmt.State, verb rune) {
	if r.Password != "" {
		r.Password = "[redacted]"
	}
	type plain Request // the same fields, without this method
	s := fmt.Sprintf(fmt.FormatString(f, verb), plain(r))
	fmt.Fprint(f, strings.Replace(s, "cdcsoap.plain{", "cdcsoap.Request{", 1))
}

// Response is the body of a successful response envelope. Return is the
// text of <return>: the HL7 reply for submitSingleMessage, the echo for
// connectivityTest. Nil is true when <return> was absent or xsi:nil.
type Response struct {
	Operation Operation
	Return    string
	Nil       bool
}

// AppendXML appends the request envelope in SOAP version v, elements in
// the order the schema requires.
func (r *Request) AppendXML(dst []byte, v Version) []byte {
	dst = appendOpen(dst, v)
	dst = append(dst, '<')
	dst = append(dst, r.Operation...)
	dst = append(dst, ` xmlns="`+Namespace+`">`...)
	if r.Operation == OpConnectivityTest {
		dst = appendElement(dst, "echoBack", r.EchoBack)
	} else {
		dst = appendElement(dst, "username", r.Username)
		dst = appendElement(dst, "password", r.Password)
		dst = appendElement(dst, "facilityID", r.FacilityID)
		dst = appendElement(dst, "hl7Message", r.HL7Message)
	}
	dst = append(dst, "</"...)
	dst = append(dst, r.Operation...)
	dst = append(dst, '>')
	return appendClose(dst, v)
}

// AppendXML appends the response envelope in SOAP version v.
func (r *Response) AppendXML(dst []byte, v Version) []byte {
	return r.AppendXMLTail(dst, v, nil)
}

// AppendXMLTail is AppendXML with tail, text already escaped by
// AppendText, after r.Return in <return>: a server keeps the replies it
// sends again and again in that form, so they are not escaped again for
// each request.
func (r *Response) AppendXMLTail(dst []byte, v Version, tail []byte) []byte {
	dst = appendOpen(dst, v)
	dst = append(dst, '<')
	dst = append(dst, r.Operation...)
	dst = append(dst, `Response xmlns="`+Namespace+`">`...)
	if r.Nil {
		dst = append(dst, `<return xmlns:xsi="`+xsiNamespace+`" xsi:nil="true"/>`...)
	} else {
		dst = append(dst, "<return>"...)
		dst = append(appendEscaped(dst, r.Return), tail...)
		dst = append(dst, "</return>"...)
	}
	dst = append(dst, "</"...)
	dst = append(dst, r.Operation...)
	dst = append(dst, "Response>"...)
	return appendClose(dst, v)
}

func appendOpen(dst []byte, v Version) []byte {
	dst = append(dst, `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="`...)
	dst = append(dst, v.namespace()...)
	return append(dst, `"><soap:Body>`...)
}

func appendClose(dst []byte, v Version) []byte {
	return append(dst, "</soap:Body></soap:Envelope>"...)
}

func appendElement(dst []byte, name, text string) []byte {
	dst = append(dst, '<')
	dst = append(dst, name...)
	dst = append(dst, '>')
	dst = appendEscaped(dst, text)
	dst = append(dst, "</"...)
	dst = append(dst, name...)
	return append(dst, '>')
}

// AppendText appends s as XML text, escaped as the envelopes' text is
// (see AppendXMLTail).
func AppendText(dst []byte, s string) []byte { return appendEscaped(dst, s) }

// plainXML marks the bytes appendEscaped copies as they are: printable
// ASCII but the markup characters.
var plainXML = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = !strings.ContainsRune(`&<>"`, rune(c))
	}
	return t
}()

// appendEscaped appends s as XML text. CR becomes &#xD; because a raw CR
// would be read back as LF, and HL7 ends segments with CR. Characters XML
// cannot carry at all become U+FFFD, as encoding/xml does.
func appendEscaped(dst []byte, s string) []byte {
	last := 0
	for i := 0; i < len(s); {
		// Most of an HL7 message is plain ASCII: skip it a byte at a time.
		if plainXML[s[i]] {
			i++
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		var esc string
		switch {
		case r == '&':
			esc = "&amp;"
		case r == '<':
			esc = "&lt;"
		case r == '>':
			esc = "&gt;"
		case r == '"':
			esc = "&quot;"
		case r == '\r':
			esc = "&#xD;"
		case r == '\t' || r == '\n':
		case r < 0x20 || (r == utf8.RuneError && w == 1) || r == 0xFFFE || r == 0xFFFF:
			esc = "\uFFFD"
		}
		if esc != "" {
			dst = append(dst, s[last:i]...)
			dst = append(dst, esc...)
			last = i + w
		}
		i += w
	}
	return append(dst, s[last:]...)
}
