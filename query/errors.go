package query

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/ctwiz-nurse/ctwiz-nurse/cdcsoap"
)

// Kind classifies an Error by what the nurse (or the program) can do.
type Kind string

const (
	KindAuth      Kind = "auth"       // SecurityFault or HTTP 401: username, password or facility ID
	KindFault     Kind = "fault"      // any other SOAP fault
	KindHTTP      Kind = "http"       // an HTTP status other than 200 without a SOAP fault
	KindTLS       Kind = "tls"        // certificate or TLS handshake failure
	KindDNS       Kind = "dns"        // the endpoint's host name does not resolve
	KindRefused   Kind = "refused"    // connection refused
	KindTimeout   Kind = "timeout"    // connect or read timeout
	KindTooLarge  Kind = "too_large"  // reply over MaxReplySize
	KindBadReply  Kind = "bad_reply"  // not SOAP, empty, not HL7, or not the asked-for patient
	KindControlID Kind = "control_id" // MSA-2 is not the query's MSH-10
	KindCanceled  Kind = "canceled"   // the caller canceled
	KindConfig    Kind = "config"     // settings that cannot work (endpoint, CA file, missing credentials)
	KindInvalid   Kind = "invalid"    // demographics a registry would reject (wraps *hl7.FieldError)
	KindNetwork   Kind = "network"    // connection closed early, reset, unreachable
)

// Error is every failure of a Client call. Error() is the message for the
// nurse: what happened and what to do, then the technical cause in
// parentheses when there is one.
type Error struct {
	Kind      Kind
	Retryable bool
	Status    int            // HTTP status, when the server sent one
	Fault     *cdcsoap.Fault // the SOAP fault, for KindAuth and KindFault from a fault
	Attempts  int            // how many times the request was sent
	Err       error          // the cause, if any
	msg       string
}

func (e *Error) Error() string { return e.msg }

func (e *Error) Unwrap() error { return e.Err }

// newError builds an Error whose message is the formatted advice followed
// by err, the technical cause, in parentheses.
func newError(k Kind, retryable bool, err error, format string, args ...any) *Error {
	msg := fmt.Sprintf(format, args...)
	if err != nil {
		msg += " (" + err.Error() + ")"
	}
	return &Error{Kind: k, Retryable: retryable, Err: err, msg: msg}
}

// errTooLarge is the body reader's error once a reply passes the cap.
var errTooLarge = errors.New("reply over the size limit")

// transportError classifies a failure to send the request or read the
// reply. parent is the caller's context, attempt the one bounded by the
// overall timeout.
func (c *Client) transportError(parent, attempt context.Context, err error) *Error {
	if ue, ok := errors.AsType[*url.Error](err); ok {
		err = ue.Err // the URL is the configured endpoint: no need to repeat it
	}
	var (
		certErr   *tls.CertificateVerificationError
		recordErr tls.RecordHeaderError
		alertErr  tls.AlertError
		dnsErr    *net.DNSError
		opErr     *net.OpError
	)
	switch {
	case errors.Is(parent.Err(), context.Canceled):
		return newError(KindCanceled, false, nil, "the query was canceled")
	case errors.Is(parent.Err(), context.DeadlineExceeded):
		return newError(KindTimeout, false, nil, "CT WiZ did not answer in the time allowed; try again later")
	case errors.Is(err, errTooLarge):
		return c.tooLarge()
	case errors.Is(err, errNotLoopback):
		return newError(KindConfig, false, err, "the plain http:// endpoint %s names this computer, but the name led to another machine, and nothing is sent unencrypted there: "+
			"check this computer's hosts file, or give the sandbox's address as http://127.0.0.1:PORT", c.host)
	case errors.As(err, &certErr):
		return newError(KindTLS, false, certErr.Err, "the server at %s did not present a certificate this computer can trust: %s. "+
			"Do not continue on this network; check the endpoint, or tell your IT staff", c.host, CertificateProblem(certErr.Err))
	case errors.As(err, &recordErr), strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		// net/http turns the record header error into plain text.
		return newError(KindTLS, false, err, "the server at %s does not speak HTTPS on that port: check the endpoint URL", c.host)
	case errors.As(err, &alertErr), errors.As(err, &opErr) && (opErr.Op == "remote error" || opErr.Op == "local error"):
		// Handshake alerts: typically a server that only offers TLS
		// older than 1.2.
		return newError(KindTLS, false, err, "the secure connection to %s failed (the server may only offer TLS older than 1.2, which is refused); tell your IT staff", c.host)
	case errors.As(err, &dnsErr):
		return newError(KindDNS, dnsErr.IsTimeout, err, "the name %s could not be found: check the endpoint URL and that this computer is online", c.host)
	case errors.Is(err, syscall.ECONNREFUSED):
		return newError(KindRefused, true, err, "%s refused the connection: the service may be down or the endpoint's port wrong; try again later", c.host)
	case errors.As(err, &opErr) && opErr.Op == "dial" && opErr.Timeout():
		return newError(KindTimeout, true, err, "could not connect to %s within %s: check the network, or try again later", c.host, readable(c.cfg.ConnectTimeout))
	case errors.Is(attempt.Err(), context.DeadlineExceeded) || isTimeout(err):
		return newError(KindTimeout, true, err, "CT WiZ did not answer within %s; try again later", readable(c.cfg.Timeout))
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return newError(KindNetwork, true, err, "the connection to %s closed before the reply was complete; try again", c.host)
	}
	return newError(KindNetwork, false, err, "could not reach %s: check that this computer is online", c.host)
}

// readable writes a timeout the way a person says it: "60 seconds"
// rather than Go's "1m0s".
func readable(d time.Duration) string {
	if d < time.Second || d%time.Second != 0 {
		return d.String()
	}
	if d == time.Second {
		return "1 second"
	}
	return fmt.Sprintf("%d seconds", d/time.Second)
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// CertificateProblem names, for a person, why a certificate was not
// trusted: err is what x509 verification returned.
func CertificateProblem(err error) string {
	var (
		invalid  x509.CertificateInvalidError
		unknown  x509.UnknownAuthorityError
		hostname x509.HostnameError
	)
	switch {
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		return "its certificate has expired or is not yet valid"
	case errors.As(err, &unknown):
		return "its certificate is self-signed or from an unknown authority"
	case errors.As(err, &hostname):
		return "its certificate is for another host name"
	}
	return "its certificate is not valid"
}

func (c *Client) tooLarge() *Error {
	limit := fmt.Sprintf("%d MiB", c.cfg.MaxReplySize>>20)
	if c.cfg.MaxReplySize < 1<<20 {
		limit = fmt.Sprintf("%d KiB", c.cfg.MaxReplySize>>10)
	}
	return newError(KindTooLarge, false, nil, "CT WiZ's reply is larger than %s and was refused; no real record is that large: report this to the CT WiZ help desk", limit)
}

// statusError is an HTTP status other than 200 whose body was not a SOAP fault.
func (c *Client) statusError(resp *http.Response) *Error {
	code := resp.StatusCode
	e := &Error{Kind: KindHTTP, Status: code}
	status := fmt.Sprintf("HTTP %d %s", code, http.StatusText(code))
	switch {
	case code == http.StatusUnauthorized:
		e.Kind = KindAuth
		e.msg = fmt.Sprintf("CT WiZ refused the login (%s): check the username, password and facility ID, and %s", status, c.cfg.Relogin)
	case code == http.StatusForbidden:
		e.msg = fmt.Sprintf("CT WiZ refused access (%s): this account or computer may not be allowed to query; contact the CT WiZ help desk", status)
	case code == http.StatusNotFound:
		e.msg = fmt.Sprintf("there is no CT WiZ web service at the endpoint (%s): check the endpoint URL in the profile", status)
	case code >= 300 && code < 400:
		e.msg = fmt.Sprintf("the endpoint redirects elsewhere (%s to %s); redirects are not followed: put the right address in the profile", status, resp.Header.Get("Location"))
	case code == http.StatusRequestTimeout, code == http.StatusBadGateway, code == http.StatusServiceUnavailable, code == http.StatusGatewayTimeout:
		e.Retryable = true
		e.msg = fmt.Sprintf("CT WiZ is temporarily unavailable (%s); try again in a few minutes", status)
	case code >= 500:
		e.msg = fmt.Sprintf("CT WiZ had an internal error (%s); try again later, and contact the help desk if it persists", status)
	default:
		e.msg = fmt.Sprintf("CT WiZ answered %s; contact the help desk if it persists", status)
	}
	return e
}

// traceText names the error for the debug trace: its kind, HTTP status
// and fault code, never its text.
func (e *Error) traceText() string {
	s := string(e.Kind)
	if e.Status != 0 {
		s += fmt.Sprintf(" (HTTP %d)", e.Status)
	}
	if e.Fault != nil {
		s += " (" + e.Fault.Kind.Name()
		if e.Fault.Code != "" {
			s += " " + e.Fault.Code
		}
		s += ")"
	}
	return s
}

// faultError turns a SOAP fault into an Error. Faults are never retried.
func (c *Client) faultError(f *cdcsoap.Fault) *Error {
	e := &Error{Kind: KindFault, Fault: f, Err: f}
	why := faultSummary(f)
	switch f.Kind {
	case cdcsoap.SecurityFault:
		e.Kind = KindAuth
		e.msg = fmt.Sprintf("CT WiZ rejected the username, password or facility ID (%s). Check them, %s, "+
			"and if they are right, ask the CT WiZ help desk whether the account is active", why, c.cfg.Relogin)
	case cdcsoap.MessageTooLargeFault:
		e.msg = fmt.Sprintf("CT WiZ refused the query as too large (%s); this is a ctwiz-nurse problem: report it", why)
	case cdcsoap.UnsupportedOperationFault:
		e.msg = fmt.Sprintf("the endpoint does not support this operation (%s): check that the endpoint is CT WiZ's CDC 2011 web service", why)
	default:
		e.msg = fmt.Sprintf("CT WiZ reported a problem (%s); try again later, and contact the help desk if it persists", why)
	}
	return e
}

// faultSummary names a fault for the help desk: its kind and code, its
// Reason when that says more than the kind (the WSDL fixes it for three of
// the four faults), and its Detail or, lacking one, the SOAP reason text.
func faultSummary(f *cdcsoap.Fault) string {
	name := f.Kind.Name()
	s := name
	if f.Code != "" {
		s += " " + f.Code
	}
	var parts []string
	if r := f.Reason; r != "" && r != name && r != strings.TrimSuffix(name, "Fault") {
		parts = append(parts, r)
	}
	d := f.Detail
	if d == "" {
		d = f.Text
	}
	if d != "" && (len(parts) == 0 || d != parts[0]) {
		parts = append(parts, d)
	}
	if len(parts) > 0 {
		s += ": " + strings.Join(parts, ": ")
	}
	return s
}

// backoff is the wait before retry n (1, 2): exponential from base, with
// full jitter in its upper half so that many clients do not retry in step.
func backoff(base time.Duration, n int, jitter func(time.Duration) time.Duration) time.Duration {
	d := base << (n - 1)
	return d/2 + jitter(d/2+1)
}
