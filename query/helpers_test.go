package query

import (
	"bytes"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ctwiz-nurse/ctwiz-nurse/cdcsoap"
	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
)

// Test credentials; tests assert they never reach a trace or a message.
const (
	testUser     = "nurse.jones"
	testPassword = "S3cret&<pw>"
	testFacility = "CTNURSE01"
)

// exchange is one request as the fake registry saw it.
type exchange struct {
	ContentType string
	RemoteAddr  string // the client's end of the connection
	Raw         []byte // the envelope as sent
	Req         *cdcsoap.Request
	HL7         *hl7.Message // parsed hl7Message, nil for connectivityTest
}

// registry is a fake CT WiZ behind httptest: it decodes each request with
// cdcsoap and calls answer.
type registry struct {
	t      *testing.T
	srv    *httptest.Server
	mu     sync.Mutex
	seen   []exchange
	answer func(w http.ResponseWriter, r *http.Request, x exchange)
}

func (g *registry) handle(w http.ResponseWriter, r *http.Request) {
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		return
	}
	x := exchange{ContentType: r.Header.Get("Content-Type"), RemoteAddr: r.RemoteAddr, Raw: raw}
	req, _, err := cdcsoap.DecodeRequest(bytes.NewReader(raw))
	if err != nil {
		g.t.Errorf("registry: bad request: %v", err)
		http.Error(w, "bad request", 400)
		return
	}
	x.Req = req
	if req.Operation == cdcsoap.OpSubmitSingleMessage {
		if x.HL7, err = hl7.Parse([]byte(req.HL7Message)); err != nil {
			g.t.Errorf("registry: request HL7: %v", err)
		}
	}
	g.mu.Lock()
	g.seen = append(g.seen, x)
	g.mu.Unlock()
	g.answer(w, r, x)
}

func (g *registry) requests() []exchange {
	g.mu.Lock()
	defer g.mu.Unlock()
	return slices.Clone(g.seen)
}

// newRegistry starts a TLS fake registry and returns it with a Config
// that trusts its certificate (through CAFile, as a test environment
// would) and retries without real waits.
func newRegistry(t *testing.T, answer func(w http.ResponseWriter, r *http.Request, x exchange)) (*registry, Config) {
	t.Helper()
	g := &registry{t: t, answer: answer}
	g.srv = httptest.NewTLSServer(http.HandlerFunc(g.handle))
	t.Cleanup(g.srv.Close)
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: g.srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	return g, Config{
		Endpoint: g.srv.URL + "/IISService", Username: testUser, Password: testPassword, FacilityID: testFacility,
		SendingApp: "CTWIZNURSE", CAFile: ca, RetryBackoff: time.Millisecond,
	}
}

func newClient(t testing.TB, cfg Config) *Client {
	t.Helper()
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// sample reads a reply from hl7/testdata with MSA-2 set to control (when
// not empty), segments ending in end.
func sample(t testing.TB, name, control, end string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "hl7", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n"), "\n")
	for i, l := range lines {
		if control != "" && strings.HasPrefix(l, "MSA|") {
			f := strings.Split(l, "|")
			f[2] = control
			lines[i] = strings.Join(f, "|")
		}
	}
	return strings.Join(lines, end) + end
}

// reply answers with the HL7 in a SOAP 1.2 envelope.
func reply(w http.ResponseWriter, hl7Text string) {
	_ = cdcsoap.WriteResponse(w, cdcsoap.SOAP12, &cdcsoap.Response{Operation: cdcsoap.OpSubmitSingleMessage, Return: hl7Text})
}

// answerSample answers every query with a sample whose MSA-2 matches.
func answerSample(t testing.TB, name string) func(http.ResponseWriter, *http.Request, exchange) {
	return func(w http.ResponseWriter, r *http.Request, x exchange) {
		if x.HL7 == nil {
			_ = cdcsoap.WriteResponse(w, cdcsoap.SOAP12, &cdcsoap.Response{Operation: cdcsoap.OpConnectivityTest, Return: "echo: " + x.Req.EchoBack})
			return
		}
		reply(w, sample(t, name, x.HL7.ControlID(), "\r"))
	}
}

func student() hl7.Demographics {
	return hl7.Demographics{Last: "Butte", First: "Dianthe", Middle: "Mariam", BirthDate: time.Date(2014, 8, 15, 0, 0, 0, 0, time.UTC), Sex: "F"}
}
