package query

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ctwiz-nurse/ctwiz-nurse/cdcsoap"
	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
)

func writeSOAP(w http.ResponseWriter, status int, contentType, body string) {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	fmt.Fprint(w, body)
}

const soap12 = "application/soap+xml; charset=UTF-8"

func envelope12(payload string) string {
	return `<?xml version="1.0"?><env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body>` + payload + `</env:Body></env:Envelope>`
}

// Replies that are odd but valid must give the record.
func TestFindAcceptsOddReplies(t *testing.T) {
	const z42 = "rsp_z42_ct_wiz_webiz.hl7"
	tests := []struct {
		name   string
		answer func(w http.ResponseWriter, control string)
	}{
		{"SOAP 1.1 envelope", func(w http.ResponseWriter, control string) {
			_ = cdcsoap.WriteResponse(w, cdcsoap.SOAP11, &cdcsoap.Response{Operation: cdcsoap.OpSubmitSingleMessage, Return: sample(t, z42, control, "\r")})
		}},
		{"LF-only segments, escaped", func(w http.ResponseWriter, control string) {
			reply(w, sample(t, z42, control, "\n"))
		}},
		{"CRLF segments", func(w http.ResponseWriter, control string) {
			reply(w, sample(t, z42, control, "\r\n"))
		}},
		{"CDATA with CR", func(w http.ResponseWriter, control string) {
			writeSOAP(w, 200, soap12, envelope12(`<ns2:submitSingleMessageResponse xmlns:ns2="urn:cdc:iisb:2011"><ns2:return><![CDATA[`+sample(t, z42, control, "\r")+`]]></ns2:return></ns2:submitSingleMessageResponse>`))
		}},
		{"no final CR", func(w http.ResponseWriter, control string) {
			reply(w, strings.TrimRight(sample(t, z42, control, "\r"), "\r"))
		}},
		{"control characters: MLLP framing and a stray byte in a value", func(w http.ResponseWriter, control string) {
			hl7 := strings.Replace(sample(t, z42, control, "\r"), "DAGGETT", "DAG\x01GETT", 1)
			writeSOAP(w, 200, soap12, envelope12(`<submitSingleMessageResponse xmlns="urn:cdc:iisb:2011"><return>`+
				"\x0b"+strings.ReplaceAll(strings.ReplaceAll(hl7, "&", "&amp;"), "\r", "&#13;")+"\x1c"+`</return></submitSingleMessageResponse>`))
		}},
		{"fault-free 1.2 with header and unqualified return", func(w http.ResponseWriter, control string) {
			writeSOAP(w, 200, soap12, `<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Header><x/></env:Header><env:Body><submitSingleMessageResponse xmlns="urn:cdc:iisb:2011"><return xmlns="">`+
				strings.ReplaceAll(strings.ReplaceAll(sample(t, z42, control, "\r"), "&", "&amp;"), "\r", "&#13;")+`</return></submitSingleMessageResponse></env:Body></env:Envelope>`)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, cfg := newRegistry(t, func(w http.ResponseWriter, r *http.Request, x exchange) { tt.answer(w, x.HL7.ControlID()) })
			resp, err := newClient(t, cfg).Find(t.Context(), student())
			if err != nil {
				t.Fatal(err)
			}
			if resp.Outcome != hl7.OutcomeRecord || len(resp.Immunizations) != 2 || resp.Patients[0].Family != "BUTTE" {
				t.Errorf("outcome %s, %d doses", resp.Outcome, len(resp.Immunizations))
			}
		})
	}
}

// A rejection with an empty MSA-2 (the registry could not read the
// message) carries no patient, so it is shown rather than discarded.
func TestRejectionWithoutControlID(t *testing.T) {
	_, cfg := newRegistry(t, func(w http.ResponseWriter, r *http.Request, x exchange) {
		reply(w, sample(t, "ack_ar_q11_unrecognized_type_ig.hl7", "", "\r"))
	})
	resp, err := newClient(t, cfg).Find(t.Context(), student())
	if err != nil {
		t.Fatal(err)
	}
	if resp.Outcome != hl7.OutcomeRejected || len(resp.Warnings) != 1 || !strings.Contains(resp.Warnings[0], "MSA-2 is empty") {
		t.Errorf("outcome %s, warnings %q", resp.Outcome, resp.Warnings)
	}
}

// Each misbehaviour gives its own Kind and message, retried or not.
func TestFindMisbehaviour(t *testing.T) {
	faultXML := func(kind cdcsoap.FaultKind, code int, detail string) func(w http.ResponseWriter, r *http.Request, n int, control string) {
		return func(w http.ResponseWriter, r *http.Request, n int, control string) {
			_ = cdcsoap.WriteFault(w, cdcsoap.SOAP12, cdcsoap.NewFault(kind, code, detail))
		}
	}
	tests := []struct {
		name      string
		cfg       func(*Config)
		answer    func(w http.ResponseWriter, r *http.Request, n int, control string) // n counts requests from 1
		kind      Kind
		retryable bool
		attempts  int
		msg       string // exact, or a prefix when it ends in "…"
	}{
		{name: "bad XML", kind: KindBadReply, attempts: 1,
			answer: func(w http.ResponseWriter, r *http.Request, n int, control string) {
				writeSOAP(w, 200, soap12, envelope12(`<submitSingleMessageResponse xmlns="urn:cdc:iisb:2011"><return>MSH|^~\&amp;</retrun>`))
			},
			msg: "the endpoint's reply is not a CT WiZ SOAP message: check the endpoint URL (not a SOAP envelope: XML syntax error on line 1: element <return> closed by </retrun>)"},
		{name: "HTML page with 200", kind: KindBadReply, attempts: 1,
			answer: func(w http.ResponseWriter, r *http.Request, n int, control string) {
				writeSOAP(w, 200, "text/html; charset=utf-8", "<!DOCTYPE html><html><body><p>Please log in</p></body></html>")
			},
			msg: "the endpoint answered with a web page instead of a CT WiZ reply: check the endpoint URL (a login page or proxy may be in the way)"},
		{name: "empty return", kind: KindBadReply, attempts: 1,
			answer: func(w http.ResponseWriter, r *http.Request, n int, control string) {
				writeSOAP(w, 200, soap12, envelope12(`<submitSingleMessageResponse xmlns="urn:cdc:iisb:2011"><return/></submitSingleMessageResponse>`))
			},
			msg: "CT WiZ's reply contained no HL7 message; try again, and contact the help desk if it persists"},
		{name: "return is not HL7", kind: KindBadReply, attempts: 1,
			answer: func(w http.ResponseWriter, r *http.Request, n int, control string) {
				reply(w, "Internal processing error, see log")
			},
			msg: "CT WiZ's reply does not hold a readable HL7 answer; try again, and contact the help desk if it persists (…"},
		{name: "wrong MSA-2", kind: KindControlID, attempts: 1,
			answer: func(w http.ResponseWriter, r *http.Request, n int, control string) {
				reply(w, sample(t, "rsp_z42_ct_wiz_webiz.hl7", "SOMEONE-ELSE", "\r"))
			},
			msg: `CT WiZ's reply answers another query (MSA-2 "SOMEONE-ELSE", expected "CTWN…`},
		{name: "wrong MSA-2 on a rejection", kind: KindControlID, attempts: 1,
			answer: func(w http.ResponseWriter, r *http.Request, n int, control string) {
				reply(w, sample(t, "ack_ar_unsupported_version_ig.hl7", "", "\r"))
			},
			msg: `CT WiZ's reply answers another query (MSA-2 "9299381", expected "CTWN…`},
		{name: "HTTP 503 then success", kind: "", attempts: 2,
			answer: func(w http.ResponseWriter, r *http.Request, n int, control string) {
				if n == 1 {
					http.Error(w, "Service Unavailable", http.StatusServiceUnavailable)
					return
				}
				reply(w, sample(t, "rsp_z42_ct_wiz_webiz.hl7", control, "\r"))
			}},
		{name: "HTTP 502 every time", kind: KindHTTP, retryable: true, attempts: 3,
			answer: func(w http.ResponseWriter, r *http.Request, n int, control string) {
				http.Error(w, "<html>Bad Gateway</html>", http.StatusBadGateway)
			},
			msg: "CT WiZ is temporarily unavailable (HTTP 502 Bad Gateway); try again in a few minutes"},
		{name: "HTTP 401", kind: KindAuth, attempts: 1,
			answer: func(w http.ResponseWriter, r *http.Request, n int, control string) {
				http.Error(w, "Unauthorized", http.StatusUnauthorized)
			},
			msg: "CT WiZ refused the login (HTTP 401 Unauthorized): check the username, password and facility ID, and store them again with 'ctwiz-nurse login'"},
		{name: "HTTP 403", kind: KindHTTP, attempts: 1,
			answer: func(w http.ResponseWriter, r *http.Request, n int, control string) {
				http.Error(w, "Forbidden", http.StatusForbidden)
			},
			msg: "CT WiZ refused access (HTTP 403 Forbidden): this account or computer may not be allowed to query; contact the CT WiZ help desk"},
		{name: "HTTP 404", kind: KindHTTP, attempts: 1,
			answer: func(w http.ResponseWriter, r *http.Request, n int, control string) {
				http.NotFound(w, r)
			},
			msg: "there is no CT WiZ web service at the endpoint (HTTP 404 Not Found): check the endpoint URL in the profile"},
		{name: "HTTP 500 without fault", kind: KindHTTP, attempts: 1,
			answer: func(w http.ResponseWriter, r *http.Request, n int, control string) {
				http.Error(w, "oops", http.StatusInternalServerError)
			},
			msg: "CT WiZ had an internal error (HTTP 500 Internal Server Error); try again later, and contact the help desk if it persists"},
		{name: "redirect", kind: KindHTTP, attempts: 1,
			answer: func(w http.ResponseWriter, r *http.Request, n int, control string) {
				http.Redirect(w, r, "https://elsewhere.example/IISService", http.StatusFound)
			},
			msg: "the endpoint redirects elsewhere (HTTP 302 Found to https://elsewhere.example/IISService); redirects are not followed: put the right address in the profile"},
		{name: "SecurityFault", kind: KindAuth, attempts: 1, answer: faultXML(cdcsoap.SecurityFault, 401, "Invalid Username, Password or FacilityID"),
			msg: "CT WiZ rejected the username, password or facility ID (SecurityFault 401: Invalid Username, Password or FacilityID). Check them, store them again with 'ctwiz-nurse login', and if they are right, ask the CT WiZ help desk whether the account is active"},
		{name: "MessageTooLargeFault", kind: KindFault, attempts: 1, answer: faultXML(cdcsoap.MessageTooLargeFault, 1313, "More than one HL7 message was submitted"),
			msg: "CT WiZ refused the query as too large (MessageTooLargeFault 1313: More than one HL7 message was submitted); this is a ctwiz-nurse problem: report it"},
		{name: "UnsupportedOperationFault", kind: KindFault, attempts: 1, answer: faultXML(cdcsoap.UnsupportedOperationFault, 8675309, "This Operation is not supported"),
			msg: "the endpoint does not support this operation (UnsupportedOperationFault 8675309: This Operation is not supported): check that the endpoint is CT WiZ's CDC 2011 web service"},
		{name: "UnknownFault", kind: KindFault, attempts: 1, answer: faultXML(cdcsoap.UnknownFault, 54353, "An unexpected problem occured"),
			msg: "CT WiZ reported a problem (UnknownFault 54353: An unexpected problem occured); try again later, and contact the help desk if it persists"},
		{name: "SecurityFault with the caller's advice", kind: KindAuth, attempts: 1, answer: faultXML(cdcsoap.SecurityFault, 401, "Invalid Username, Password or FacilityID"),
			cfg: func(c *Config) { c.Relogin = "correct CTWIZ_PASSWORD" },
			msg: "CT WiZ rejected the username, password or facility ID (SecurityFault 401: Invalid Username, Password or FacilityID). Check them, correct CTWIZ_PASSWORD, and if they are right, ask the CT WiZ help desk whether the account is active"},
		{name: "SOAP 1.1 fault with 500", kind: KindAuth, attempts: 1,
			answer: func(w http.ResponseWriter, r *http.Request, n int, control string) {
				_ = cdcsoap.WriteFault(w, cdcsoap.SOAP11, cdcsoap.NewFault(cdcsoap.SecurityFault, 10, "Invalid Username or Password"))
			},
			msg: "CT WiZ rejected the username, password or facility ID (SecurityFault 10: Invalid Username or Password)…"},
		{name: "slow reply past the timeout", kind: KindTimeout, retryable: true, attempts: 1,
			cfg: func(c *Config) { c.Timeout = 150 * time.Millisecond; c.ConnectTimeout = 100 * time.Millisecond },
			answer: func(w http.ResponseWriter, r *http.Request, n int, control string) {
				select {
				case <-r.Context().Done():
				case <-time.After(5 * time.Second):
				}
			},
			msg: "CT WiZ did not answer within 150ms; try again later (…"},
		{name: "slow body past the timeout", kind: KindTimeout, retryable: true, attempts: 1,
			cfg: func(c *Config) { c.Timeout = 150 * time.Millisecond; c.ConnectTimeout = 100 * time.Millisecond },
			answer: func(w http.ResponseWriter, r *http.Request, n int, control string) {
				w.Header().Set("Content-Type", soap12)
				fmt.Fprint(w, `<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body>`)
				w.(http.Flusher).Flush()
				select {
				case <-r.Context().Done():
				case <-time.After(5 * time.Second):
				}
			},
			msg: "CT WiZ did not answer within 150ms; try again later (…"},
		{name: "Content-Length over the cap", kind: KindTooLarge, attempts: 1,
			cfg: func(c *Config) { c.MaxReplySize = 4 << 10 },
			answer: func(w http.ResponseWriter, r *http.Request, n int, control string) {
				w.Header().Set("Content-Length", fmt.Sprint(64<<20))
				w.Header().Set("Content-Type", soap12)
				w.WriteHeader(200)
				w.Write([]byte(envelope12("")))
			},
			msg: "CT WiZ's reply is larger than 4 KiB and was refused; no real record is that large: report this to the CT WiZ help desk"},
		{name: "streamed reply over the cap", kind: KindTooLarge, attempts: 1,
			cfg: func(c *Config) { c.MaxReplySize = 1 << 20 },
			answer: func(w http.ResponseWriter, r *http.Request, n int, control string) {
				w.Header().Set("Content-Type", soap12)
				fmt.Fprint(w, `<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body><submitSingleMessageResponse xmlns="urn:cdc:iisb:2011"><return>`)
				chunk := strings.Repeat("OBX|1|CE|30956-7^Vaccine Type^LN|1|03^MMR^CVX\r", 1000)
				for i := 0; i < 64 && r.Context().Err() == nil; i++ { // up to ~3 MB, stops when the client hangs up
					fmt.Fprint(w, chunk)
					w.(http.Flusher).Flush()
				}
			},
			msg: "CT WiZ's reply is larger than 1 MiB and was refused; no real record is that large: report this to the CT WiZ help desk"},
		{name: "connection closed mid-body", kind: KindNetwork, retryable: true, attempts: 3,
			answer: func(w http.ResponseWriter, r *http.Request, n int, control string) {
				conn, buf, err := w.(http.Hijacker).Hijack()
				if err != nil {
					t.Error(err)
					return
				}
				defer conn.Close()
				body := envelope12(`<submitSingleMessageResponse xmlns="urn:cdc:iisb:2011"><return>MSH|^~\&amp;|`)
				fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n%s", soap12, len(body)+5000, body[:len(body)-30])
				buf.Flush()
			},
			msg: "the connection to 127.0.0.1:… closed before the reply was complete; try again (unexpected EOF)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n atomic.Int32
			g, cfg := newRegistry(t, func(w http.ResponseWriter, r *http.Request, x exchange) {
				tt.answer(w, r, int(n.Add(1)), x.HL7.ControlID())
			})
			if tt.cfg != nil {
				tt.cfg(&cfg)
			}
			resp, err := newClient(t, cfg).Find(t.Context(), student())
			if got := len(g.requests()); got != tt.attempts {
				t.Errorf("%d requests, want %d", got, tt.attempts)
			}
			if tt.kind == "" {
				if err != nil || resp.Outcome != hl7.OutcomeRecord {
					t.Fatalf("got %v", err)
				}
				return
			}
			e, ok := err.(*Error)
			if !ok {
				t.Fatalf("err = %T %v, want *Error", err, err)
			}
			if e.Kind != tt.kind || e.Retryable != tt.retryable || e.Attempts != tt.attempts {
				t.Errorf("kind %s retryable %v attempts %d; want %s %v %d (%v)", e.Kind, e.Retryable, e.Attempts, tt.kind, tt.retryable, tt.attempts, err)
			}
			checkMessage(t, err.Error(), tt.msg)
			if resp != nil {
				t.Error("a response came with the error")
			}
		})
	}
}

// checkMessage compares a message exactly, or up to "…" when want has it
// (for the parts that vary: ports, control IDs, Go's error text).
func checkMessage(t *testing.T, got, want string) {
	t.Helper()
	parts := strings.Split(want, "…")
	ok := strings.HasPrefix(got, parts[0])
	rest := strings.TrimPrefix(got, parts[0])
	for _, p := range parts[1:] {
		i := strings.Index(rest, p)
		if i < 0 {
			ok = false
			break
		}
		rest = rest[i+len(p):]
	}
	if len(parts) == 1 {
		ok = got == want
	} else if parts[len(parts)-1] != "" && !strings.HasSuffix(got, parts[len(parts)-1]) {
		ok = false
	}
	if !ok {
		t.Errorf("message\n got %q\nwant %q", got, want)
	}
	for _, s := range []string{testPassword, testUser} {
		if strings.Contains(got, s) {
			t.Errorf("message contains a credential: %q", got)
		}
	}
}

func TestConnectionFailures(t *testing.T) {
	// A port that was just free: nothing listens on it.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := l.Addr().String()
	l.Close()

	tests := []struct {
		name      string
		endpoint  string
		kind      Kind
		retryable bool
		attempts  int
		msg       string
	}{
		{"connection refused", "http://" + refused + "/IISService", KindRefused, true, 3,
			refused + " refused the connection: the service may be down or the endpoint's port wrong; try again later (dial tcp " + refused + ": connect: connection refused)"},
		{"DNS failure", "https://ctwiz.invalid/IISService", KindDNS, false, 1,
			"the name ctwiz.invalid could not be found: check the endpoint URL and that this computer is online (dial tcp: lookup ctwiz.invalid…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := newClient(t, Config{Endpoint: tt.endpoint, Username: "u", Password: testPassword, RetryBackoff: time.Millisecond}).Find(t.Context(), student())
			e, ok := err.(*Error)
			if !ok {
				t.Fatalf("err = %T %v", err, err)
			}
			if e.Kind != tt.kind || e.Retryable != tt.retryable || e.Attempts != tt.attempts {
				t.Errorf("kind %s retryable %v attempts %d; want %s %v %d (%v)", e.Kind, e.Retryable, e.Attempts, tt.kind, tt.retryable, tt.attempts, err)
			}
			checkMessage(t, err.Error(), tt.msg)
		})
	}
}

// A server that reads the request line but never answers, over plain
// http on loopback (the sandbox case).
func TestPlainHTTPLoopbackTimeout(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				_, _ = bufio.NewReader(c).ReadString('\n')
				time.Sleep(2 * time.Second)
			}()
		}
	}()
	c := newClient(t, Config{Endpoint: "http://" + l.Addr().String() + "/IISService", Timeout: 100 * time.Millisecond, ConnectTimeout: 50 * time.Millisecond, RetryBackoff: time.Millisecond})
	_, err = c.Ping(t.Context())
	if !isKind(err, KindTimeout) {
		t.Fatalf("err = %v", err)
	}
	checkMessage(t, err.Error(), "CT WiZ did not answer within 100ms; try again later (…")
}
