package query

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ctwiz-nurse/ctwiz-nurse/cdcsoap"
	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
)

// passwordForms are the ways testPassword could be read back from output:
// as typed, XML-escaped, HL7-escaped and hex-escaped.
func passwordForms(pw string) []string {
	return []string{pw, xmlEscaper.Replace(pw), hl7.Escape(pw), strings.ToUpper(hex.EncodeToString([]byte(pw))), hex.EncodeToString([]byte(pw))}
}

// A hostile registry echoes the password wherever a reply has room for
// text. Nothing the Client hands out (the error, the fault in it, the
// decoded Response as --json prints it, the ping's echo, the trace, the
// reply handed to Exchanged) may hold it in any form.
func TestPasswordEchoedByRegistry(t *testing.T) {
	// A password that is a valid XML and segment name, for the echoes
	// that need one.
	const namePW = "Pw9Hunter2"
	hexPW := `\X` + strings.ToUpper(hex.EncodeToString([]byte(testPassword))) + `\`
	escPW := hl7.Escape(testPassword)
	record := func(control string) string {
		return sample(t, "rsp_z42_ct_wiz_webiz.hl7", control, "\r")
	}
	tests := []struct {
		name   string
		answer func(w http.ResponseWriter, x exchange) // x.HL7 is nil for a ping
		ping   bool
		pw     string // testPassword when empty
	}{
		{"reply element named after the password", func(w http.ResponseWriter, x exchange) {
			writeSOAP(w, 200, soap12, envelope12(`<Pw9Hunter2Response xmlns="urn:cdc:iisb:2011"><return>x</return></Pw9Hunter2Response>`))
		}, false, namePW},
		{"body element named after the password", func(w http.ResponseWriter, x exchange) {
			writeSOAP(w, 200, soap12, envelope12(`<Pw9Hunter2 xmlns="urn:cdc:iisb:2011"/>`))
		}, false, namePW},
		{"ERR-8 of a record, HL7-escaped", func(w http.ResponseWriter, x exchange) {
			reply(w, record(x.HL7.ControlID())+"ERR||QPD^1^4|0^Message accepted^HL70357|W||||Password "+escPW+" expires soon\r")
		}, false, ""},
		{"ERR-8 hex-escaped", func(w http.ResponseWriter, x exchange) {
			reply(w, record(x.HL7.ControlID())+"ERR||QPD^1^4|0^Message accepted^HL70357|W||||"+hexPW+"\r")
		}, false, ""},
		{"MSA-3 and ERR of a rejection", func(w http.ResponseWriter, x exchange) {
			reply(w, "MSH|^~\\&|WebIZ|CT0000|||20260101||ACK^Q11^ACK|R1|P|2.5.1\rMSA|AR|"+x.HL7.ControlID()+"|bad password "+escPW+"\r"+
				"ERR||MSH^1^3|207^"+escPW+"^HL70357|E|4^"+hexPW+"^HL70533||||"+escPW+"\r")
		}, false, ""},
		{"segment named after the password", func(w http.ResponseWriter, x exchange) {
			reply(w, record(x.HL7.ControlID())+namePW+"|1\r"+namePW+"\r")
		}, false, namePW},
		{"MSA-2 is the password", func(w http.ResponseWriter, x exchange) {
			reply(w, record(escPW))
		}, false, ""},
		{"message type is the password", func(w http.ResponseWriter, x exchange) {
			reply(w, "MSH|^~\\&|"+escPW+"|CT0000|||20260101||"+hexPW+"|R1|P|2.5.1\r")
		}, false, ""},
		{"MSH and QAK hold the password", func(w http.ResponseWriter, x exchange) {
			reply(w, "MSH|^~\\&|"+escPW+"|"+hexPW+"|||20260101||RSP^K11^RSP_K11|R1|P|2.5.1|||NE|NE|||||"+hexPW+"^CDCPHINVS\rMSA|AA|"+x.HL7.ControlID()+"\rQAK|"+escPW+"|"+hexPW+"\r")
		}, false, ""},
		{"fault texts", func(w http.ResponseWriter, x exchange) {
			f := cdcsoap.NewFault(cdcsoap.SecurityFault, 401, "password "+testPassword+" is wrong")
			f.Text = "bad " + testPassword
			_ = cdcsoap.WriteFault(w, cdcsoap.SOAP12, f)
		}, false, ""},
		{"redirect to the password", func(w http.ResponseWriter, x exchange) {
			w.Header().Set("Location", "https://evil.example/?pw="+testPassword)
			w.WriteHeader(http.StatusFound)
		}, false, ""},
		{"ping echoes the password", func(w http.ResponseWriter, x exchange) {
			_ = cdcsoap.WriteResponse(w, cdcsoap.SOAP12, &cdcsoap.Response{Operation: cdcsoap.OpConnectivityTest, Return: "you sent " + testPassword})
		}, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, cfg := newRegistry(t, func(w http.ResponseWriter, r *http.Request, x exchange) { tt.answer(w, x) })
			var trace, exchanged bytes.Buffer
			cfg.Trace = &trace
			cfg.Exchanged = func(x Exchange) {
				fmt.Fprintf(&exchanged, "%s\n%v\n", x.Reply, x.Err)
			}
			cfg.Timeout = 5 * time.Second
			if tt.pw != "" {
				cfg.Password = tt.pw
			}
			c := newClient(t, cfg)
			var out []string
			var err error
			if tt.ping {
				var echo string
				echo, err = c.Ping(t.Context())
				out = append(out, echo)
			} else {
				var resp *hl7.Response
				resp, err = c.Find(t.Context(), student())
				j, _ := json.Marshal(resp)
				out = append(out, string(j))
			}
			if err != nil {
				out = append(out, err.Error(), fmt.Sprintf("%+v %#v", err, err))
				if e, ok := err.(*Error); ok && e.Err != nil {
					out = append(out, e.Err.Error(), fmt.Sprintf("%+v", e.Fault))
				}
			}
			out = append(out, trace.String(), exchanged.String())
			all := strings.Join(out, "\n")
			if !strings.Contains(all, redactedMark) {
				t.Errorf("the echo reached no output, so the test proves nothing:\n%s", all)
			}
			for _, form := range passwordForms(cfg.Password) {
				if strings.Contains(all, form) {
					t.Errorf("output holds the password as %q:\n%s", form, all)
				}
			}
		})
	}
}
