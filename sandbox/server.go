package sandbox

import (
	"bytes"
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ctwiz-nurse/ctwiz-nurse/cdcsoap"
	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
)

// Path is where the sandbox serves the CDC WSDL's endpoint.
const Path = "/iis"

// Default credentials of a sandbox started without --user/--password/--facility.
// They are for synthetic data only and are printed when it starts.
const (
	DefaultUsername = "sandbox-nurse"
	DefaultPassword = "sandbox"
	DefaultFacility = "SANDBOX"
)

// MaxMessage is the largest request accepted, the national gateway's cap.
const MaxMessage = 4 << 20

// SlowDefault is how long a --misbehave slow reply waits when no
// --latency is given: past a 60-second read timeout.
const SlowDefault = 65 * time.Second

// Mode is a way the sandbox misbehaves on purpose, as real registries do,
// so clients can be tested against it.
type Mode string

const (
	Normal     Mode = ""
	Slow       Mode = "slow"        // replies after --latency (SlowDefault when none)
	Drop       Mode = "drop"        // closes the connection in the middle of the reply
	SOAP11     Mode = "soap11"      // answers a SOAP 1.2 request in SOAP 1.1
	CDATA      Mode = "cdata"       // the HL7 reply in a CDATA section (raw CR, read back as LF)
	LF         Mode = "lf"          // LF between segments, no final terminator
	AEWarning  Mode = "ae-warning"  // MSA AE with a complete record and a warning ERR (WebIZ)
	NoForecast Mode = "no-forecast" // Z32 (history only) for a Z44 query
	HTMLError  Mode = "html-error"  // an HTML 500 page instead of SOAP
	BadXML     Mode = "bad-xml"     // a reply that is not well-formed XML

	// Replies about another child than the one asked for, for the
	// wrong-student guard.
	WrongPatient Mode = "wrong-patient"  // a record query answered with the next patient's record
	NoRegistryID Mode = "no-registry-id" // records whose PID-3 carries no registry ID

	// Replies that break the CDC implementation guide, for the
	// conformance checks (decode --check, onboard).
	WrongControlID Mode = "wrong-msa2"         // MSA-2 names another query
	Z31WithRXA     Mode = "z31-rxa"            // a candidate list that carries an immunization
	Z42NoForecast  Mode = "z42-no-forecast"    // a Z42 without its forecast (RXA 998)
	NoStatus       Mode = "forecast-no-status" // the first forecast group without its series status
	BadERR         Mode = "bad-err"            // an ERR with no severity, a code outside table 0357 and no location
)

// Modes lists every misbehaviour, for usage text and validation.
var Modes = []Mode{Slow, Drop, SOAP11, CDATA, LF, AEWarning, NoForecast, HTMLError, BadXML, WrongPatient, NoRegistryID,
	WrongControlID, Z31WithRXA, Z42NoForecast, NoStatus, BadERR}

// ModeNames lists the misbehaviours as a --misbehave value is written:
// "slow, drop, ...".
func ModeNames() string {
	names := make([]string, len(Modes))
	for i, m := range Modes {
		names[i] = string(m)
	}
	return strings.Join(names, ", ")
}

// ParseMode reads a --misbehave value ("" is Normal).
func ParseMode(s string) (Mode, error) {
	if s == "" {
		return Normal, nil
	}
	for _, m := range Modes {
		if string(m) == s {
			return m, nil
		}
	}
	return Normal, fmt.Errorf("--misbehave %q is not one of %s", s, ModeNames())
}

// Options configure a sandbox registry.
type Options struct {
	Username, Password, FacilityID string // "" means the Default* value
	NoBuiltin                      bool   // start empty instead of with the built-in students
	Latency                        time.Duration
	Misbehave                      Mode
	MaxCandidates                  int              // most Z31 candidates before Z33 TM; default 10
	Now                            func() time.Time // the sandbox's clock ("today" of forecasts and of the built-in records); default time.Now
	// Log, when set, gets one line per request: operation, message type,
	// answer and time taken. Never credentials or patient data.
	Log    io.Writer
	Limits Limits
	// Synthetic, when set, is a generated school (Synthesize) stored after
	// the built-in students; New fills in each roster student's
	// Truth.RegistryID. It must be made for the sandbox's day.
	Synthetic *Synthetic
}

// Limits bound what clients can make the sandbox hold, so one careless or
// hostile client cannot exhaust it for everyone. A zero field takes its
// default (DefaultLimits).
type Limits struct {
	MaxPatients        int // patients on file; a VXU for one more is answered AE
	MaxDosesPerPatient int // vaccinations on file for one patient; an RXA beyond is not stored (AE)
	MaxDoses           int // vaccinations on file in all
	MaxSegments        int // segments in one message; a longer one is rejected (AR)
	// MaxConcurrent is how many requests are served at once; more are
	// answered at once with HTTP 503 and a SOAP fault.
	MaxConcurrent int
	// ReadTimeout bounds reading a request, headers and body: a client
	// sending a byte now and then is cut off. WriteTimeout bounds writing
	// the reply (after any --latency), IdleTimeout a kept-alive connection
	// waiting for its next request.
	ReadTimeout, WriteTimeout, IdleTimeout time.Duration
}

// DefaultLimits are the limits of a sandbox that sets none: far above a
// school's or a training session's needs (a real record has well under 100
// vaccinations), and a full store stays within a few hundred MB.
var DefaultLimits = Limits{
	MaxPatients:        100_000,
	MaxDosesPerPatient: 300,
	MaxDoses:           1_000_000,
	MaxSegments:        5_000,
	MaxConcurrent:      64,
	ReadTimeout:        30 * time.Second,
	WriteTimeout:       30 * time.Second,
	IdleTimeout:        60 * time.Second,
}

// withDefaults fills the zero fields of l from DefaultLimits.
func (l Limits) withDefaults() Limits {
	set := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	set(&l.MaxPatients, DefaultLimits.MaxPatients)
	set(&l.MaxDosesPerPatient, DefaultLimits.MaxDosesPerPatient)
	set(&l.MaxDoses, DefaultLimits.MaxDoses)
	set(&l.MaxSegments, DefaultLimits.MaxSegments)
	set(&l.MaxConcurrent, DefaultLimits.MaxConcurrent)
	for _, t := range []struct{ v, def *time.Duration }{
		{&l.ReadTimeout, &DefaultLimits.ReadTimeout},
		{&l.WriteTimeout, &DefaultLimits.WriteTimeout},
		{&l.IdleTimeout, &DefaultLimits.IdleTimeout},
	} {
		if *t.v <= 0 {
			*t.v = *t.def
		}
	}
	return l
}

// Server is a sandbox immunization registry: an http.Handler that speaks
// the CDC WSDL at Path. It is safe for concurrent use.
type Server struct {
	reg                          *registry
	username, password, facility string
	latency                      time.Duration
	misbehave                    Mode
	maxCandidates                int
	now                          func() time.Time
	log                          io.Writer
	limits                       Limits
	slots                        chan struct{} // one per request being served
	histories                    historyCache
}

// New returns a sandbox registry, with the built-in synthetic students
// unless o.NoBuiltin.
func New(o Options) (*Server, error) {
	limits := o.Limits.withDefaults()
	s := &Server{
		reg: newRegistry(limits), limits: limits, slots: make(chan struct{}, limits.MaxConcurrent), username: o.Username, password: o.Password, facility: o.FacilityID,
		latency: o.Latency, misbehave: o.Misbehave, maxCandidates: o.MaxCandidates, now: o.Now, log: o.Log,
	}
	if s.username == "" {
		s.username = DefaultUsername
	}
	if s.password == "" {
		s.password = DefaultPassword
	}
	if s.facility == "" {
		s.facility = DefaultFacility
	}
	if s.maxCandidates <= 0 {
		s.maxCandidates = 10
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.misbehave == Slow && s.latency == 0 {
		s.latency = SlowDefault
	}
	if !o.NoBuiltin {
		msgs, err := builtinMessages(s.now())
		if err != nil {
			return nil, fmt.Errorf("sandbox: %w", err)
		}
		for i, msg := range msgs {
			if err := s.seed(msg); err != nil {
				return nil, fmt.Errorf("sandbox: built-in student message %d: %w", i+1, err)
			}
		}
	}
	if o.Synthetic != nil {
		if err := s.storeSynthetic(o.Synthetic); err != nil {
			return nil, fmt.Errorf("sandbox: %w", err)
		}
	}
	return s, nil
}

// HTTPServer returns an http.Server for s with the timeouts of its
// limits. The write timeout counts from the end of the request, so it
// includes the configured latency.
func (s *Server) HTTPServer() *http.Server {
	return &http.Server{Handler: s, ReadTimeout: s.limits.ReadTimeout,
		WriteTimeout: s.latency + s.limits.WriteTimeout, IdleTimeout: s.limits.IdleTimeout}
}

// Credentials are the username, password and facility ID the sandbox accepts.
func (s *Server) Credentials() (username, password, facilityID string) {
	return s.username, s.password, s.facility
}

var blankLine = regexp.MustCompile(`\n[ \t]*\n`)

// Seed stores the VXU^V04 messages of r (separated by blank lines) as if
// they were submitted. It stops at the first message the sandbox does not
// accept, naming it and what was wrong.
func (s *Server) Seed(r io.Reader) error {
	data, err := io.ReadAll(io.LimitReader(r, 64<<20))
	if err != nil {
		return err
	}
	text := strings.ReplaceAll(strings.ReplaceAll(string(data), "\r\n", "\n"), "\r", "\n")
	n := 0
	for _, chunk := range blankLine.Split(text, -1) {
		if strings.TrimSpace(chunk) == "" {
			continue
		}
		n++
		if err := s.seed([]byte(chunk)); err != nil {
			return fmt.Errorf("message %d: %w", n, err)
		}
	}
	if n == 0 {
		return errors.New("no HL7 messages found")
	}
	return nil
}

// seed stores one VXU^V04 as answer would, without building an ACK to
// read back: the errors are taken as they come.
func (s *Server) seed(msg []byte) error {
	m, err := hl7.Parse(msg)
	if err != nil {
		return fmt.Errorf("it is not an HL7 v2 message: %w", err)
	}
	if typ, event := m.Get("MSH-9.1"), m.Get("MSH-9.2"); typ != "VXU" || event != "V04" {
		return fmt.Errorf("it is %s^%s, not a VXU^V04", typ, event)
	}
	ack, errs := "AR", []hl7Error(nil)
	if e := s.check(m); e != nil {
		errs = []hl7Error{*e}
	} else {
		ack, errs = "AE", s.reg.ingestVXU(m, s.now())
	}
	var why []string
	for _, e := range errs {
		if e.severity != "E" {
			continue
		}
		where := e.location[0] // SEG, or SEG-field
		if len(e.location) >= 3 {
			where += "-" + e.location[2]
		}
		why = append(why, where+": "+e.message)
	}
	if len(why) > 0 {
		return fmt.Errorf("not accepted (MSA %s): %s", ack, strings.Join(why, "; "))
	}
	return nil
}

// ServeHTTP serves the CDC WSDL at Path: POST for SOAP, GET ?wsdl for the
// contract.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != Path && r.URL.Path != Path+"/" {
		http.Error(w, "Not found: the sandbox registry's endpoint is "+Path, http.StatusNotFound)
		return
	}
	switch r.Method {
	case http.MethodGet:
		if _, ok := queryKey(r, "wsdl"); ok {
			w.Header().Set("Content-Type", "text/xml; charset=UTF-8")
			_, _ = w.Write(cdcsoap.WSDL("http://" + r.Host + Path))
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=UTF-8")
		fmt.Fprintf(w, "ctwiz-nurse sandbox registry: synthetic data only.\nSOAP 1.2 endpoint (CDC IIS WSDL, urn:cdc:iisb:2011); GET %s?wsdl for the contract.\n", Path)
	case http.MethodPost:
		select {
		case s.slots <- struct{}{}:
			defer func() { <-s.slots }()
		default:
			s.busy(w, r)
			return
		}
		s.serveSOAP(w, r)
	default:
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "Method not allowed: POST SOAP requests, or GET ?wsdl", http.StatusMethodNotAllowed)
	}
}

func queryKey(r *http.Request, key string) (string, bool) {
	for k, v := range r.URL.Query() {
		if strings.EqualFold(k, key) {
			return strings.Join(v, ""), true
		}
	}
	return "", false
}

func (s *Server) serveSOAP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	version, _, _ := cdcsoap.ParseContentType(r.Header.Get("Content-Type"), r.Header.Get("SOAPAction"))
	op, what := "?", ""
	defer func() {
		if s.log != nil {
			fmt.Fprintf(s.log, "%s %s %s %s\n", start.Format(time.TimeOnly), op, what, time.Since(start).Round(time.Millisecond))
		}
	}()
	body := &cappedReader{r: r.Body, left: MaxMessage}
	var req *cdcsoap.Request
	var v cdcsoap.Version
	var err error
	if n := r.ContentLength; n > 0 && n <= smallRequest {
		// A query, read whole (its length is known and small) and decoded
		// at once.
		buf := getBuffer(int(n))
		defer putBuffer(buf)
		if _, err := io.ReadFull(body, (*buf)[:n]); err != nil {
			body.failed = true
			return // the client went away, or was too slow
		}
		req, v, err = cdcsoap.DecodeRequestBytes((*buf)[:n])
	} else {
		// Decoded as it arrives, so a request refused early (too deep,
		// not SOAP) is never held whole in memory.
		req, v, err = cdcsoap.DecodeRequest(body)
	}
	if err != nil {
		// The rest of a refused body (within the cap and the read
		// timeout) is read and dropped before answering: closing on a
		// client still sending resets its connection, and it would see
		// "broken pipe" instead of the fault that says what was wrong.
		if !body.over && !body.failed {
			_, _ = io.Copy(io.Discard, body)
		}
		switch {
		case body.over:
			what = "MessageTooLargeFault"
			s.reply(w, r, version, nil, cdcsoap.NewFault(cdcsoap.MessageTooLargeFault, 413,
				fmt.Sprintf("The request is larger than %d bytes", MaxMessage)))
			return
		case body.failed:
			return // the client went away, or was too slow
		case errors.Is(err, cdcsoap.ErrUnsupportedOperation):
			what = "UnsupportedOperationFault"
			s.reply(w, r, v, nil, cdcsoap.NewFault(cdcsoap.UnsupportedOperationFault, 405,
				"Unsupported operation: this service offers submitSingleMessage and connectivityTest ("+err.Error()+")"))
			return
		}
		what = "UnknownFault"
		s.reply(w, r, v, nil, cdcsoap.NewFault(cdcsoap.UnknownFault, 500, "The request could not be read: "+err.Error()))
		return
	}
	op = string(req.Operation)
	if req.Operation == cdcsoap.OpConnectivityTest {
		what = "echo"
		s.reply(w, r, v, &cdcsoap.Response{Operation: req.Operation, Return: req.EchoBack}, nil)
		return
	}
	if !s.authorized(req) {
		what = "SecurityFault"
		s.reply(w, r, v, nil, cdcsoap.NewFault(cdcsoap.SecurityFault, 401, "Invalid Username, Password or FacilityID"))
		return
	}
	if countMSH(req.HL7Message) > 1 {
		what = "MessageTooLargeFault"
		s.reply(w, r, v, nil, cdcsoap.NewFault(cdcsoap.MessageTooLargeFault, 413,
			"The payload holds more than one message (MSH segment): send one message per request"))
		return
	}
	out := s.answerParts([]byte(req.HL7Message))
	if s.log != nil {
		what = summary(out.head)
	}
	resp := &cdcsoap.Response{Operation: req.Operation, Return: string(out.head)}
	var tail []byte // the history, escaped once for every reply that sends it
	if out.history != nil {
		tail = out.history.xml
	}
	if s.misbehave != Normal {
		whole := s.nonConformant(out.bytes())
		if s.misbehave == LF {
			whole = bytes.TrimRight(bytes.ReplaceAll(whole, []byte("\r"), []byte("\n")), "\n")
		}
		resp.Return, tail = string(whole), nil
	}
	s.replyTail(w, r, v, resp, tail)
}

// smallRequest is the largest request read whole before it is decoded: a
// query is under 2 KB, a VXU of a long record some tens.
const smallRequest = 64 << 10

// buffers hold requests read whole and replies being written, so a query
// allocates neither.
var buffers sync.Pool

// getBuffer returns a buffer of at least n bytes' capacity.
func getBuffer(n int) *[]byte {
	if b, _ := buffers.Get().(*[]byte); b != nil && cap(*b) >= n {
		return b
	}
	b := make([]byte, 0, max(n, 4<<10))
	return &b
}

// putBuffer keeps b for reuse unless it is large: a long record's reply
// is rare enough to be allocated each time.
func putBuffer(b *[]byte) {
	if cap(*b) <= 256<<10 {
		*b = (*b)[:0]
		buffers.Put(b)
	}
}

// summary names a reply without patient data: type, profile, MSA-1,
// QAK-2. They are in its first segments: only those are read.
func summary(reply []byte) string {
	head := reply
	for i, at := 0, 0; i < 6; i++ {
		n := bytes.IndexAny(reply[at:], "\r\n")
		if n < 0 {
			break
		}
		at += n + 1
		head = reply[:at]
	}
	m, err := hl7.Parse(head)
	if err != nil {
		return "?"
	}
	parts := []string{m.Get("MSH-9.1"), m.Get("MSH-21.1"), m.Get("MSA-1"), m.Get("QAK-2")}
	return strings.Join(slices.DeleteFunc(parts, func(p string) bool { return p == "" }), " ")
}

// cappedReader reads a request body up to a size, noting whether the body
// was larger (over) or could not be read (failed: the client went away or
// was cut off by the read timeout).
type cappedReader struct {
	r            io.Reader
	left         int64
	over, failed bool
}

var errTooLarge = errors.New("the request is too large")

func (c *cappedReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		// One byte more tells a body of exactly the limit from a larger one.
		var one [1]byte
		if n, _ := c.r.Read(one[:]); n > 0 {
			c.over = true
			return 0, errTooLarge
		}
		return 0, io.EOF
	}
	n, err := c.r.Read(p[:min(int64(len(p)), c.left)])
	c.left -= int64(n)
	if err != nil && err != io.EOF {
		c.failed = true
	}
	return n, err
}

// busy answers a request past Limits.MaxConcurrent: HTTP 503 with a SOAP
// fault, at once.
func (s *Server) busy(w http.ResponseWriter, r *http.Request) {
	v, _, _ := cdcsoap.ParseContentType(r.Header.Get("Content-Type"), r.Header.Get("SOAPAction"))
	f := cdcsoap.NewFault(cdcsoap.UnknownFault, http.StatusServiceUnavailable, fmt.Sprintf(
		"The sandbox is serving its limit of %d requests at once: try again in a moment", s.limits.MaxConcurrent))
	f.Role = "Receiver"
	if s.log != nil {
		fmt.Fprintf(s.log, "%s ? busy (503)\n", time.Now().Format(time.TimeOnly))
	}
	w.Header().Set("Content-Type", contentType(v))
	w.Header().Set("Retry-After", "1")
	w.WriteHeader(http.StatusServiceUnavailable)
	_, _ = w.Write(f.AppendXML(nil, v))
}

func contentType(v cdcsoap.Version) string {
	if v == cdcsoap.SOAP11 {
		return "text/xml; charset=UTF-8"
	}
	return "application/soap+xml; charset=UTF-8"
}

func (s *Server) authorized(req *cdcsoap.Request) bool {
	eq := func(a, b string) int { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) }
	return eq(req.Username, s.username)&eq(req.Password, s.password)&eq(req.FacilityID, s.facility) == 1
}

// countMSH counts the segments that start a message.
func countMSH(text string) int {
	n := 0
	for text != "" {
		line := text
		if i := strings.IndexAny(text, "\r\n"); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = ""
		}
		if strings.HasPrefix(strings.TrimLeft(line, "\x0b \t"), "MSH") {
			n++
		}
	}
	return n
}

// reply writes a response or fault, after the configured latency and in
// the configured misbehaviour.
func (s *Server) reply(w http.ResponseWriter, r *http.Request, v cdcsoap.Version, resp *cdcsoap.Response, fault *cdcsoap.Fault) {
	if s.latency > 0 && !sleep(r.Context(), s.latency) {
		return
	}
	if s.misbehave == SOAP11 {
		v = cdcsoap.SOAP11
	}
	var body []byte
	status := http.StatusOK
	if fault != nil {
		body, status = fault.AppendXML(nil, v), fault.HTTPStatus(v)
	} else {
		// Room for the envelope and for escaping every CR as &#xD;.
		body = resp.AppendXML(make([]byte, 0, 512+len(resp.Return)+len(resp.Return)/8), v)
		if s.misbehave == CDATA {
			body = cdataEnvelope(resp, v)
		}
	}
	s.write(w, v, status, body)
}

// replyTail writes a response whose <return> text ends with tail, already
// escaped (cdcsoap.AppendXMLTail), built in a buffer kept for the next.
func (s *Server) replyTail(w http.ResponseWriter, r *http.Request, v cdcsoap.Version, resp *cdcsoap.Response, tail []byte) {
	if len(tail) == 0 {
		s.reply(w, r, v, resp, nil)
		return
	}
	if s.latency > 0 && !sleep(r.Context(), s.latency) {
		return
	}
	buf := getBuffer(512 + len(resp.Return) + len(resp.Return)/8 + len(tail))
	defer putBuffer(buf)
	*buf = resp.AppendXMLTail(*buf, v, tail)
	s.write(w, v, http.StatusOK, *buf)
}

// write sends a SOAP body as the misbehaviour says.
func (s *Server) write(w http.ResponseWriter, v cdcsoap.Version, status int, body []byte) {
	contentType := contentType(v)
	switch s.misbehave {
	case HTMLError:
		w.Header().Set("Content-Type", "text/html; charset=UTF-8")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = io.WriteString(w, "<!DOCTYPE html><html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1><p>The server encountered an internal error (sandbox --misbehave html-error).</p></body></html>")
		return
	case BadXML:
		body = append(body[:len(body)/2:len(body)/2], "<unclosed attr=\"1\" <<"...)
	case Drop:
		drop(w, status, contentType, body)
		return
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// cdataEnvelope is a response whose <return> holds the HL7 text raw in a
// CDATA section, as some registries send it.
func cdataEnvelope(resp *cdcsoap.Response, v cdcsoap.Version) []byte {
	ns := cdcsoap.SOAP12Namespace
	if v == cdcsoap.SOAP11 {
		ns = cdcsoap.SOAP11Namespace
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="%s"><soap:Body><%sResponse xmlns="%s"><return><![CDATA[`, ns, resp.Operation, cdcsoap.Namespace)
	b.WriteString(strings.ReplaceAll(resp.Return, "]]>", "]]]]><![CDATA[>"))
	fmt.Fprintf(&b, `]]></return></%sResponse></soap:Body></soap:Envelope>`, resp.Operation)
	return b.Bytes()
}

// drop sends the headers and half the body, then closes the connection.
func drop(w http.ResponseWriter, status int, contentType string, body []byte) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler) // HTTP/2: aborting the stream is the closest to a drop
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	fmt.Fprintf(buf, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n",
		status, http.StatusText(status), contentType, len(body))
	_, _ = buf.Write(body[:len(body)/2])
	_ = buf.Flush()
}
