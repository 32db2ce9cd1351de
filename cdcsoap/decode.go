package cdcsoap

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// ErrNotSOAP is wrapped by every decode error about input that is not a
// SOAP 1.1 or 1.2 envelope of the expected shape (malformed XML, an HTML
// page, a body without the expected element).
var ErrNotSOAP = errors.New("not a SOAP envelope")

// ErrUnsupportedOperation is wrapped when a request's body element is not
// an operation of the CDC 2011 WSDL; a server answers it with an
// UnsupportedOperationFault.
var ErrUnsupportedOperation = errors.New("unsupported operation")

// DecodeRequest reads a request envelope (SOAP 1.1 or 1.2).
func DecodeRequest(r io.Reader) (*Request, Version, error) {
	d, v, payload, err := openBody(r)
	if err != nil {
		return nil, v, err
	}
	op := Operation(payload.Name.Local)
	if (op != OpSubmitSingleMessage && op != OpConnectivityTest) ||
		(payload.Name.Space != Namespace && payload.Name.Space != "") {
		return nil, v, fmt.Errorf("%w: {%s}%s", ErrUnsupportedOperation, payload.Name.Space, payload.Name.Local)
	}
	req := &Request{Operation: op}
	err = children(d, func(el xml.StartElement) error {
		var dst *string
		switch el.Name.Local {
		case "username":
			dst = &req.Username
		case "password":
			dst = &req.Password
		case "facilityID":
			dst = &req.FacilityID
		case "hl7Message":
			dst = &req.HL7Message
		case "echoBack":
			dst = &req.EchoBack
		default:
			return d.Skip()
		}
		s, _, err := text(d, el)
		*dst = s
		return err
	})
	if err != nil {
		return nil, v, err
	}
	return req, v, nil
}

// DecodeResponse reads a response envelope (SOAP 1.1 or 1.2). A fault is
// returned as a *Fault error; input that is not a response envelope as an
// error wrapping ErrNotSOAP.
func DecodeResponse(r io.Reader) (*Response, Version, error) {
	d, v, payload, err := openBody(r)
	if err != nil {
		return nil, v, err
	}
	if payload.Name.Local == "Fault" && payload.Name.Space == v.namespace() {
		f, err := decodeFault(d)
		if err != nil {
			return nil, v, err
		}
		return nil, v, f
	}
	op, ok := strings.CutSuffix(payload.Name.Local, "Response")
	if !ok {
		return nil, v, fmt.Errorf("%w: the body holds <%s>, not a response", ErrNotSOAP, payload.Name.Local)
	}
	resp := &Response{Operation: Operation(op), Nil: true}
	err = children(d, func(el xml.StartElement) error {
		if el.Name.Local != "return" {
			return d.Skip()
		}
		s, isNil, err := text(d, el)
		resp.Return, resp.Nil = s, isNil
		return err
	})
	if err != nil {
		return nil, v, err
	}
	return resp, v, nil
}

// openBody reads up to the first element inside soap:Body.
func openBody(r io.Reader) (*decoder, Version, xml.StartElement, error) {
	d := &decoder{Decoder: xml.NewDecoder(controlFilter{r})}
	root, err := nextElement(d)
	if err != nil {
		return nil, SOAP12, root, err
	}
	var v Version
	switch {
	case root.Name.Local == "Envelope" && root.Name.Space == SOAP12Namespace:
		v = SOAP12
	case root.Name.Local == "Envelope" && root.Name.Space == SOAP11Namespace:
		v = SOAP11
	default:
		return nil, SOAP12, root, fmt.Errorf("%w: the document is <%s>", ErrNotSOAP, root.Name.Local)
	}
	for {
		el, err := nextElement(d)
		if err != nil {
			return nil, v, el, err
		}
		if el.Name.Space != v.namespace() {
			return nil, v, el, fmt.Errorf("%w: unexpected <%s> in the envelope", ErrNotSOAP, el.Name.Local)
		}
		switch el.Name.Local {
		case "Header":
			if err := d.Skip(); err != nil {
				return nil, v, el, fmt.Errorf("%w: %v", ErrNotSOAP, err)
			}
		case "Body":
			payload, err := nextElement(d)
			return d, v, payload, err
		case "Fault":
			// Seen from a registry: the fault straight in the envelope.
			return d, v, el, nil
		default:
			return nil, v, el, fmt.Errorf("%w: unexpected <%s> in the envelope", ErrNotSOAP, el.Name.Local)
		}
	}
}

// nextElement returns the next start element, failing on an end element
// (an empty parent) or the end of the input.
func nextElement(d *decoder) (xml.StartElement, error) {
	for {
		tok, err := d.Token()
		if err != nil {
			if err == io.EOF {
				return xml.StartElement{}, fmt.Errorf("%w: the document ends early", ErrNotSOAP)
			}
			return xml.StartElement{}, fmt.Errorf("%w: %v", ErrNotSOAP, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return t, nil
		case xml.EndElement:
			return xml.StartElement{}, fmt.Errorf("%w: <%s> is empty", ErrNotSOAP, t.Name.Local)
		}
	}
}

// children calls fn for each child element of the element just opened,
// and consumes its end. fn must consume the child (text or d.Skip).
func children(d *decoder, fn func(xml.StartElement) error) error {
	for {
		tok, err := d.Token()
		if err != nil {
			return fmt.Errorf("%w: %v", ErrNotSOAP, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := fn(t); err != nil {
				if errors.Is(err, ErrNotSOAP) {
					return err
				}
				return fmt.Errorf("%w: %v", ErrNotSOAP, err)
			}
		case xml.EndElement:
			return nil
		}
	}
}

// text reads the character data of the element just opened (escaped text
// and CDATA alike) up to its end; nested elements are skipped. isNil
// reports xsi:nil="true".
func text(d *decoder, el xml.StartElement) (s string, isNil bool, err error) {
	for _, a := range el.Attr {
		if a.Name.Space == xsiNamespace && a.Name.Local == "nil" && (a.Value == "true" || a.Value == "1") {
			isNil = true
		}
	}
	var b []byte
	for {
		tok, err := d.Token()
		if err != nil {
			return "", isNil, fmt.Errorf("%w: %v", ErrNotSOAP, err)
		}
		switch t := tok.(type) {
		case xml.CharData:
			b = append(b, t...)
		case xml.StartElement:
			if err := d.Skip(); err != nil {
				return "", isNil, fmt.Errorf("%w: %v", ErrNotSOAP, err)
			}
		case xml.EndElement:
			return string(b), isNil, nil
		}
	}
}

// decodeFault reads a SOAP 1.2 (Code/Value, Reason/Text, Detail) or 1.1
// (faultcode, faultstring, detail) fault whose start was just read.
func decodeFault(d *decoder) (*Fault, error) {
	f := &Fault{Kind: UnknownFault}
	err := children(d, func(el xml.StartElement) error {
		switch el.Name.Local {
		case "Code": // 1.2: <Value> and optional <Subcode>
			return children(d, func(c xml.StartElement) error {
				if c.Name.Local != "Value" {
					return d.Skip()
				}
				s, _, err := text(d, c)
				f.Role = localPart(s)
				return err
			})
		case "faultcode":
			s, _, err := text(d, el)
			f.Role = localPart(s)
			return err
		case "Reason": // 1.2: one <Text> per language; keep the first
			return children(d, func(c xml.StartElement) error {
				if c.Name.Local != "Text" || f.Text != "" {
					return d.Skip()
				}
				s, _, err := text(d, c)
				f.Text = strings.TrimSpace(s)
				return err
			})
		case "faultstring":
			s, _, err := text(d, el)
			f.Text = strings.TrimSpace(s)
			return err
		case "Detail", "detail":
			return children(d, func(c xml.StartElement) error {
				kind, ok := faultKind(c.Name.Local)
				if !ok {
					return d.Skip()
				}
				f.Kind = kind
				return children(d, func(e xml.StartElement) error {
					s, _, err := text(d, e)
					s = strings.TrimSpace(s)
					switch e.Name.Local {
					case "Code":
						f.Code = s
					case "Reason":
						f.Reason = s
					case "Detail":
						f.Detail = s
					}
					return err
				})
			})
		}
		return d.Skip()
	})
	return f, err
}

// localPart drops a QName's prefix: "soap:Sender" -> "Sender".
func localPart(qname string) string {
	qname = strings.TrimSpace(qname)
	if i := strings.LastIndexByte(qname, ':'); i >= 0 {
		return qname[i+1:]
	}
	return qname
}

// controlFilter turns the raw C0 control characters XML 1.0 cannot carry
// (all but tab, LF and CR) into spaces. Registries send them inside the
// HL7 (MLLP framing bytes, stray characters in a value); refusing the
// whole reply for one stray byte would leave the nurse with nothing, and
// the HL7 parser ignores the spaces left at a message's ends.
type controlFilter struct{ r io.Reader }

func (f controlFilter) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	for i, c := range p[:n] {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			p[i] = ' '
		}
	}
	return n, err
}

// MaxDepth is how deeply elements may nest in an envelope: a CDC envelope
// needs 6 levels. encoding/xml keeps every open element, so without a
// limit a 4 MB body of "<a><a><a>..." costs some 185 MB to read.
const MaxDepth = 32

// decoder is an xml.Decoder that refuses elements nested deeper than
// MaxDepth, in Token and in Skip alike.
type decoder struct {
	*xml.Decoder
	depth int
}

func (d *decoder) Token() (xml.Token, error) {
	tok, err := d.Decoder.Token()
	switch tok.(type) {
	case xml.StartElement:
		if d.depth++; d.depth > MaxDepth {
			return nil, fmt.Errorf("elements are nested more than %d deep", MaxDepth)
		}
	case xml.EndElement:
		d.depth--
	}
	return tok, err
}

// Skip is xml.Decoder.Skip through Token, so the limit holds.
func (d *decoder) Skip() error {
	for depth := 0; ; {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			if depth == 0 {
				return nil
			}
			depth--
		}
	}
}
