package cdcsoap

import (
	"bytes"
	"strings"
)

// DecodeRequestBytes is DecodeRequest for a body held whole in memory.
// The envelope ctwiz-nurse and AppendXML write is read by a small exact
// scanner (scanRequest), several times faster than encoding/xml; anything
// else, however slightly different, is read by DecodeRequest, so both
// give the same request, version and errors for any input.
func DecodeRequestBytes(b []byte) (*Request, Version, error) {
	if req, v, ok := scanRequest(b); ok {
		return req, v, nil
	}
	return DecodeRequest(bytes.NewReader(b))
}

// scanRequest reads a submitSingleMessage envelope of exactly this shape:
// an optional <?xml version="1.0" encoding="UTF-8"?>, then
//
//	<P:Envelope xmlns:P="SOAP 1.2 or 1.1 namespace"><P:Body>
//	<submitSingleMessage xmlns="urn:cdc:iisb:2011">
//	<username>..</username><password>..</password><facilityID>..</facilityID><hl7Message>..</hl7Message>
//	</submitSingleMessage></P:Body></P:Envelope>
//
// with only whitespace between the tags and after the end. The text holds
// printable ASCII, tab and LF, and the references &amp; &lt; &gt; &quot;
// &apos; and &#xD;. ok is false for anything else (another prefix form,
// attributes, comments, CDATA, other references, raw CR, control or
// non-ASCII characters, "]]>"...), which encoding/xml then reads or refuses.
func scanRequest(b []byte) (req *Request, v Version, ok bool) {
	b, _ = bytes.CutPrefix(b, []byte(`<?xml version="1.0" encoding="UTF-8"?>`))
	b = skipSpace(b)
	// <P:Envelope xmlns:P="namespace">
	if len(b) == 0 || b[0] != '<' {
		return nil, 0, false
	}
	colon := bytes.IndexByte(b, ':')
	if colon < 0 || !isPrefix(b[1:colon]) {
		return nil, 0, false
	}
	prefix := string(b[1:colon])
	var in bool
	if b, in = cut(b[colon+1:], `Envelope xmlns:`, prefix, `="`); !in {
		return nil, 0, false
	}
	switch {
	case bytes.HasPrefix(b, []byte(SOAP12Namespace+`">`)):
		v, b = SOAP12, b[len(SOAP12Namespace)+2:]
	case bytes.HasPrefix(b, []byte(SOAP11Namespace+`">`)):
		v, b = SOAP11, b[len(SOAP11Namespace)+2:]
	default:
		return nil, 0, false
	}
	req = &Request{Operation: OpSubmitSingleMessage}
	if b, in = cut(skipSpace(b), "<", prefix, ":Body>"); !in {
		return nil, 0, false
	}
	if b, in = cut(skipSpace(b), `<submitSingleMessage xmlns="`+Namespace+`">`); !in {
		return nil, 0, false
	}
	for _, st := range []struct {
		tag string
		dst *string
	}{{"username", &req.Username}, {"password", &req.Password}, {"facilityID", &req.FacilityID}, {"hl7Message", &req.HL7Message}} {
		if b, in = cut(skipSpace(b), "<", st.tag, ">"); !in {
			return nil, 0, false
		}
		end := bytes.IndexByte(b, '<')
		if end < 0 {
			return nil, 0, false
		}
		text, good := unescape(b[:end])
		if !good {
			return nil, 0, false
		}
		*st.dst = text
		if b, in = cut(b[end:], "</", st.tag, ">"); !in {
			return nil, 0, false
		}
	}
	if b, in = cut(skipSpace(b), "</submitSingleMessage>"); !in {
		return nil, 0, false
	}
	if b, in = cut(skipSpace(b), "</", prefix, ":Body>"); !in {
		return nil, 0, false
	}
	if b, in = cut(skipSpace(b), "</", prefix, ":Envelope>"); !in {
		return nil, 0, false
	}
	if len(skipSpace(b)) != 0 {
		return nil, 0, false
	}
	return req, v, true
}

// cut removes the literal prefix from b, given in parts (so a tag made of
// a prefix and a name is not built).
func cut(b []byte, parts ...string) ([]byte, bool) {
	rest := b
	for _, p := range parts {
		if len(rest) < len(p) || string(rest[:len(p)]) != p {
			return b, false
		}
		rest = rest[len(p):]
	}
	return rest, true
}

// skipSpace drops leading XML whitespace.
func skipSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t' || b[0] == '\n' || b[0] == '\r') {
		b = b[1:]
	}
	return b
}

// isPrefix: a namespace prefix of ASCII letters, digits, '-' and '_',
// starting with a letter and not reserved (xml...).
func isPrefix(p []byte) bool {
	if len(p) == 0 || len(p) > 32 || !isLetter(p[0]) || (len(p) >= 3 && strings.EqualFold(string(p[:3]), "xml")) {
		return false
	}
	for _, c := range p {
		if !isLetter(c) && (c < '0' || c > '9') && c != '-' && c != '_' {
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// scanText marks the bytes that stand for themselves in scanned text:
// printable ASCII but '&', '<' and '>' (">" would need a check for "]]>",
// which encoding/xml refuses), and tab and LF. Raw CR is left out: XML
// reads it back as LF.
var scanText = func() (t [256]bool) {
	for c := 0x20; c < 0x7f; c++ {
		t[c] = c != '&' && c != '<' && c != '>'
	}
	t['\t'], t['\n'] = true, true
	return t
}()

// references are the character references scanned text may hold.
var references = []struct{ ref, char string }{
	{"&amp;", "&"}, {"&#xD;", "\r"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", `"`}, {"&apos;", "'"},
}

// unescape decodes scanned text; ok is false for any byte or reference
// scanRequest leaves to encoding/xml.
func unescape(text []byte) (s string, ok bool) {
	j := plainText(text)
	if j == len(text) {
		return string(text), true
	}
	var out strings.Builder
	out.Grow(len(text))
	for {
		out.Write(text[:j])
		if text = text[j:]; len(text) == 0 {
			return out.String(), true
		}
		known := false
		for _, r := range references {
			if rest, in := cut(text, r.ref); in {
				out.WriteString(r.char)
				text, known = rest, true
				break
			}
		}
		if !known {
			return "", false
		}
		j = plainText(text)
	}
}

// plainText is the length of the bytes at the start of text that stand
// for themselves.
func plainText(text []byte) int {
	for i, c := range text {
		if !scanText[c] {
			return i
		}
	}
	return len(text)
}
