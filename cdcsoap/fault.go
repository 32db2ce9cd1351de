package cdcsoap

import (
	"net/http"
	"strconv"
)

// FaultKind names the CDC fault in a SOAP fault's Detail: its element name.
type FaultKind string

const (
	UnknownFault              FaultKind = "fault" // the WSDL's UnknownFault, also any fault without a CDC detail
	SecurityFault             FaultKind = "SecurityFault"
	MessageTooLargeFault      FaultKind = "MessageTooLargeFault"
	UnsupportedOperationFault FaultKind = "UnsupportedOperationFault"
)

// Name is the fault's name in the WSDL (UnknownFault for the <fault> element).
func (k FaultKind) Name() string {
	if k == UnknownFault {
		return "UnknownFault"
	}
	return string(k)
}

// fixedReason is the schema's fixed Reason of each CDC fault detail.
func (k FaultKind) fixedReason() string {
	switch k {
	case SecurityFault:
		return "Security"
	case MessageTooLargeFault:
		return "MessageTooLarge"
	case UnsupportedOperationFault:
		return "UnsupportedOperation"
	}
	return "UnknownFault"
}

// Fault is a SOAP fault carrying one of the four CDC fault details. It is
// an error on the client side (DecodeResponse returns it) and what a server
// writes with AppendXML.
type Fault struct {
	Kind FaultKind
	// SOAP level: Code/Value without prefix ("Sender", "Receiver"; SOAP 1.1
	// "Client", "Server") and Reason/Text (faultstring in 1.1).
	Role string
	Text string
	// CDC detail: Code is an opaque integer kept as sent.
	Code   string
	Reason string
	Detail string
}

// NewFault is a fault of kind k as a CDC server raises it: SOAP code
// Sender, the schema's fixed Reason, and detail as both the SOAP reason text
// and the CDC Detail.
func NewFault(k FaultKind, code int, detail string) *Fault {
	return &Fault{Kind: k, Role: "Sender", Text: detail, Code: strconv.Itoa(code), Reason: k.fixedReason(), Detail: detail}
}

func (f *Fault) Error() string {
	msg := "SOAP fault " + f.Kind.Name()
	if f.Code != "" {
		msg += " " + f.Code
	}
	text := f.Detail
	if text == "" {
		text = f.Text
	}
	if text != "" {
		msg += ": " + text
	}
	return msg
}

// HTTPStatus is the status a server sends with the fault: 400 for a SOAP 1.2
// Sender fault, 500 otherwise (SOAP 1.1 always uses 500).
func (f *Fault) HTTPStatus(v Version) int {
	if v == SOAP12 && f.Role == "Sender" {
		return http.StatusBadRequest
	}
	return http.StatusInternalServerError
}

// AppendXML appends the fault envelope in SOAP version v.
func (f *Fault) AppendXML(dst []byte, v Version) []byte {
	role := f.Role
	if role == "" {
		role = "Receiver"
	}
	dst = appendOpen(dst, v)
	if v == SOAP11 {
		// SOAP 1.1 knows Client/Server where 1.2 says Sender/Receiver.
		switch role {
		case "Sender":
			role = "Client"
		case "Receiver":
			role = "Server"
		}
		dst = append(dst, "<soap:Fault><faultcode>soap:"...)
		dst = appendEscaped(dst, role)
		dst = append(dst, "</faultcode>"...)
		dst = appendElement(dst, "faultstring", f.Text)
		dst = append(dst, "<detail>"...)
		dst = f.appendDetail(dst)
		dst = append(dst, "</detail></soap:Fault>"...)
		return appendClose(dst, v)
	}
	dst = append(dst, "<soap:Fault><soap:Code><soap:Value>soap:"...)
	dst = appendEscaped(dst, role)
	dst = append(dst, `</soap:Value></soap:Code><soap:Reason><soap:Text xml:lang="en">`...)
	dst = appendEscaped(dst, f.Text)
	dst = append(dst, "</soap:Text></soap:Reason><soap:Detail>"...)
	dst = f.appendDetail(dst)
	dst = append(dst, "</soap:Detail></soap:Fault>"...)
	return appendClose(dst, v)
}

func (f *Fault) appendDetail(dst []byte) []byte {
	kind := f.Kind
	if kind == "" {
		kind = UnknownFault
	}
	dst = append(dst, '<')
	dst = append(dst, kind...)
	dst = append(dst, ` xmlns="`+Namespace+`">`...)
	dst = appendElement(dst, "Code", f.Code)
	dst = appendElement(dst, "Reason", f.Reason)
	dst = appendElement(dst, "Detail", f.Detail)
	dst = append(dst, "</"...)
	dst = append(dst, kind...)
	return append(dst, '>')
}

// faultKind maps a detail element's local name to its kind.
func faultKind(local string) (FaultKind, bool) {
	switch FaultKind(local) {
	case UnknownFault, SecurityFault, MessageTooLargeFault, UnsupportedOperationFault:
		return FaultKind(local), true
	}
	return "", false
}
