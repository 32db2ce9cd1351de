package cdcsoap

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestScanRequest: the envelope AppendXML writes is read by the scanner,
// in both versions; one that differs in any way it does not know is left
// to encoding/xml, which gives the same request or refuses it.
func TestScanRequest(t *testing.T) {
	req := Request{Operation: OpSubmitSingleMessage, Username: "nurse", Password: `p&<>"'`, FacilityID: "F1",
		HL7Message: "MSH|^~\\&|A\rQPD|Z44|1||Doe^Jane||20160101\r"}
	own12, own11 := string(req.AppendXML(nil, SOAP12)), string(req.AppendXML(nil, SOAP11))
	replace := func(old, new string) string { return strings.Replace(own12, old, new, 1) }
	tests := []struct {
		name    string
		body    string
		scanned bool
	}{
		{"own SOAP 1.2", own12, true},
		{"own SOAP 1.1", own11, true},
		{"no declaration, other prefix, whitespace between tags", strings.NewReplacer(`<?xml version="1.0" encoding="UTF-8"?>`, "",
			"soap:", "env:", "xmlns:soap", "xmlns:env", "><", ">\n  <").Replace(own12), true},
		{"empty fields", string((&Request{Operation: OpSubmitSingleMessage}).AppendXML(nil, SOAP12)), true},
		{"connectivityTest", string((&Request{Operation: OpConnectivityTest, EchoBack: "x"}).AppendXML(nil, SOAP12)), false},
		{"raw CR (read back as LF)", replace("&#xD;", "\r"), false},
		{"lower-case &#xd;", replace("&#xD;", "&#xd;"), false},
		{"decimal reference", replace("&amp;", "&#38;"), false},
		{"unknown entity", replace("&amp;", "&nbsp;"), false},
		{"non-ASCII name", replace("Doe^Jane", "Muñoz^José"), false},
		{"control character", replace("Doe", "D\x0boe"), false},
		{"]]> in text", replace("Doe", "]]>"), false},
		{"CDATA", replace("<username>nurse", "<username><![CDATA[nurse]]>"), false},
		{"comment", replace("<password>", "<!-- c --><password>"), false},
		{"header", replace("<soap:Body>", "<soap:Header/><soap:Body>"), false},
		{"fields out of order", strings.Replace(replace("<username>nurse</username>", ""), "</password>", "</password><username>nurse</username>", 1), false},
		{"field missing", replace("<facilityID>F1</facilityID>", ""), false},
		{"extra field", replace("<username>", "<extra>1</extra><username>"), false},
		{"self-closed field", replace("<username>nurse</username>", "<username/>"), false},
		{"nested element", replace("Doe", "<a>Doe</a>"), false},
		{"prefixed operation", strings.NewReplacer(`<submitSingleMessage xmlns="`, `<urn:submitSingleMessage xmlns:urn="`,
			"</submitSingleMessage>", "</urn:submitSingleMessage>").Replace(own12), false},
		{"no namespace on the operation", replace(` xmlns="urn:cdc:iisb:2011"`, ""), false},
		{"another envelope namespace", replace(SOAP12Namespace, "urn:other"), false},
		{"single quotes", strings.NewReplacer(`xmlns:soap="`+SOAP12Namespace+`"`, `xmlns:soap='`+SOAP12Namespace+`'`).Replace(own12), false},
		{"body prefix differs", replace("<soap:Body>", "<s:Body xmlns:s=\""+SOAP12Namespace+"\">"), false},
		{"text after the end", own12 + "x", false},
		{"truncated", own12[:len(own12)-3], false},
		{"xml prefix", strings.NewReplacer("soap:", "xmlx:", "xmlns:soap", "xmlns:xmlx").Replace(own12), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, v, ok := scanRequest([]byte(tt.body))
			if ok != tt.scanned {
				t.Fatalf("scanned = %v, want %v\n%s", ok, tt.scanned, tt.body)
			}
			if ok {
				sameAsXML(t, []byte(tt.body), got, v)
			}
		})
	}
}

// sameAsXML fails unless encoding/xml reads body as the scanner did.
func sameAsXML(t *testing.T, body []byte, got *Request, v Version) {
	t.Helper()
	want, wv, err := DecodeRequest(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("scanned %+v, but encoding/xml refuses it: %v\n%q", *got, err, body)
	}
	if *got != *want || v != wv {
		t.Fatalf("scanned %v %+v\nencoding/xml %v %+v\n%q", v, *got, wv, *want, body)
	}
}

// FuzzScanRequest: whatever the scanner reads, encoding/xml reads the same
// (DecodeRequestBytes gives the same answer either way).
func FuzzScanRequest(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*request*.xml"))
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	for _, v := range []Version{SOAP12, SOAP11} {
		f.Add((&Request{Operation: OpSubmitSingleMessage, Username: "u&<", Password: "p\"'", FacilityID: "F",
			HL7Message: "MSH|^~\\&|A\rPID|1\t\n&amp;\r"}).AppendXML(nil, v))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if got, v, ok := scanRequest(body); ok {
			sameAsXML(t, body, got, v)
		}
	})
}

// TestAppendXMLTail: a reply whose end was escaped beforehand (AppendText)
// is the envelope AppendXML writes for the whole text.
func TestAppendXMLTail(t *testing.T) {
	for _, v := range []Version{SOAP12, SOAP11} {
		head, tail := "MSH|^~\\&|A\rMSA|AA|1\r", hostile
		got := (&Response{Operation: OpSubmitSingleMessage, Return: head}).AppendXMLTail(nil, v, AppendText(nil, tail))
		want := (&Response{Operation: OpSubmitSingleMessage, Return: head + tail}).AppendXML(nil, v)
		if !bytes.Equal(got, want) {
			t.Errorf("%v:\n got %s\nwant %s", v, got, want)
		}
	}
}
