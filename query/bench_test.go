package query

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/ctwiz-nurse/ctwiz-nurse/cdcsoap"
	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
)

// BenchmarkFind is one full query round trip over loopback with the CT WiZ
// sample reply (Z42, 10.7 KB of HL7): build the QBP, SOAP envelope, HTTP,
// SOAP decode, HL7 decode. The server does as little as it can: it copies
// MSH-10 of the request into a prepared reply, so the figures are almost
// all client cost (allocations count the server's share of net/http too).
func BenchmarkFind(b *testing.B) {
	const marker = "\x00CONTROL\x00"
	env := (&cdcsoap.Response{Operation: cdcsoap.OpSubmitSingleMessage, Return: sample(b, "rsp_z42_ct_wiz_webiz.hl7", marker, "\r")}).AppendXML(nil, cdcsoap.SOAP12)
	// The marker's NULs were written as U+FFFD by the XML escaper.
	before, after, ok := bytes.Cut(env, []byte("\uFFFDCONTROL\uFFFD"))
	if !ok {
		b.Fatal("marker not found")
	}
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		_, rest, _ := bytes.Cut(body, []byte("QBP^Q11^QBP_Q11|"))
		control, _, _ := bytes.Cut(rest, []byte("|"))
		w.Header().Set("Content-Type", "application/soap+xml; charset=UTF-8")
		w.Write(before)
		w.Write(control)
		w.Write(after)
	})
	for _, tls := range []bool{false, true} {
		name := "http"
		srv := httptest.NewUnstartedServer(handler)
		if tls {
			name = "https"
			srv.StartTLS()
		} else {
			srv.Start()
		}
		b.Run(name, func(b *testing.B) {
			cfg := Config{Endpoint: srv.URL, Username: testUser, Password: testPassword, FacilityID: testFacility}
			c := newClient(b, cfg)
			if tls {
				c.http.Transport.(*http.Transport).TLSClientConfig.RootCAs = srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs
			}
			d := student()
			b.ReportAllocs()
			for b.Loop() {
				resp, err := c.Find(b.Context(), d)
				if err != nil || resp.Outcome != hl7.OutcomeRecord {
					b.Fatal(err)
				}
			}
		})
		srv.Close()
	}
}
