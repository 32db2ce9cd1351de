package query

import (
	"bytes"
	"cmp"
	"encoding/xml"
	"errors"
	"html"
	"reflect"
	"slices"
	"strings"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
)

// redactedMark stands for the password wherever it would be shown.
const redactedMark = "[redacted]"

// scrubber removes the password from text a registry wrote. A registry may
// echo what it was sent anywhere: in a fault, an element name, ERR-8,
// MSA-3, a segment name, or hex-escaped inside the HL7. Everything the
// Client hands out that derives from a reply (errors, the decoded
// Response, the echo of a ping, the trace) passes through one scrubber,
// at the Client's edge (reveal, tracef), so no path around it exists.
type scrubber struct {
	r      *replacer // nil without a password
	folded *replacer // the password upper- and lower-cased
}

// newScrubber knows the forms in which the password can come back: as
// sent; XML-escaped (as cdcsoap writes it, and as other XML writers do);
// HL7-escaped; and read as XML or HL7 escapes itself (what decoding does
// to a password echoed verbatim).
func newScrubber(pw string) scrubber {
	if pw == "" {
		return scrubber{}
	}
	var xmlText bytes.Buffer
	_ = xml.EscapeText(&xmlText, []byte(pw))
	forms := []string{
		pw,
		strings.TrimSpace(pw), // decoders trim values
		xmlEscaper.Replace(pw),
		xmlText.String(),
		xmlNamedEscaper.Replace(pw),
		hl7.Escape(pw),
		hl7.Unescape(pw),
		html.UnescapeString(pw),
	}
	return scrubber{
		r:      newReplacer(forms),
		folded: newReplacer([]string{strings.ToUpper(pw), strings.ToLower(pw), strings.ToUpper(strings.TrimSpace(pw)), strings.ToLower(strings.TrimSpace(pw))}),
	}
}

// replacer replaces each of a password's forms by redactedMark.
type replacer struct {
	forms []string
	r     *strings.Replacer
}

func newReplacer(forms []string) *replacer {
	// Longest first: at each position the Replacer takes the first form
	// that matches, and a shorter form may be a prefix of a longer one.
	slices.SortFunc(forms, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	forms = slices.DeleteFunc(slices.Compact(forms), func(f string) bool { return f == "" })
	var pairs []string
	for _, f := range forms {
		pairs = append(pairs, f, redactedMark)
	}
	return &replacer{forms: forms, r: strings.NewReplacer(pairs...)}
}

// Replace is v with every form replaced. Most values hold none, and are
// returned as they are without the copy strings.Replacer always makes.
func (r *replacer) Replace(v string) string {
	for _, f := range r.forms {
		if strings.Contains(v, f) {
			return r.r.Replace(v)
		}
	}
	return v
}

// xmlEscaper escapes as cdcsoap writes the password into the envelope;
// xmlNamedEscaper as writers that use &apos; do.
var (
	xmlEscaper      = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "\r", "&#xD;")
	xmlNamedEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;")
)

// text is s without the password.
func (s scrubber) text(v string) string {
	if s.r == nil {
		return v
	}
	return s.r.Replace(v)
}

// message is an HL7 message from the wire with every value (split at
// the separators its MSH declares) that holds the password, as written or
// once its escapes are read (\X..\ included), replaced by redactedMark.
// The rest of the message stays as it came, for checks that read it.
func (s scrubber) message(msg []byte) []byte {
	if s.r == nil {
		return msg
	}
	d, err := hl7.ReadDelimiters(msg)
	if err != nil {
		return []byte(s.text(string(msg)))
	}
	isSep := func(c byte) bool {
		return c == '\r' || c == '\n' || c == d.Field || (c != 0 && (c == d.Component || c == d.Repetition || c == d.SubComponent))
	}
	out := make([]byte, 0, len(msg))
	start := 0
	for i := 0; i <= len(msg); i++ {
		if i < len(msg) && !isSep(msg[i]) {
			continue
		}
		v := string(msg[start:i])
		if u := d.UnescapeValue(v); s.text(v) != v || s.text(u) != u {
			out = append(out, redactedMark...)
		} else {
			out = append(out, v...)
		}
		if i < len(msg) {
			out = append(out, msg[i])
		}
		start = i + 1
	}
	return out
}

// err is err, or when its text holds the password, a plain error with
// the password replaced (the cause's type is lost: nothing may reach it).
func (s scrubber) err(err error) error {
	if err == nil {
		return nil
	}
	if t := s.text(err.Error()); t != err.Error() {
		return errors.New(t)
	}
	return err
}

// strings scrubs, in place, every string reachable from v (a pointer to a
// struct): fields, slices and nested structs. It walks the value rather
// than naming fields, so a field added to hl7.Response later is covered.
func (s scrubber) strings(v any) {
	if s.r == nil {
		return
	}
	s.walk(reflect.ValueOf(v))
}

func (s scrubber) walk(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			s.walk(v.Elem())
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				s.walk(v.Field(i))
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			s.walk(v.Index(i))
		}
	case reflect.String:
		if v.CanSet() {
			if t := s.text(v.String()); t != v.String() {
				v.SetString(t)
			}
		}
	}
}

// reveal is the way out of the Client for a reply's result: the password
// is scrubbed from the Response and from the error (its message, fault
// and cause).
func (c *Client) reveal(resp *hl7.Response, err error) (*hl7.Response, error) {
	if resp != nil {
		c.scrub.strings(resp)
		c.scrub.caseFolded(resp)
	}
	return resp, c.scrubError(err)
}

// caseFolded scrubs the fields the decoder upper- or lower-cases (QAK-2,
// PID-8, RXA-20, the forecast status), where an echoed password comes
// back with its case changed. Only these: elsewhere, the case-folded
// password may be ordinary text, such as "SANDBOX" for the sandbox's
// "sandbox", and an assigning authority must go back to the registry
// unchanged.
func (s scrubber) caseFolded(r *hl7.Response) {
	if s.folded == nil {
		return
	}
	r.Status = s.folded.Replace(r.Status)
	for i := range r.Patients {
		r.Patients[i].Sex = s.folded.Replace(r.Patients[i].Sex)
	}
	for i := range r.Immunizations {
		r.Immunizations[i].Status = s.folded.Replace(r.Immunizations[i].Status)
	}
	for i := range r.Forecast {
		r.Forecast[i].Status = s.folded.Replace(r.Forecast[i].Status)
	}
}

func (c *Client) scrubError(err error) error {
	if err == nil {
		return nil
	}
	e, ok := err.(*Error)
	if !ok {
		return c.scrub.err(err)
	}
	out := *e
	out.msg = c.scrub.text(e.msg)
	out.Err = c.scrub.err(e.Err)
	if e.Fault != nil {
		f := *e.Fault
		c.scrub.strings(&f)
		out.Fault = &f
		if e.Err == error(e.Fault) {
			out.Err = &f
		}
	}
	return &out
}
