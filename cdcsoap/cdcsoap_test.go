package cdcsoap

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecodeRequestFixtures(t *testing.T) {
	tests := []struct {
		file string
		want Request
	}{
		{"submitSingleMessage_request_soap12.xml", Request{
			Operation: OpSubmitSingleMessage, Username: "USERNAME", Password: "PASSWORD", FacilityID: "FACILITYID",
			HL7Message: "MSH|^~\\&|||||20140515001020-0500||QBP^Q11^QBP_Q11|793543|P|2.5.1|||ER|AL|||||Z44^CDCPHINVS\r" +
				"QPD|Z44^Request Evaluated History and Forecast^CDCPHINVS|37374859|123456^^^MYEHR^MR|Child^Bobbie^Q^^^^L|Que^Suzy^^^^^M|20050512|M|10 East Main St^^Myfaircity^GA^^^L\r" +
				"RCP|I|1^RD&Records&HL70126\r",
		}},
		{"connectivityTest_request_soap12.xml", Request{Operation: OpConnectivityTest, EchoBack: "Hello from CT school nurse client"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, v, err := DecodeRequest(bytes.NewReader(readFixture(t, tt.file)))
			if err != nil {
				t.Fatal(err)
			}
			if v != SOAP12 {
				t.Errorf("version = %v, want SOAP 1.2", v)
			}
			if *got != tt.want {
				t.Errorf("got  %+v\nwant %+v", *got, tt.want)
			}
		})
	}
}

func TestDecodeResponseFixtures(t *testing.T) {
	tests := []struct {
		file    string
		version Version
		op      Operation
		prefix  string // of Return
		suffix  string
	}{
		// CDATA: encoding/xml turns the raw line ends into LF.
		{"submitSingleMessage_response_soap12.xml", SOAP12, OpSubmitSingleMessage, "MSH|^~\\&|MYIIS|", "QPD|Z34^Request Immunization History^CDCPHINVS|37374859|123456^^^MYEHR^MR|Child^Bobbie^Q^^^^L|Que^Suzy^^^^^M|20050512|M|10 East Main St^^Myfaircity^GA^^^L\n"},
		// Escaped: &#xd; survives as CR.
		{"submitSingleMessage_response_soap11_escaped.xml", SOAP11, OpSubmitSingleMessage, "MSH|^~\\&|MYIIS|MyStateIIS", "Z33^CDCPHINVS|MyStateIIS|MYEHR\rMSA|AA|793543\rQAK|37374859|NF|Z34^request Immunization history^CDCPHINVS\r"},
		{"connectivityTest_response_soap12.xml", SOAP12, OpConnectivityTest, "Hello from CT school nurse client", "Hello from CT school nurse client"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, v, err := DecodeResponse(bytes.NewReader(readFixture(t, tt.file)))
			if err != nil {
				t.Fatal(err)
			}
			if v != tt.version || got.Operation != tt.op || got.Nil {
				t.Errorf("got version %v op %q nil %v", v, got.Operation, got.Nil)
			}
			if !strings.HasPrefix(got.Return, tt.prefix) || !strings.HasSuffix(got.Return, tt.suffix) {
				t.Errorf("return = %q", got.Return)
			}
		})
	}
}

func TestDecodeFaultFixtures(t *testing.T) {
	tests := []struct {
		file    string
		version Version
		want    Fault
	}{
		{"fault_security_2011.xml", SOAP12, Fault{Kind: SecurityFault, Role: "Receiver", Text: "Invalid Username, Password or FacilityID", Code: "401", Reason: "Security", Detail: "Invalid Username, Password or FacilityID"}},
		{"fault_security_soap11.xml", SOAP11, Fault{Kind: SecurityFault, Role: "Client", Text: "Invalid Username, Password or FacilityID", Code: "401", Reason: "Security", Detail: "Invalid Username, Password or FacilityID"}},
		{"fault_security_smm_tester.xml", SOAP12, Fault{Kind: SecurityFault, Role: "Sender", Text: "Invalid Username or Password", Code: "10", Reason: "Security", Detail: "Invalid Username or Password"}},
		{"fault_unknown_smm_tester.xml", SOAP12, Fault{Kind: UnknownFault, Role: "Sender", Text: "Exception ocurred", Code: "54353", Reason: "UnknownFault", Detail: "An unexpected problem occured"}},
		{"fault_message_too_large_smm_tester.xml", SOAP12, Fault{Kind: MessageTooLargeFault, Role: "Sender", Text: "MessageTooLarge", Code: "1313", Reason: "MessageTooLarge", Detail: "More than one HL7 message was submitted. Please submit one and only one HL7 message per transaction"}},
		{"fault_unsupported_operation_smm_tester.xml", SOAP12, Fault{Kind: UnsupportedOperationFault, Role: "Sender", Text: "Expected either connectivityTest or SubmitSingleMessage", Code: "8675309", Reason: "UnsupportedOperation", Detail: "This Operation is not supported"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			resp, v, err := DecodeResponse(bytes.NewReader(readFixture(t, tt.file)))
			var f *Fault
			if !errors.As(err, &f) {
				t.Fatalf("got %v, %v; want a *Fault", resp, err)
			}
			if v != tt.version {
				t.Errorf("version = %v, want %v", v, tt.version)
			}
			if *f != tt.want {
				t.Errorf("got  %+v\nwant %+v", *f, tt.want)
			}
		})
	}
}

// Hostile HL7 and XML content must come back exactly, in both versions.
const hostile = "MSH|^~\\&|A\rQPD|Z44|1|^^^^SR|A|B^C~D\\E&F <x> ]]> \"q\" 'a'\r\n"

func TestRequestRoundTrip(t *testing.T) {
	for _, v := range []Version{SOAP12, SOAP11} {
		for _, req := range []Request{
			{Operation: OpSubmitSingleMessage, Username: "u&<", Password: "p]]>\"", FacilityID: "F", HL7Message: hostile},
			{Operation: OpConnectivityTest, EchoBack: "echo & <b>"},
			{Operation: OpSubmitSingleMessage},
		} {
			t.Run(v.String()+"/"+string(req.Operation), func(t *testing.T) {
				b := req.AppendXML(nil, v)
				got, gv, err := DecodeRequest(bytes.NewReader(b))
				if err != nil {
					t.Fatalf("%v\n%s", err, b)
				}
				if gv != v || *got != req {
					t.Errorf("got %v %+v\nwant %v %+v", gv, *got, v, req)
				}
			})
		}
	}
}

func TestResponseRoundTrip(t *testing.T) {
	for _, v := range []Version{SOAP12, SOAP11} {
		for _, resp := range []Response{
			{Operation: OpSubmitSingleMessage, Return: hostile},
			{Operation: OpConnectivityTest, Return: "echo"},
			{Operation: OpSubmitSingleMessage, Nil: true},
		} {
			t.Run(v.String()+"/"+string(resp.Operation), func(t *testing.T) {
				b := resp.AppendXML(nil, v)
				got, gv, err := DecodeResponse(bytes.NewReader(b))
				if err != nil {
					t.Fatalf("%v\n%s", err, b)
				}
				if gv != v || *got != resp {
					t.Errorf("got %v %+v\nwant %v %+v", gv, *got, v, resp)
				}
			})
		}
	}
}

func TestFaultRoundTrip(t *testing.T) {
	for _, v := range []Version{SOAP12, SOAP11} {
		for _, k := range []FaultKind{UnknownFault, SecurityFault, MessageTooLargeFault, UnsupportedOperationFault} {
			t.Run(v.String()+"/"+k.Name(), func(t *testing.T) {
				f := NewFault(k, 401, "Invalid <Username> & Password")
				b := f.AppendXML(nil, v)
				_, gv, err := DecodeResponse(bytes.NewReader(b))
				var got *Fault
				if !errors.As(err, &got) {
					t.Fatalf("got %v; want *Fault\n%s", err, b)
				}
				want := *f
				if v == SOAP11 {
					want.Role = "Client"
				}
				if gv != v || *got != want {
					t.Errorf("got %+v\nwant %+v", *got, want)
				}
			})
		}
	}
}

func TestDecodeNotSOAP(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"empty", "", "ends early"},
		{"bad XML", "<soap:Envelope xmlns:soap='" + SOAP12Namespace + "'><soap:Body><submitSingleMessageResponse><return>x", "unexpected EOF"},
		{"HTML page", "<html><body><h1>Service Unavailable</h1></body></html>", "the document is <html>"},
		{"not XML", "MSH|^~\\&|", "XML syntax error"},
		{"plain text", "Service Unavailable", "the document ends early"},
		{"empty body", "<Envelope xmlns='" + SOAP12Namespace + "'><Body/></Envelope>", "<Body> is empty"},
		{"not a response", "<Envelope xmlns='" + SOAP12Namespace + "'><Body><foo/></Body></Envelope>", "the body holds <foo>, not a response"},
		{"stranger in envelope", "<Envelope xmlns='" + SOAP12Namespace + "'><Junk/></Envelope>", "unexpected <Junk>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := DecodeResponse(strings.NewReader(tt.body))
			if !errors.Is(err, ErrNotSOAP) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v; want ErrNotSOAP containing %q", err, tt.want)
			}
		})
	}
}

// Raw control characters, which XML cannot carry, arrive as spaces
// rather than failing the reply; tab, LF and CR are kept.
func TestDecodeResponseControlCharacters(t *testing.T) {
	body := "<Envelope xmlns='" + SOAP12Namespace + "'><Body><submitSingleMessageResponse xmlns='" + Namespace + "'><return>" +
		"\x0bMSH|^~\\&amp;|A\rPID|1||X\x01Y\tZ\n\x1c</return></submitSingleMessageResponse></Body></Envelope>"
	r, _, err := DecodeResponse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	// encoding/xml reads a raw CR as LF.
	if want := " MSH|^~\\&|A\nPID|1||X Y\tZ\n "; r.Return != want {
		t.Errorf("return = %q, want %q", r.Return, want)
	}
}

func TestDecodeRequestUnsupported(t *testing.T) {
	for _, body := range []string{
		// The 2014 WSDL's capitalised operation is another contract.
		`<Envelope xmlns="` + SOAP12Namespace + `"><Body><SubmitSingleMessageRequest xmlns="urn:cdc:iisb:2014"/></Body></Envelope>`,
		`<Envelope xmlns="` + SOAP12Namespace + `"><Body><submitSingleMessage xmlns="urn:other"/></Body></Envelope>`,
	} {
		_, _, err := DecodeRequest(strings.NewReader(body))
		if !errors.Is(err, ErrUnsupportedOperation) {
			t.Errorf("err = %v; want ErrUnsupportedOperation", err)
		}
	}
}

func TestContentType(t *testing.T) {
	if got, want := ContentType(SOAP12, OpSubmitSingleMessage), `application/soap+xml; charset=UTF-8; action="urn:cdc:iisb:2011:submitSingleMessage"`; got != want {
		t.Errorf("ContentType = %q, want %q", got, want)
	}
	tests := []struct {
		ct, soapAction string
		v              Version
		action         string
		ok             bool
	}{
		{ContentType(SOAP12, OpSubmitSingleMessage), "", SOAP12, "urn:cdc:iisb:2011:submitSingleMessage", true},
		{ContentType(SOAP12, OpConnectivityTest), "", SOAP12, "urn:cdc:iisb:2011:connectivityTest", true},
		{"application/soap+xml;charset=utf-8", "", SOAP12, "", true},
		{ContentType(SOAP11, OpSubmitSingleMessage), SOAPAction(OpSubmitSingleMessage), SOAP11, "urn:cdc:iisb:2011:submitSingleMessage", true},
		{"text/html", "", SOAP12, "", false},
		{"", "", SOAP12, "", false},
	}
	for _, tt := range tests {
		v, action, ok := ParseContentType(tt.ct, tt.soapAction)
		if v != tt.v || action != tt.action || ok != tt.ok {
			t.Errorf("ParseContentType(%q, %q) = %v, %q, %v", tt.ct, tt.soapAction, v, action, ok)
		}
	}
}

func TestWriteFault(t *testing.T) {
	for _, tt := range []struct {
		v      Version
		status int
		ct     string
	}{{SOAP12, 400, "application/soap+xml; charset=UTF-8"}, {SOAP11, 500, "text/xml; charset=UTF-8"}} {
		rec := httptest.NewRecorder()
		if err := WriteFault(rec, tt.v, NewFault(SecurityFault, 401, "Invalid Username, Password or FacilityID")); err != nil {
			t.Fatal(err)
		}
		if rec.Code != tt.status || rec.Header().Get("Content-Type") != tt.ct {
			t.Errorf("%v: status %d, Content-Type %q", tt.v, rec.Code, rec.Header().Get("Content-Type"))
		}
		var f *Fault
		if _, _, err := DecodeResponse(rec.Body); !errors.As(err, &f) || f.Kind != SecurityFault {
			t.Errorf("%v: decoded %v", tt.v, err)
		}
	}
	rec := httptest.NewRecorder()
	if err := WriteResponse(rec, SOAP12, &Response{Operation: OpConnectivityTest, Return: "hi"}); err != nil || rec.Code != 200 {
		t.Fatalf("WriteResponse: %v, status %d", err, rec.Code)
	}
}

func TestWSDL(t *testing.T) {
	const endpoint = "http://127.0.0.1:8080/IISService?a=1&b=\"2\""
	w := WSDL(endpoint)
	var doc struct {
		Service struct {
			Port struct {
				Address struct {
					Location string `xml:"location,attr"`
				} `xml:"http://schemas.xmlsoap.org/wsdl/soap12/ address"`
			} `xml:"port"`
		} `xml:"service"`
		TargetNamespace string `xml:"targetNamespace,attr"`
	}
	if err := xml.Unmarshal(w, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Service.Port.Address.Location != endpoint || doc.TargetNamespace != Namespace {
		t.Errorf("location %q, namespace %q", doc.Service.Port.Address.Location, doc.TargetNamespace)
	}
	if bytes.Contains(w, []byte("REPLACE-WITH-IIS-ENDPOINT")) {
		t.Error("placeholder left in the WSDL")
	}
}

func BenchmarkDecodeResponse(b *testing.B) {
	body := (&Response{Operation: OpSubmitSingleMessage, Return: strings.Repeat(hostile, 100)}).AppendXML(nil, SOAP12)
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, _, err := DecodeResponse(bytes.NewReader(body)); err != nil {
			b.Fatal(err)
		}
	}
}

// Printing a Request, with any verb, never shows the password.
func TestRequestPrintingRedactsPassword(t *testing.T) {
	r := Request{Operation: OpSubmitSingleMessage, Username: "nurse.jones", Password: "S3cret&<pw>", FacilityID: "CTNURSE01"}
	for _, v := range []any{r, &r} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			got := fmt.Sprintf(verb, v)
			if strings.Contains(got, "S3cret") || !strings.Contains(got, "[redacted]") || !strings.Contains(got, "nurse.jones") {
				t.Errorf("%s of %T = %s", verb, v, got)
			}
		}
	}
	if got := fmt.Sprintf("%#v", r); !strings.HasPrefix(got, `cdcsoap.Request{Operation:"submitSingleMessage", Username:"nurse.jones", Password:"[redacted]"`) {
		t.Errorf("%%#v = %s", got)
	}
}

// TestNestingLimit: elements nested past MaxDepth, wherever they are (a
// header, a skipped element, inside a field, a fault's detail), are
// refused as soon as the limit is passed, before they cost memory; a
// nesting of exactly MaxDepth is read.
func TestNestingLimit(t *testing.T) {
	deep := func(n int) string { return strings.Repeat("<a>", n) + strings.Repeat("</a>", n) }
	bomb := strings.Repeat("<a>", 1<<20) // 3 MB, never closed
	env := func(inner string) string {
		return "<soap:Envelope xmlns:soap='" + SOAP12Namespace + "'>" + inner + "</soap:Envelope>"
	}
	req := func(field string) string {
		return env("<soap:Body><submitSingleMessage xmlns='" + Namespace + "'>" + field + "</submitSingleMessage></soap:Body>")
	}
	tests := []struct {
		name     string
		body     string
		response bool
		ok       bool
	}{
		{"in a header", env("<soap:Header>" + bomb), false, false},
		{"in an unknown request field", req("<extra>" + bomb), false, false},
		{"inside hl7Message", req("<hl7Message>MSH" + bomb), false, false},
		{"in a fault detail", env("<soap:Body><soap:Fault><soap:Detail>" + bomb), true, false},
		{"in a response's return", env("<soap:Body><submitSingleMessageResponse><return>" + bomb), true, false},
		// Envelope, Body, submitSingleMessage, hl7Message: 4 levels, then 28 more.
		{"exactly MaxDepth", req("<hl7Message>MSH|" + deep(MaxDepth-4) + "</hl7Message>"), false, true},
		{"one past MaxDepth", req("<hl7Message>MSH|" + deep(MaxDepth-3) + "</hl7Message>"), false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			var err error
			if tt.response {
				_, _, err = DecodeResponse(strings.NewReader(tt.body))
			} else {
				_, _, err = DecodeRequest(strings.NewReader(tt.body))
			}
			runtime.ReadMemStats(&after)
			if tt.ok {
				if err != nil {
					t.Errorf("err = %v, want the envelope read", err)
				}
				return
			}
			if !errors.Is(err, ErrNotSOAP) || !strings.Contains(err.Error(), fmt.Sprintf("nested more than %d deep", MaxDepth)) {
				t.Errorf("err = %v; want ErrNotSOAP naming the nesting limit", err)
			}
			if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
				t.Errorf("reading it allocated %d KB, want under 1 MB", n>>10)
			}
		})
	}
}
