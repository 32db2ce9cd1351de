package query

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"mime"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/ctwiz-nurse/ctwiz-nurse/cdcsoap"
	"github.com/ctwiz-nurse/ctwiz-nurse/config"
	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
)

// Defaults for the zero values of Config.
const (
	DefaultConnectTimeout = 15 * time.Second
	DefaultTimeout        = 60 * time.Second
	DefaultMaxReplySize   = 16 << 20
	DefaultRetryBackoff   = 500 * time.Millisecond
	DefaultLimit          = 10
	// maxRetries is how often a retryable failure is tried again.
	maxRetries = 2
)

// Config is what a Client needs: one profile's settings plus credentials.
type Config struct {
	Endpoint   string // https://..., or http:// to a loopback address
	Username   string
	Password   string
	FacilityID string

	SendingApp        string // MSH-3
	SendingFacility   string // MSH-4; FacilityID when empty
	ReceivingApp      string // MSH-5
	ReceivingFacility string // MSH-6; CT0000 when empty
	ProcessingID      string // MSH-11: P (default) or T
	Profile           string // query profile: hl7.ProfileZ44 (default) or hl7.ProfileZ34
	SearchProfile     string // "" (search with Profile) or hl7.ProfileZ34
	Limit             int    // most candidates accepted (RCP-2), default 10

	ConnectTimeout time.Duration // TCP connect and TLS handshake, default 15 s
	Timeout        time.Duration // the whole call, retries included, default 60 s
	CAFile         string        // PEM roots that replace the system roots (test environments)
	MaxReplySize   int64         // default 16 MiB
	RetryBackoff   time.Duration // first retry's base wait, default 500 ms

	// Relogin says how the nurse corrects an account CT WiZ refused, in
	// the message of a KindAuth error; "store them again with 'ctwiz-nurse
	// login'" when empty.
	Relogin string

	// Trace, when set, receives a human-readable trace of each exchange
	// with patient values and credentials redacted (--debug).
	Trace io.Writer

	// Exchanged, when set, is called after each HL7 query with the
	// message as sent and the reply as received (the password scrubbed
	// from it and from the error), before the reply is checked or
	// decoded: the onboarding run checks their conformance
	// and times them. It must not keep the reply longer than the caller
	// may hold patient data.
	Exchanged func(Exchange)
}

// Exchange is one HL7 query and its reply, as on the wire.
type Exchange struct {
	Sent  []byte        // the QBP^Q11
	Reply []byte        // the RSP or ACK; nil when no reply came
	Took  time.Duration // the whole call, retries included
	Err   error         // the *Error of a call that brought no reply
}

// Format prints c as fmt prints any struct, with the password shown as
// [redacted], so a Config printed in a log or a test failure never
// carries it.
func (c Config) Format(f fmt.State, verb rune) {
	if c.Password != "" {
		c.Password = redactedMark
	}
	type plain Config // the same fields, without this method
	s := fmt.Sprintf(fmt.FormatString(f, verb), plain(c))
	fmt.Fprint(f, strings.Replace(s, "query.plain{", "query.Config{", 1))
}

// Format prints c with its Config's password redacted (see Config.Format).
func (c *Client) Format(f fmt.State, verb rune) {
	if c == nil {
		fmt.Fprint(f, "<nil>")
		return
	}
	prefix := "&{cfg:"
	if verb == 'v' && f.Flag('#') {
		prefix = "&query.Client{cfg:"
	}
	fmt.Fprint(f, prefix)
	c.cfg.Format(f, verb)
	fmt.Fprint(f, "}")
}

// Client talks to one CT WiZ endpoint. It is safe for concurrent use.
type Client struct {
	cfg      Config
	endpoint string
	host     string
	http     *http.Client
	jitter   func(time.Duration) time.Duration
	scrub    scrubber
	// decodeHL7 is hl7.Decode; tests slow it down to show that the
	// query's deadline covers decoding.
	decodeHL7 func([]byte, string) (*hl7.Response, error)
	traceMu   sync.Mutex
}

// New checks cfg and builds a Client. Errors are *Error of KindConfig.
func New(cfg Config) (*Client, error) {
	if cfg.ConnectTimeout <= 0 {
		cfg.ConnectTimeout = DefaultConnectTimeout
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.MaxReplySize <= 0 {
		cfg.MaxReplySize = DefaultMaxReplySize
	}
	if cfg.RetryBackoff <= 0 {
		cfg.RetryBackoff = DefaultRetryBackoff
	}
	if cfg.Limit <= 0 {
		cfg.Limit = DefaultLimit
	}
	if cfg.Profile == "" {
		cfg.Profile = hl7.ProfileZ44
	}
	if cfg.Relogin == "" {
		cfg.Relogin = "store them again with 'ctwiz-nurse login'"
	}
	if cfg.SendingFacility == "" {
		cfg.SendingFacility = cfg.FacilityID
	}
	if cfg.Endpoint == "" {
		return nil, newError(KindConfig, false, nil, "no CT WiZ endpoint is configured: set endpoint in the profile (config.toml) or give --endpoint")
	}
	u, err := url.Parse(cfg.Endpoint)
	if err != nil {
		// Not echoed: a mistyped URL may hold a password.
		return nil, newError(KindConfig, false, nil, "the endpoint is not a web address such as https://host/path: correct it in the profile or --endpoint")
	}
	if u.User != nil {
		return nil, newError(KindConfig, false, nil, "the endpoint must not contain a username or password; credentials are kept in the keychain")
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return nil, newError(KindConfig, false, nil, "the endpoint %s is followed by a query string (from \"?\" or \"#\"), which CT WiZ's web service address never has, "+
			"and which is not shown in case it holds a password: remove it from the profile or --endpoint", config.EndpointForDisplay(u))
	}
	if u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, newError(KindConfig, false, nil, "the endpoint %q is not a web address such as https://host/path: correct it in the profile or --endpoint", u.String())
	}
	if u.Scheme == "http" && !config.IsLoopback(u.Hostname()) {
		return nil, newError(KindConfig, false, nil, "the endpoint %s uses plain http://, which would send the password and patient data unencrypted; "+
			"CT WiZ endpoints use https:// (plain http is allowed only for the sandbox on this computer)", u.Redacted())
	}
	roots, err := RootCAs(cfg.CAFile)
	if err != nil {
		return nil, err
	}
	tlsConf := &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: roots}
	dialer := &net.Dialer{Timeout: cfg.ConnectTimeout, KeepAlive: 30 * time.Second}
	if u.Scheme == "http" {
		// "localhost" is a name, and a hosts file or resolver can point it
		// elsewhere: check where it led before anything goes in the clear.
		dialer.Control = loopbackOnly
	}
	transport := &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		DialContext:         dialer.DialContext,
		TLSClientConfig:     tlsConf,
		TLSHandshakeTimeout: cfg.ConnectTimeout,
		ForceAttemptHTTP2:   true,
		MaxIdleConnsPerHost: 2,
		IdleConnTimeout:     90 * time.Second,
	}
	return &Client{
		cfg:      cfg,
		endpoint: u.String(),
		host:     u.Host,
		http: &http.Client{
			Transport: transport,
			// A redirected POST would become a GET and lose the query:
			// report redirects instead.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		jitter:    func(d time.Duration) time.Duration { return rand.N(d) },
		scrub:     newScrubber(cfg.Password),
		decodeHL7: hl7.Decode,
	}, nil
}

// RootCAs returns the certificates a server's chain must lead to: those
// of the PEM file caFile (a profile's ca_file, for a test environment),
// or nil, the system's, when caFile is empty. Errors are *Error of
// KindConfig.
func RootCAs(caFile string) (*x509.CertPool, error) {
	if caFile == "" {
		return nil, nil
	}
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return nil, newError(KindConfig, false, err, "cannot read the CA file of the profile")
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, newError(KindConfig, false, nil, "the CA file %s holds no PEM certificate", caFile)
	}
	return pool, nil
}

// errNotLoopback is a plain-http connection refused because the
// endpoint's name led to another machine.
var errNotLoopback = errors.New("the address is not this computer")

// loopbackOnly is the dialer's check for plain-http endpoints: the
// address about to be connected must be a loopback address.
func loopbackOnly(network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("%w: %s", errNotLoopback, address)
	}
	return nil
}

// SamePassword reports whether typed is the password this client sends,
// for the interface's lock: the comparison is made here, in constant
// time, so the password never leaves the client, and nothing is sent.
// Both are hashed first, so the time does not tell the length either.
// An empty password is never the same: a client without one unlocks
// nothing.
func (c *Client) SamePassword(typed string) bool {
	if c.cfg.Password == "" {
		return false
	}
	a, b := sha256.Sum256([]byte(typed)), sha256.Sum256([]byte(c.cfg.Password))
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1
}

// Ping sends connectivityTest and returns the server's echo, which may
// differ from what was sent.
func (c *Client) Ping(ctx context.Context) (string, error) {
	start := time.Now()
	octx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	r, _, err := c.call(ctx, octx, &cdcsoap.Request{Operation: cdcsoap.OpConnectivityTest, EchoBack: "ctwiz-nurse connectivity test"})
	if err != nil {
		return "", c.scrubError(err)
	}
	echo := c.scrub.text(r.Return)
	c.tracef("connectivityTest answered in %v: %q", time.Since(start).Round(time.Microsecond), echo)
	return echo, nil
}

// Find searches for the student. The reply may be one record, several
// candidates (choose one, then Fetch), not found, too many, or the
// registry's rejection or error; each is a Response with that Outcome.
// With SearchProfile Z34 and a single patient found, Find fetches that
// patient with the query profile at once.
func (c *Client) Find(ctx context.Context, d hl7.Demographics) (*hl7.Response, error) {
	return c.reveal(c.find(ctx, d))
}

func (c *Client) find(ctx context.Context, d hl7.Demographics) (*hl7.Response, error) {
	profile := c.cfg.Profile
	if c.cfg.SearchProfile != "" {
		profile = c.cfg.SearchProfile
	}
	resp, err := c.query(ctx, d, profile)
	if err != nil || profile == c.cfg.Profile || resp.Outcome != hl7.OutcomeRecord || len(resp.Patients) != 1 {
		return compared(resp, d), err
	}
	rid, ok := resp.Patients[0].RegistryIdentifier()
	if !ok {
		resp.Warnings = append(resp.Warnings, fmt.Sprintf("the %s search found the patient but gave no registry ID, so the %s record could not be fetched", profile, c.cfg.Profile))
		return compared(resp, d), nil
	}
	rec, err := c.fetch(ctx, resp.Patients[0], d)
	// The record is compared with what the nurse typed (not with the
	// search's patient, which no one chose), and with the ID fetched.
	d.IDs = append(slices.Clip(d.IDs), rid)
	return compared(rec, d), err
}

// Fetch is the second step after a candidate list: it queries with the
// candidate's registry (SR) ID plus the demographics. The reply must be
// that one patient's record; not found, rejected and error replies are
// returned as they are; several candidates are an Error of KindBadReply.
//
// The record's Mismatch compares it with the candidate the nurse chose:
// its registry ID, and its name and birth date, or, for a candidate
// given by registry ID alone (query --id), the demographics typed.
func (c *Client) Fetch(ctx context.Context, candidate hl7.Patient, d hl7.Demographics) (*hl7.Response, error) {
	resp, err := c.fetch(ctx, candidate, d)
	return c.reveal(compared(resp, chosen(candidate, d)), err)
}

// chosen is what a fetch asks for: the candidate, as the nurse saw it in
// the list, with the demographics she typed for what the list did not
// show.
func chosen(candidate hl7.Patient, d hl7.Demographics) hl7.Demographics {
	asked := d
	if candidate.Family != "" || candidate.Given != "" {
		asked.Last, asked.First, asked.Middle, asked.Suffix = candidate.Family, candidate.Given, candidate.Middle, candidate.Suffix
	}
	if t, err := time.Parse("2006-01-02", candidate.BirthDate); err == nil {
		asked.BirthDate = t
	}
	asked.IDs = nil
	if rid, ok := candidate.RegistryIdentifier(); ok {
		asked.IDs = []hl7.Identifier{rid}
	}
	return asked
}

// compared sets a record's Mismatch: how its patient differs from asked.
func compared(resp *hl7.Response, asked hl7.Demographics) *hl7.Response {
	if resp != nil && resp.Outcome == hl7.OutcomeRecord && len(resp.Patients) > 0 {
		resp.Mismatch = hl7.ComparePatient(asked, resp.Patients[0])
	}
	return resp
}

func (c *Client) fetch(ctx context.Context, candidate hl7.Patient, d hl7.Demographics) (*hl7.Response, error) {
	// The identifier goes back as the registry gave it: some registries
	// type their own number LR or PI, or not at all, instead of SR.
	rid, ok := candidate.RegistryIdentifier()
	if !ok {
		return nil, newError(KindBadReply, false, nil, "this candidate has no registry ID in CT WiZ's reply, so the record cannot be fetched by ID: refine the search with more demographics instead")
	}
	if rid.Authority == "" {
		rid.Authority = cmp.Or(c.cfg.ReceivingFacility, config.DefaultReceivingFacility)
	}
	ids := []hl7.Identifier{rid}
	for _, id := range d.IDs {
		if id.Type != "SR" && id.Type != rid.Type {
			ids = append(ids, id)
		}
	}
	d.IDs = ids
	resp, err := c.query(ctx, d, c.cfg.Profile)
	if err != nil {
		return nil, err
	}
	switch resp.Outcome {
	case hl7.OutcomeRecord:
		if len(resp.Patients) != 1 {
			return nil, newError(KindBadReply, false, nil, "CT WiZ answered the request for one patient with %d patients; nothing is shown: try again, and report it if it persists", len(resp.Patients))
		}
	case hl7.OutcomeCandidates, hl7.OutcomeTooMany:
		return nil, newError(KindBadReply, false, nil, "CT WiZ answered the request for one patient by registry ID with a list of candidates; nothing is shown: search again with more demographics")
	}
	return resp, nil
}

// query builds, sends and decodes one QBP^Q11.
func (c *Client) query(ctx context.Context, d hl7.Demographics, profile string) (*hl7.Response, error) {
	if c.cfg.Username == "" || c.cfg.Password == "" {
		return nil, newError(KindConfig, false, nil, "no CT WiZ username and password: store them with 'ctwiz-nurse login', or set CTWIZ_USERNAME and CTWIZ_PASSWORD")
	}
	msg, err := hl7.BuildQuery(d, hl7.QueryOptions{
		Profile:           profile,
		SendingApp:        c.cfg.SendingApp,
		SendingFacility:   c.cfg.SendingFacility,
		ReceivingApp:      c.cfg.ReceivingApp,
		ReceivingFacility: c.cfg.ReceivingFacility,
		ProcessingID:      c.cfg.ProcessingID,
		Limit:             c.cfg.Limit,
	})
	if err != nil {
		return nil, &Error{Kind: KindInvalid, Err: err, msg: err.Error()}
	}
	control := msg.ControlID()
	payload := hl7.Encode(msg)
	c.traceHL7("sent "+profile+" query", payload)
	start := time.Now()
	// Timeout bounds the whole query: sending, retries, and decoding the
	// reply.
	octx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	r, attempts, err := c.call(ctx, octx, &cdcsoap.Request{
		Operation:  cdcsoap.OpSubmitSingleMessage,
		Username:   c.cfg.Username,
		Password:   c.cfg.Password,
		FacilityID: c.cfg.FacilityID,
		HL7Message: string(payload),
	})
	if err != nil {
		if c.cfg.Exchanged != nil {
			c.cfg.Exchanged(Exchange{Sent: payload, Took: time.Since(start), Err: c.scrubError(err)})
		}
		return nil, err
	}
	reply := []byte(r.Return)
	if c.cfg.Exchanged != nil {
		c.cfg.Exchanged(Exchange{Sent: payload, Reply: c.scrub.message(reply), Took: time.Since(start)})
	}
	c.traceHL7("received", reply)
	if r.Nil || len(bytes.TrimSpace(reply)) == 0 {
		return nil, &Error{Kind: KindBadReply, Attempts: attempts, msg: "CT WiZ's reply contained no HL7 message; try again, and contact the help desk if it persists"}
	}
	resp, err := c.decode(ctx, octx, reply, control)
	var cid *hl7.ControlIDError
	var late *Error
	switch {
	case errors.As(err, &late):
		late.Attempts = attempts
		return nil, late
	case errors.Is(err, hl7.ErrTooComplex):
		e := newError(KindBadReply, false, err, "CT WiZ's reply holds far more than any immunization record, and was refused unread: report this to the CT WiZ help desk")
		e.Attempts = attempts
		return nil, e
	case errors.As(err, &cid) && cid.Got == "" && len(resp.Patients) == 0 &&
		(resp.Outcome == hl7.OutcomeRejected || resp.Outcome == hl7.OutcomeError):
		// A registry that rejects a message it cannot read may leave MSA-2
		// empty. Such a reply holds no patient, so it is safe to show why.
		resp.Warnings = append(resp.Warnings, "the reply does not name the query it answers (MSA-2 is empty)")
		return resp, nil
	case errors.As(err, &cid):
		// The data may be another query's patient: never show it.
		return nil, &Error{Kind: KindControlID, Attempts: attempts, Err: err,
			msg: fmt.Sprintf("CT WiZ's reply answers another query (MSA-2 %q, expected %q) and was discarded; try again", cid.Got, cid.Want)}
	case err != nil:
		e := newError(KindBadReply, false, err, "CT WiZ's reply does not hold a readable HL7 answer; try again, and contact the help desk if it persists")
		e.Attempts = attempts
		return nil, e
	}
	return resp, nil
}

// decode decodes the reply within the query's deadline (octx, the
// caller's ctx bounded by Timeout). The decoder is linear and bounded
// (hl7.ErrTooComplex), so one that is still running when the deadline
// passes ends soon after on its own; the nurse does not wait for it.
func (c *Client) decode(ctx, octx context.Context, reply []byte, control string) (*hl7.Response, error) {
	type decoded struct {
		resp *hl7.Response
		err  error
	}
	done := make(chan decoded, 1)
	go func() {
		resp, err := c.decodeHL7(reply, control)
		done <- decoded{resp, err}
	}()
	select {
	case d := <-done:
		return d.resp, d.err
	case <-octx.Done():
		if errors.Is(ctx.Err(), context.Canceled) {
			return nil, newError(KindCanceled, false, nil, "the query was canceled")
		}
		return nil, newError(KindTimeout, false, nil, "CT WiZ's reply could not be read within %s; try again, and report it to the CT WiZ help desk if it persists", readable(c.cfg.Timeout))
	}
}

// call sends one SOAP request, retrying what is worth retrying; it also
// returns how many times the request was sent. octx is ctx bounded by
// Timeout, which covers the whole call, retries included, so the nurse
// never waits longer than that: quick failures (refused, reset, 502/503, a
// connect timeout) leave room for a retry, a reply that never comes does
// not.
func (c *Client) call(ctx, octx context.Context, req *cdcsoap.Request) (*cdcsoap.Response, int, error) {
	body := req.AppendXML(nil, cdcsoap.SOAP12)
	for attempt := 1; ; attempt++ {
		start := time.Now()
		r, err := c.once(ctx, octx, req.Operation, body)
		if err == nil {
			c.tracef("%s attempt %d: HTTP 200 in %v", req.Operation, attempt, time.Since(start).Round(time.Microsecond))
			return r, attempt, nil
		}
		err.Attempts = attempt
		// Only the kind and codes: a fault's text and a reply the decoder
		// quotes are the registry's words, which may echo what it was sent.
		c.tracef("%s attempt %d failed after %v: %s", req.Operation, attempt, time.Since(start).Round(time.Microsecond), err.traceText())
		if !err.Retryable || attempt > maxRetries {
			return nil, attempt, err
		}
		wait := backoff(c.cfg.RetryBackoff, attempt, c.jitter)
		if deadline, _ := octx.Deadline(); time.Until(deadline) <= wait {
			return nil, attempt, err // no time left for another try
		}
		c.tracef("retrying in %v", wait.Round(time.Millisecond))
		t := time.NewTimer(wait)
		select {
		case <-octx.Done():
			t.Stop()
			if errors.Is(ctx.Err(), context.Canceled) {
				return nil, attempt, &Error{Kind: KindCanceled, Attempts: attempt, msg: "the query was canceled"}
			}
			return nil, attempt, err
		case <-t.C:
		}
	}
}

// once is one HTTP exchange. ctx is the caller's context, actx the same
// bounded by the call's overall timeout.
func (c *Client) once(ctx, actx context.Context, op cdcsoap.Operation, body []byte) (*cdcsoap.Response, *Error) {
	hreq, err := http.NewRequestWithContext(actx, http.MethodPost, c.endpoint, bytes.NewReader(body))
	if err != nil {
		return nil, newError(KindConfig, false, err, "cannot build the request for the endpoint")
	}
	hreq.Header.Set("Content-Type", cdcsoap.ContentType(cdcsoap.SOAP12, op))
	hreq.Header.Set("Accept", "application/soap+xml, text/xml")
	hreq.Header.Set("User-Agent", "ctwiz-nurse")
	resp, err := c.http.Do(hreq)
	if err != nil {
		return nil, c.transportError(ctx, actx, err)
	}
	defer resp.Body.Close()
	if resp.ContentLength > c.cfg.MaxReplySize {
		return nil, c.tooLarge()
	}
	br := &bodyReader{r: resp.Body, left: c.cfg.MaxReplySize}
	r, _, derr := cdcsoap.DecodeResponse(br)
	if derr == nil {
		// Read to the end (a few bytes at most) so the connection can be
		// reused for the next query, such as the fetch after a search.
		_, _ = io.Copy(io.Discard, io.LimitReader(br, 4<<10))
	}
	if br.err != nil {
		return nil, c.transportError(ctx, actx, br.err)
	}
	if derr != nil && actx.Err() != nil {
		// The reply was cut short by the deadline or a cancel; whatever
		// the server managed to end it with is not the problem.
		return nil, c.transportError(ctx, actx, actx.Err())
	}
	var fault *cdcsoap.Fault
	switch {
	case errors.As(derr, &fault):
		return nil, c.faultError(fault)
	case resp.StatusCode != http.StatusOK:
		return nil, c.statusError(resp)
	case derr != nil:
		if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt == "text/html" || strings.Contains(derr.Error(), "the document is <html>") {
			return nil, newError(KindBadReply, false, nil, "the endpoint answered with a web page instead of a CT WiZ reply: check the endpoint URL (a login page or proxy may be in the way)")
		}
		return nil, newError(KindBadReply, false, derr, "the endpoint's reply is not a CT WiZ SOAP message: check the endpoint URL")
	case r.Operation != op:
		return nil, newError(KindBadReply, false, nil, "the endpoint answered %s to a %s request: check the endpoint URL", r.Operation, op)
	}
	return r, nil
}

// bodyReader stops a reply at the size cap and remembers the transport
// error that ended it, which the XML decoder would otherwise flatten.
type bodyReader struct {
	r    io.Reader
	left int64
	err  error
}

func (b *bodyReader) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	switch {
	case b.left < 0:
		b.err = errTooLarge
		return n, b.err
	case err != nil && err != io.EOF:
		b.err = err
	}
	return n, err
}
