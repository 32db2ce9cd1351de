package query

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ctwiz-nurse/ctwiz-nurse/cdcsoap"
	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
)

func TestFindRecord(t *testing.T) {
	g, cfg := newRegistry(t, answerSample(t, "rsp_z42_ct_wiz_webiz.hl7"))
	cfg.ProcessingID = "T"
	resp, err := newClient(t, cfg).Find(t.Context(), student())
	if err != nil {
		t.Fatal(err)
	}
	if resp.Outcome != hl7.OutcomeRecord || len(resp.Patients) != 1 || resp.Patients[0].RegistryID != "867287" || len(resp.Immunizations) == 0 || len(resp.Forecast) == 0 {
		t.Fatalf("outcome %s, %d patients, %d doses, %d forecasts", resp.Outcome, len(resp.Patients), len(resp.Immunizations), len(resp.Forecast))
	}
	// The request as the WSDL says.
	x := g.requests()[0]
	if want := `application/soap+xml; charset=UTF-8; action="urn:cdc:iisb:2011:submitSingleMessage"`; x.ContentType != want {
		t.Errorf("Content-Type = %q, want %q", x.ContentType, want)
	}
	order := regexp.MustCompile(`<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><submitSingleMessage xmlns="urn:cdc:iisb:2011"><username>nurse.jones</username><password>S3cret&amp;&lt;pw&gt;</password><facilityID>CTNURSE01</facilityID><hl7Message>MSH\|\^~\\&amp;\|[^<]*&#xD;QPD\|[^<]*&#xD;RCP\|[^<]*&#xD;</hl7Message></submitSingleMessage></soap:Body></soap:Envelope>$`)
	if !order.Match(x.Raw) {
		t.Errorf("envelope does not have the WSDL's shape:\n%s", x.Raw)
	}
	m := x.HL7
	for path, want := range map[string]string{
		"MSH-3": "CTWIZNURSE", "MSH-4": testFacility, "MSH-6": "CT0000", "MSH-11": "T", "MSH-21": "Z44",
		"QPD-1": "Z44", "QPD-4.1": "Butte", "QPD-6": "20140815", "RCP-2.1": "10",
	} {
		if got := m.Get(path); got != want {
			t.Errorf("%s = %q, want %q", path, got, want)
		}
	}
	// MSH-7: the time of sending, with its zone offset (CT WiZ asks for
	// the current time in every message).
	if sent, err := time.Parse("20060102150405-0700", m.Get("MSH-7")); err != nil || time.Since(sent).Abs() > time.Minute {
		t.Errorf("MSH-7 = %q (%v), want the current time as YYYYMMDDHHMMSS+ZZZZ", m.Get("MSH-7"), err)
	}
	if id := m.ControlID(); id == "" || len(id) > hl7.MaxControlIDLen || m.Get("QPD-2") != id {
		t.Errorf("MSH-10 %q, QPD-2 %q: want one control ID of at most %d characters", id, m.Get("QPD-2"), hl7.MaxControlIDLen)
	}
	if x.Req.Username != testUser || x.Req.Password != testPassword || x.Req.FacilityID != testFacility {
		t.Errorf("credentials sent: %q %q %q", x.Req.Username, x.Req.Password, x.Req.FacilityID)
	}
}

// A hostile last name reaches the registry escaped inside QPD-4, and the
// XML carries the & as &amp;.
func TestHostileNameEscaped(t *testing.T) {
	g, cfg := newRegistry(t, answerSample(t, "rsp_z33_nf_ig.hl7"))
	d := student()
	d.Last = `A|B^C~D\E&F`
	resp, err := newClient(t, cfg).Find(t.Context(), d)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Outcome != hl7.OutcomeNotFound {
		t.Errorf("outcome %s", resp.Outcome)
	}
	x := g.requests()[0]
	qpd, _ := x.HL7.First("QPD")
	if got, want := qpd.Field(4), `A\F\B\S\C\R\D\E\E\T\F^Dianthe^Mariam^^^^L`; got != want {
		t.Errorf("QPD-4 raw = %q, want %q", got, want)
	}
	if got := qpd.Get("QPD-4.1"); got != d.Last {
		t.Errorf("QPD-4.1 unescaped = %q, want %q", got, d.Last)
	}
	if !bytes.Contains(x.Raw, []byte(`|A\F\B\S\C\R\D\E\E\T\F^Dianthe`)) {
		t.Errorf("the XML does not carry the escaped name as text:\n%s", x.Raw)
	}
	if n := len(x.HL7.Segments); n != 3 {
		t.Errorf("the name split the query into %d segments", n)
	}
}

func TestTwoStepLookup(t *testing.T) {
	var fetched []string
	var mu sync.Mutex
	g, cfg := newRegistry(t, func(w http.ResponseWriter, r *http.Request, x exchange) {
		if sr := x.HL7.Get("QPD-3.1"); x.HL7.Get("QPD-3.5") == "SR" {
			mu.Lock()
			fetched = append(fetched, sr+"@"+x.HL7.Get("QPD-3.4"))
			mu.Unlock()
			reply(w, sample(t, "rsp_z42_ct_wiz_webiz.hl7", x.HL7.ControlID(), "\r"))
			return
		}
		reply(w, sample(t, "rsp_z31_ig_two_candidates.hl7", x.HL7.ControlID(), "\r"))
	})
	c := newClient(t, cfg)
	d := student()
	d.IDs = []hl7.Identifier{{ID: "C39K78647", Authority: "AART", Type: "MR"}}
	resp, err := c.Find(t.Context(), d)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Outcome != hl7.OutcomeCandidates || len(resp.Patients) != 2 {
		t.Fatalf("outcome %s with %d patients, want 2 candidates", resp.Outcome, len(resp.Patients))
	}
	// CT WiZ's sample has registry ID 867287 and another name: the record
	// fetched for candidate 2 (Child, Robert, 123456) is marked as not
	// the student chosen, field by field.
	other, err := c.Fetch(t.Context(), resp.Patients[1], d)
	if err != nil || other.Mismatch == nil {
		t.Fatalf("fetch of candidate 2 = %v, mismatch %+v", err, other)
	}
	if got := fmt.Sprint(other.Mismatch.Fields); got != "[{family Child BUTTE} {given Robert DIANTHE MARIAM} {birthDate 2005-05-12 2014-08-15} {registryId 123456 867287}]" {
		t.Errorf("fetch of candidate 2: disagreements %s", got)
	}
	// By registry ID alone, the record is compared with the demographics
	// typed, which are its patient's.
	rec, err := c.Fetch(t.Context(), hl7.Patient{RegistryID: "867287"}, d)
	if err != nil || rec.Outcome != hl7.OutcomeRecord || rec.Patients[0].RegistryID != "867287" || rec.Mismatch != nil {
		t.Fatalf("fetch by ID: %v, %+v", err, rec)
	}
	if want := []string{"123456@MYStateIIS", "867287@CT0000"}; fmt.Sprint(fetched) != fmt.Sprint(want) {
		t.Errorf("fetched %v, want %v", fetched, want)
	}
	// The nurse's other identifiers travel with the SR ID.
	last := g.requests()[2].HL7
	if last.Get("QPD-3[2].1") != "C39K78647" || last.Get("QPD-4.1") != "Butte" {
		t.Errorf("fetch QPD-3 %q QPD-4 %q", last.Get("QPD-3[2].1"), last.Get("QPD-4.1"))
	}
	if _, err := c.Fetch(t.Context(), hl7.Patient{}, d); !isKind(err, KindBadReply) || !strings.Contains(err.Error(), "has no registry ID") {
		t.Errorf("fetch without ID = %v", err)
	}
}

// Registries that type their own patient number LR, PI or not at all
// (Michigan's MCIR sends none) still allow the second step: the
// identifier goes back exactly as the registry gave it, with its
// authority and type, and the record that carries it is accepted.
func TestTwoStepLookupOtherIDTypes(t *testing.T) {
	var mu sync.Mutex
	var fetched []string
	_, cfg := newRegistry(t, func(w http.ResponseWriter, r *http.Request, x exchange) {
		ctl := x.HL7.ControlID()
		head := "MSH|^~\\&|IIS|X|||20240101||RSP^K11^RSP_K11|R" + ctl + "|P|2.5.1|||||||||"
		qpd, _ := x.HL7.First("QPD")
		if id := qpd.Value(3, 1, 1, 1); id != "" && qpd.Value(3, 1, 5, 1) != "MR" {
			mu.Lock()
			fetched = append(fetched, id+"^"+qpd.Value(3, 1, 4, 1)+"^"+qpd.Value(3, 1, 5, 1))
			mu.Unlock()
			reply(w, head+"Z42^CDCPHINVS\rMSA|AA|"+ctl+"\rQAK|"+ctl+"|OK\rPID|1||"+qpd.Field(3)+"||LUNDGREN^SIGMUND||20120419|M\r")
			return
		}
		reply(w, head+"Z31^CDCPHINVS\rMSA|AA|"+ctl+"\rQAK|"+ctl+"|OK\r"+
			"PID|1||36410259754^^^MIA~Q1^^^MIA^MR||LUNDGREN^SIGMUND||20120419|M\r"+
			"PID|2||L5^^^NM^LR||LUNDGREN^SIGMUND||20120419|M\r"+
			"PID|3||P2^^^^PI||LUNDGREN^SIGMUND||20120419|M\r")
	})
	c := newClient(t, cfg)
	d := student()
	resp, err := c.Find(t.Context(), d)
	if err != nil || len(resp.Patients) != 3 {
		t.Fatalf("find: %v, %+v", err, resp)
	}
	for i, want := range []string{"36410259754", "L5", "P2"} {
		if got := resp.Patients[i].RegistryID; got != want {
			t.Errorf("candidate %d registry ID %q, want %q", i+1, got, want)
		}
		rec, err := c.Fetch(t.Context(), resp.Patients[i], d)
		if err != nil || rec.Outcome != hl7.OutcomeRecord || rec.Patients[0].RegistryID != want {
			t.Errorf("fetch candidate %d: %v, %+v", i+1, err, rec)
		}
	}
	// An identifier without an authority gets the receiving facility (CT0000 by default).
	if want := []string{"36410259754^MIA^", "L5^NM^LR", "P2^CT0000^PI"}; fmt.Sprint(fetched) != fmt.Sprint(want) {
		t.Errorf("fetched %q, want %q", fetched, want)
	}
}

func TestFetchGetsCandidatesAgain(t *testing.T) {
	_, cfg := newRegistry(t, answerSample(t, "rsp_z31_three_candidates_sample085.hl7"))
	_, err := newClient(t, cfg).Fetch(t.Context(), hl7.Patient{RegistryID: "1"}, student())
	if !isKind(err, KindBadReply) || !strings.Contains(err.Error(), "with a list of candidates") {
		t.Errorf("err = %v", err)
	}
}

// search_profile = "Z34": search with Z34, then fetch the single patient
// with Z44 by registry ID.
func TestSearchProfileZ34(t *testing.T) {
	g, cfg := newRegistry(t, func(w http.ResponseWriter, r *http.Request, x exchange) {
		if x.HL7.Get("MSH-21") == "Z34" {
			reply(w, sample(t, "rsp_z32_ig_example.hl7", x.HL7.ControlID(), "\r"))
			return
		}
		s := sample(t, "rsp_z42_ct_wiz_webiz.hl7", x.HL7.ControlID(), "\r")
		reply(w, strings.Replace(s, "867287^^^CT0000^SR", "987633^^^MYIIS^SR", 1))
	})
	cfg.SearchProfile = "Z34"
	resp, err := newClient(t, cfg).Find(t.Context(), student())
	if err != nil {
		t.Fatal(err)
	}
	if resp.Profile != "Z42" || resp.Outcome != hl7.OutcomeRecord || len(resp.Forecast) == 0 {
		t.Errorf("profile %s outcome %s forecast %d", resp.Profile, resp.Outcome, len(resp.Forecast))
	}
	reqs := g.requests()
	if len(reqs) != 2 || reqs[0].HL7.Get("QPD-1") != "Z34" || reqs[1].HL7.Get("QPD-1") != "Z44" || reqs[1].HL7.Get("QPD-3") != "987633" || reqs[1].HL7.Get("QPD-3.4") != "MYIIS" {
		for _, r := range reqs {
			t.Logf("%s", r.Req.HL7Message)
		}
		t.Errorf("requests: %d", len(reqs))
	}
}

func TestPing(t *testing.T) {
	g, cfg := newRegistry(t, answerSample(t, ""))
	cfg.Username, cfg.Password = "", "" // connectivityTest needs no account
	echo, err := newClient(t, cfg).Ping(t.Context())
	if err != nil || echo != "echo: ctwiz-nurse connectivity test" {
		t.Fatalf("Ping = %q, %v", echo, err)
	}
	x := g.requests()[0]
	if want := `application/soap+xml; charset=UTF-8; action="urn:cdc:iisb:2011:connectivityTest"`; x.ContentType != want || x.Req.Operation != cdcsoap.OpConnectivityTest {
		t.Errorf("Content-Type %q op %s", x.ContentType, x.Req.Operation)
	}
}

func TestTraceRedacted(t *testing.T) {
	_, cfg := newRegistry(t, answerSample(t, "rsp_z42_ct_wiz_webiz.hl7"))
	var trace bytes.Buffer
	cfg.Trace = &trace
	d := student()
	d.MotherMaidenLast = "Blaine"
	d.Phone = "9062695696"
	if _, err := newClient(t, cfg).Find(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	out := trace.String()
	for _, secret := range []string{testUser, testPassword, "S3cret", "Butte", "BUTTE", "Dianthe", "DIANTHE", "20140815", "Blaine", "867287", "2695696", "IVERSEN", "20150826", "<soap", "password"} {
		if strings.Contains(out, secret) {
			t.Errorf("trace contains %q:\n%s", secret, out)
		}
	}
	for _, want := range []string{"HL7 sent Z44 query", "HL7 received", "submitSingleMessage attempt 1: HTTP 200", "QPD|Z44^Request Evaluated History and Forecast^CDCPHINVS|", "  PID|*||*^^^*^*~*^^^*^*||*^*^*^^^^*|", "  MSA|AA|CTWN", "OBX|1|CE|30956-7^Vaccine Type^LN|1|03^*^CVX||||||F|||*", "OBX|2|DT|30981-5^Earliest date dose should be given^LN|1|*||||||F|||*"} {
		if !strings.Contains(out, want) {
			t.Errorf("trace lacks %q:\n%s", want, out)
		}
	}
}

func TestConcurrentFinds(t *testing.T) {
	g, cfg := newRegistry(t, answerSample(t, "rsp_z42_ct_wiz_webiz.hl7"))
	c := newClient(t, cfg)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if resp, err := c.Find(t.Context(), student()); err != nil || resp.Outcome != hl7.OutcomeRecord {
				t.Errorf("Find: %v", err)
			}
		})
	}
	wg.Wait()
	ids := map[string]bool{}
	for _, x := range g.requests() {
		ids[x.HL7.ControlID()] = true
	}
	if len(ids) != 8 {
		t.Errorf("%d distinct control IDs for 8 queries", len(ids))
	}
}

func TestInvalidDemographics(t *testing.T) {
	g, cfg := newRegistry(t, answerSample(t, "rsp_z33_nf_ig.hl7"))
	d := student()
	d.First = ""
	_, err := newClient(t, cfg).Find(t.Context(), d)
	var fe *hl7.FieldError
	if !isKind(err, KindInvalid) || !errors.As(err, &fe) || fe.Field != "first name" || err.Error() != "first name: required" {
		t.Errorf("err = %v", err)
	}
	if len(g.requests()) != 0 {
		t.Error("an invalid query was sent")
	}
}

func TestNewRefuses(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"no endpoint", Config{}, "no CT WiZ endpoint is configured"},
		{"plain http to a remote host", Config{Endpoint: "http://ctwiz.example.org/IISService"}, "uses plain http://, which would send the password and patient data unencrypted"},
		{"not a URL", Config{Endpoint: "ctwiz.example.org"}, `the endpoint "ctwiz.example.org" is not a web address`},
		{"credentials in URL", Config{Endpoint: "https://u:hunter2@ctwiz.example.org/"}, "must not contain a username or password"},
		{"credentials in a bad URL", Config{Endpoint: "ftp://u:hunter2@ctwiz.example.org/"}, "must not contain a username or password"},
		{"unparsable URL with credentials", Config{Endpoint: "https://u:hunter2@ctwiz example.org/%zz"}, "the endpoint is not a web address"},
		{"password in the query string", Config{Endpoint: "https://ctwiz.example.org/IISService?password=hunter2"}, "the endpoint https://ctwiz.example.org/IISService is followed by a query string"},
		{"password in the fragment", Config{Endpoint: "https://ctwiz.example.org/IISService#hunter2"}, "is followed by a query string"},
		{"password in a bad URL's query", Config{Endpoint: "ftp://ctwiz.example.org/?pw=hunter2"}, "is followed by a query string"},
		{"missing CA file", Config{Endpoint: "https://ctwiz.example.org/", CAFile: "/nonexistent.pem"}, "cannot read the CA file of the profile (open /nonexistent.pem: no such file or directory)"},
		{"CA file without PEM", Config{Endpoint: "https://ctwiz.example.org/", CAFile: "client_test.go"}, "the CA file client_test.go holds no PEM certificate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.cfg)
			if !isKind(err, KindConfig) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v\nwant KindConfig containing %q", err, tt.want)
			}
			if err != nil && strings.Contains(err.Error(), "hunter2") {
				t.Errorf("the message repeats the password: %v", err)
			}
		})
	}
	for _, ep := range []string{"http://127.0.0.1:1/IISService", "http://localhost:8080/", "http://[::1]:9/"} {
		if _, err := New(Config{Endpoint: ep}); err != nil {
			t.Errorf("loopback %s refused: %v", ep, err)
		}
	}
}

func TestMissingCredentials(t *testing.T) {
	_, cfg := newRegistry(t, answerSample(t, "rsp_z33_nf_ig.hl7"))
	cfg.Password = ""
	_, err := newClient(t, cfg).Find(t.Context(), student())
	if !isKind(err, KindConfig) || !strings.Contains(err.Error(), "store them with 'ctwiz-nurse login'") {
		t.Errorf("err = %v", err)
	}
}

// TestSamePassword: the lock's check (issue 11.2) accepts only the
// password the client sends, exactly, and sends nothing to find out.
func TestSamePassword(t *testing.T) {
	g, cfg := newRegistry(t, answerSample(t, "rsp_z33_nf_ig.hl7"))
	c := newClient(t, cfg)
	noPassword := cfg
	noPassword.Password = ""
	tests := []struct {
		name   string
		client *Client
		typed  string
		want   bool
	}{
		{"the same", c, testPassword, true},
		{"another", c, "wrong", false},
		{"a prefix", c, testPassword[:len(testPassword)-1], false},
		{"one more character", c, testPassword + "x", false},
		{"other case", c, strings.ToLower(testPassword), false},
		{"a trailing space", c, testPassword + " ", false},
		{"empty", c, "", false},
		{"empty, client without a password", newClient(t, noPassword), "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.client.SamePassword(tt.typed); got != tt.want {
				t.Errorf("SamePassword = %v, want %v", got, tt.want)
			}
		})
	}
	if n := len(g.requests()); n != 0 {
		t.Errorf("%d requests sent to compare a password", n)
	}
}

func TestCancelDuringBackoff(t *testing.T) {
	_, cfg := newRegistry(t, func(w http.ResponseWriter, r *http.Request, x exchange) {
		http.Error(w, "busy", http.StatusServiceUnavailable)
	})
	cfg.RetryBackoff = time.Hour
	cfg.Timeout = 3 * time.Hour // room for the backoff
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, err := newClient(t, cfg).Find(ctx, student())
	if !isKind(err, KindCanceled) || err.Error() != "the query was canceled" || time.Since(start) > 5*time.Second {
		t.Errorf("err = %v after %v", err, time.Since(start))
	}
}

func TestBackoff(t *testing.T) {
	for _, tt := range []struct {
		n        int
		min, max time.Duration
	}{{1, 250 * time.Millisecond, 500 * time.Millisecond}, {2, 500 * time.Millisecond, time.Second}} {
		lo := backoff(500*time.Millisecond, tt.n, func(time.Duration) time.Duration { return 0 })
		hi := backoff(500*time.Millisecond, tt.n, func(d time.Duration) time.Duration { return d - 1 })
		if lo != tt.min || hi != tt.max {
			t.Errorf("retry %d: %v..%v, want %v..%v", tt.n, lo, hi, tt.min, tt.max)
		}
	}
}

func isKind(err error, k Kind) bool {
	var e *Error
	return errors.As(err, &e) && e.Kind == k
}

// The reply is read to its end, so a search and its fetch share one
// connection (one TLS handshake).
func TestConnectionReused(t *testing.T) {
	g, cfg := newRegistry(t, answerSample(t, "rsp_z42_ct_wiz_webiz.hl7"))
	c := newClient(t, cfg)
	for range 3 {
		if _, err := c.Find(t.Context(), student()); err != nil {
			t.Fatal(err)
		}
	}
	conns := map[string]bool{}
	for _, x := range g.requests() {
		conns[x.RemoteAddr] = true
	}
	if len(conns) != 1 {
		t.Errorf("%d connections for 3 sequential queries, want 1", len(conns))
	}
}

func TestReadableTimeout(t *testing.T) {
	for d, want := range map[time.Duration]string{
		150 * time.Millisecond: "150ms", time.Second: "1 second", 15 * time.Second: "15 seconds",
		DefaultTimeout: "60 seconds", 1500 * time.Millisecond: "1.5s",
	} {
		if got := readable(d); got != want {
			t.Errorf("readable(%v) = %q, want %q", d, got, want)
		}
	}
}

// Timeout bounds the whole call: a registry that never answers costs the
// nurse Timeout once, not once per retry; a retry that would start after
// it is not tried.
func TestTimeoutBoundsTheWholeCall(t *testing.T) {
	g, cfg := newRegistry(t, func(w http.ResponseWriter, r *http.Request, x exchange) {
		<-r.Context().Done()
	})
	cfg.Timeout = 300 * time.Millisecond
	start := time.Now()
	_, err := newClient(t, cfg).Find(t.Context(), student())
	took := time.Since(start)
	if !isKind(err, KindTimeout) || took > 800*time.Millisecond || len(g.requests()) != 1 {
		t.Errorf("err %v after %v and %d requests; want a timeout after about 300ms, one request", err, took, len(g.requests()))
	}

	busy, cfg := newRegistry(t, func(w http.ResponseWriter, r *http.Request, x exchange) {
		http.Error(w, "busy", http.StatusServiceUnavailable)
	})
	cfg.Timeout, cfg.RetryBackoff = 300*time.Millisecond, 800*time.Millisecond
	_, err = newClient(t, cfg).Find(t.Context(), student())
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindHTTP || e.Attempts != 1 || len(busy.requests()) != 1 {
		t.Errorf("err %v (attempts %d, %d requests): the 400-800ms backoff does not fit in 300ms, so no retry", err, e.Attempts, len(busy.requests()))
	}
}

// A registry may echo what it was sent: the password never reaches an
// error's text, the fault kept in it, or the trace, and the trace holds
// no text of the registry's at all, only kinds and codes.
func TestRegistryTextScrubbed(t *testing.T) {
	tests := []struct {
		name     string
		password string
		answer   func(w http.ResponseWriter)
		want     string // in the error's text
		trace    string // in the trace
	}{
		{"fault detail echoes the password", testPassword, func(w http.ResponseWriter) {
			_ = cdcsoap.WriteFault(w, cdcsoap.SOAP12, cdcsoap.NewFault(cdcsoap.SecurityFault, 401, "Password "+testPassword+" is wrong for DOE^JANE"))
		}, "SecurityFault 401: Password [redacted] is wrong for DOE^JANE", ": auth (SecurityFault 401)"},
		{"fault reason echoes it", testPassword, func(w http.ResponseWriter) {
			f := cdcsoap.NewFault(cdcsoap.UnknownFault, 7, "bad login")
			f.Reason = "login " + testPassword
			_ = cdcsoap.WriteFault(w, cdcsoap.SOAP12, f)
		}, "UnknownFault 7: login [redacted]", ": fault (UnknownFault 7)"},
		{"a reply quoting it", "hunter2pw", func(w http.ResponseWriter) {
			writeSOAP(w, 200, soap12, "<hunter2pw>DOE^JANE</hunter2pw>")
		}, "the document is <[redacted]>", ": bad_reply"},
		{"an HL7 reply quoting it", "hunter2pw", func(w http.ResponseWriter) {
			reply(w, "MSH|^~\\&|A|B|||20260101||hunter2pw|R1|P|2.5.1\r")
		}, `the message type (MSH-9) is "[redacted]"`, "||[redacted]|R1|"},
		{"an MSA-2 quoting it", "hunter2pw", func(w http.ResponseWriter) {
			reply(w, "MSH|^~\\&|A|B|||20260101||RSP^K11^RSP_K11|R1|P|2.5.1\rMSA|AA|hunter2pw\rQAK|T|OK|Z44\r")
		}, `(MSA-2 "[redacted]", expected`, "MSA|AA|[redacted]"},
		{"a redirect to it", "hunter2pw", func(w http.ResponseWriter) {
			w.Header().Set("Location", "https://example.org/?p=hunter2pw")
			w.WriteHeader(http.StatusFound)
		}, "to https://example.org/?p=[redacted])", ": http (HTTP 302)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, cfg := newRegistry(t, func(w http.ResponseWriter, r *http.Request, x exchange) { tt.answer(w) })
			cfg.Password = tt.password
			var trace bytes.Buffer
			cfg.Trace = &trace
			_, err := newClient(t, cfg).Find(t.Context(), student())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
			texts := []string{trace.String()}
			for e := error(err); e != nil; e = errors.Unwrap(e) {
				texts = append(texts, e.Error())
			}
			if qe, ok := errors.AsType[*Error](err); ok && qe.Fault != nil {
				texts = append(texts, fmt.Sprintf("%+v", *qe.Fault))
			}
			for _, s := range texts {
				if strings.Contains(s, tt.password) {
					t.Errorf("the password is in %q", s)
				}
			}
			if out := trace.String(); !strings.Contains(out, tt.trace) || strings.Contains(out, "DOE") || strings.Contains(out, "CT WiZ") {
				t.Errorf("trace should hold only the kind and codes (%q):\n%s", tt.trace, out)
			}
		})
	}
}

// Printing a Config or a Client, with any verb, never shows the password.
func TestPrintingRedactsPassword(t *testing.T) {
	cfg := Config{Endpoint: "https://ctwiz.example.org/IISService", Username: testUser, Password: testPassword, FacilityID: testFacility}
	client := newClient(t, cfg)
	for _, v := range []any{cfg, &cfg, client} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			got := fmt.Sprintf(verb, v)
			if strings.Contains(got, "S3cret") || !strings.Contains(got, "[redacted]") || !strings.Contains(got, testUser) {
				t.Errorf("%s of %T = %s", verb, v, got)
			}
		}
	}
	if got := fmt.Sprintf("%#v", cfg); !strings.HasPrefix(got, "query.Config{Endpoint:") {
		t.Errorf("%%#v = %s", got)
	}
	if got := fmt.Sprintf("%#v", client); !strings.HasPrefix(got, "&query.Client{cfg:query.Config{Endpoint:") {
		t.Errorf("%%#v = %s", got)
	}
	if got := fmt.Sprintf("%+v", Config{}); strings.Contains(got, "redacted") {
		t.Errorf("an empty password is shown as redacted: %s", got)
	}
}

// The wrong-student guard: every record reply's patient is compared with
// what was asked (hl7.ComparePatient), on each way to a record, and the
// disagreements come back in Response.Mismatch.
func TestWrongStudentGuard(t *testing.T) {
	const z42 = "rsp_z42_ct_wiz_webiz.hl7" // BUTTE, DIANTHE MARIAM, 2014-08-15, 867287
	withID := func(d hl7.Demographics, id string) hl7.Demographics {
		d.IDs = []hl7.Identifier{{ID: id, Type: "SR"}}
		return d
	}
	bob := student()
	bob.Last, bob.First, bob.Middle = "Jones", "Bob", ""
	for _, tc := range []struct {
		name    string
		edit    func(profile, reply string) string // changes the sample before it is sent
		z34     bool                               // search with Z34, then fetch with Z44
		fetch   *hl7.Patient                       // Fetch this candidate instead of Find
		d       hl7.Demographics
		want    string // the disagreeing fields
		asked   string // Mismatch.Asked's registry ID
		regGot  string // Mismatch.Registry's registry ID
		wantNil bool
	}{
		{name: "the student asked for", d: student(), wantNil: true},
		{name: "the student asked for, by registry ID", d: withID(student(), "867287"), wantNil: true},
		{name: "a plain search answered with another patient", d: bob, want: "family given", regGot: "867287"},
		{name: "a registry ID naming another student (Jones, Bob + ID)", d: withID(bob, "867287"), want: "family given", asked: "867287", regGot: "867287"},
		{name: "a registry ID, answered with another", d: withID(student(), "555"), want: "registryId", asked: "555", regGot: "867287"},
		{name: "a fetch answered with another registry ID", d: student(), fetch: &hl7.Patient{RegistryID: "555"},
			want: "registryId", asked: "555", regGot: "867287"},
		{name: "a fetch answered with no registry ID", d: student(), fetch: &hl7.Patient{RegistryID: "867287"},
			edit: func(_, r string) string { return strings.Replace(r, "867287^^^CT0000^SR~", "", 1) },
			want: "registryId", asked: "867287", regGot: ""},
		{name: "a fetch of a listed candidate is compared with the candidate", d: bob,
			fetch: &hl7.Patient{RegistryID: "867287", Family: "Butte", Given: "Dianthe", BirthDate: "2014-08-15"}, wantNil: true},
		{name: "Z34 then Z44: the record is compared with what was typed", z34: true, d: bob, want: "family given", asked: "867287", regGot: "867287"},
		{name: "Z34 then Z44: the record names another registry ID than the search", z34: true, d: student(),
			edit: func(p, r string) string {
				if p == "Z44" {
					return strings.Replace(r, "867287^^^CT0000^SR", "111^^^CT0000^SR", 1)
				}
				return r
			},
			want: "registryId", asked: "867287", regGot: "111"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, cfg := newRegistry(t, func(w http.ResponseWriter, r *http.Request, x exchange) {
				p := x.HL7.Get("MSH-21")
				s := sample(t, z42, x.HL7.ControlID(), "\r")
				if p == "Z34" {
					// A Z32 of the same patient, with its registry ID.
					s = strings.Replace(s, "Z42^CDCPHINVS", "Z32^CDCPHINVS", 1)
				}
				if tc.edit != nil {
					s = tc.edit(p, s)
				}
				reply(w, s)
			})
			if tc.z34 {
				cfg.SearchProfile = "Z34"
			}
			c := newClient(t, cfg)
			var resp *hl7.Response
			var err error
			if tc.fetch != nil {
				resp, err = c.Fetch(t.Context(), *tc.fetch, tc.d)
			} else {
				resp, err = c.Find(t.Context(), tc.d)
			}
			if err != nil {
				t.Fatal(err)
			}
			if resp.Outcome != hl7.OutcomeRecord {
				t.Fatalf("outcome %s", resp.Outcome)
			}
			m := resp.Mismatch
			if tc.wantNil {
				if m != nil {
					t.Errorf("mismatch %+v, want none", m)
				}
				return
			}
			if m == nil {
				t.Fatal("no mismatch")
			}
			var fields []string
			for _, f := range m.Fields {
				fields = append(fields, f.Field)
			}
			if got := strings.Join(fields, " "); got != tc.want || m.Asked.RegistryID != tc.asked || m.Registry.RegistryID != tc.regGot {
				t.Errorf("disagreements %q (asked ID %q, record's %q), want %q (%q, %q)", got, m.Asked.RegistryID, m.Registry.RegistryID, tc.want, tc.asked, tc.regGot)
			}
		})
	}
}
