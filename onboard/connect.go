package onboard

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/ctwiz-nurse/ctwiz-nurse/conformance"
	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
	"github.com/ctwiz-nurse/ctwiz-nurse/query"
)

// Phase 1 check names, stable: tests and the README quote them.
const (
	CheckDNS          = "dns"
	CheckTCP          = "tcp"
	CheckTLSVersion   = "tls-version"
	CheckTLSChain     = "tls-chain"
	CheckTLSIssuer    = "tls-issuer"
	CheckTLSExpiry    = "tls-expiry"
	CheckTLSHostname  = "tls-hostname"
	CheckConnectivity = "connectivity-test"
	CheckAccount      = "account"
)

// expiryWarning is how close to its end a certificate's validity warns.
const expiryWarning = 30 * 24 * time.Hour

// advice is what to do when phase 1 fails at a check.
var advice = map[string]string{
	CheckDNS:          "Check the endpoint URL in the profile, and that this computer is online and uses the district's name servers.",
	CheckTCP:          "Check the endpoint's port, and ask IT whether a firewall or proxy blocks the way to CT WiZ.",
	CheckTLSVersion:   "The server must offer TLS 1.2 or newer: tell CT WiZ.",
	CheckTLSChain:     "Do not continue on this network. If this is a test environment with its own certificate authority, set ca_file in the profile.",
	CheckTLSExpiry:    "The server's certificate is not valid today: tell CT WiZ.",
	CheckTLSHostname:  "The certificate is for another name: check the endpoint URL, or tell CT WiZ.",
	CheckConnectivity: "The endpoint did not answer the CDC connectivity test: check the endpoint URL, and try again later.",
}

func (p *Phase) add(name string, l conformance.Level, format string, args ...any) {
	p.Checks = append(p.Checks, Check{Name: name, Level: l, Detail: fmt.Sprintf(format, args...)})
}

// failed reports whether a check of the phase failed, and sets Why to the
// first failed check's advice.
func (p *Phase) failed() bool {
	for _, c := range p.Checks {
		if c.Level == conformance.Fail {
			if p.Why == "" {
				p.Why = advice[c.Name]
			}
			return true
		}
	}
	return false
}

// phase1 checks the way to the endpoint, then sends the first scenario's
// query to see whether the account is accepted. That answer is the
// scenario's answer in phase 2 too.
func (r *run) phase1(ctx context.Context) (*hl7.Response, error) {
	p := &r.rep.Phases[0]
	p.Ran = true
	cfg := r.opts.Config
	u, err := url.Parse(cfg.Endpoint) // query.New has checked it
	if err != nil {
		return nil, err
	}
	host, port := u.Hostname(), u.Port()
	if port == "" {
		port = map[string]string{"https": "443", "http": "80"}[u.Scheme]
	}
	timeout := cfg.ConnectTimeout
	if timeout <= 0 {
		timeout = query.DefaultConnectTimeout
	}
	proxy, _ := http.ProxyFromEnvironment(&http.Request{URL: u})
	if proxy != nil {
		// The queries go through the proxy: a direct connection proves
		// nothing, and the connectivity test below covers the way.
		for _, name := range []string{CheckDNS, CheckTCP, CheckTLSVersion} {
			p.add(name, conformance.Skip, "the connection goes through the proxy %s (HTTPS_PROXY), so it is checked by the connectivity test", proxy.Host)
		}
	} else {
		r.network(ctx, p, u.Scheme, host, port, timeout)
	}
	if p.failed() {
		return nil, nil
	}

	start := time.Now()
	echo, err := r.client.Ping(ctx)
	took := time.Since(start)
	switch {
	case err != nil:
		_, what := failure(err)
		p.add(CheckConnectivity, conformance.Fail, "connectivityTest failed: %s", what)
	case strings.Contains(echo, "ctwiz-nurse connectivity test"):
		p.add(CheckConnectivity, conformance.Pass, "connectivityTest echoed the text sent, in %s", ms(took))
	default:
		p.add(CheckConnectivity, conformance.Warn, "connectivityTest answered in %s, but without the text sent", ms(took))
	}
	if p.failed() {
		return nil, nil
	}

	s := r.opts.Scenarios[0]
	resp, err := r.client.Find(ctx, s.Demographics)
	r.firstExchanges = r.take("Phase 1 account check (scenario " + s.Label + ")")
	r.account(p, resp, err)
	p.failed()
	return resp, err
}

// network checks name resolution, the TCP connection and, for https, TLS.
func (r *run) network(ctx context.Context, p *Phase, scheme, host, port string, timeout time.Duration) {
	addrs := []string{host}
	if net.ParseIP(host) != nil {
		p.add(CheckDNS, conformance.Pass, "the endpoint is an IP address (%s): no lookup needed", host)
	} else {
		start := time.Now()
		lctx, cancel := context.WithTimeout(ctx, timeout)
		var err error
		addrs, err = net.DefaultResolver.LookupHost(lctx, host)
		cancel()
		if err != nil {
			p.add(CheckDNS, conformance.Fail, "the name %s could not be found", host)
			return
		}
		p.add(CheckDNS, conformance.Pass, "%s resolved to %s in %s", host, strings.Join(addrs, ", "), ms(time.Since(start)))
	}
	start := time.Now()
	d := net.Dialer{Timeout: timeout}
	conn, err := d.DialContext(ctx, "tcp", net.JoinHostPort(host, port))
	if err != nil {
		p.add(CheckTCP, conformance.Fail, "could not connect to %s port %s: %s", host, port, dialProblem(err))
		return
	}
	defer conn.Close()
	p.add(CheckTCP, conformance.Pass, "connected to %s (%s) in %s", net.JoinHostPort(host, port), conn.RemoteAddr(), ms(time.Since(start)))
	if scheme != "https" {
		p.add(CheckTLSVersion, conformance.Skip, "plain http:// to this computer (the sandbox): no TLS to check")
		return
	}
	r.tls(ctx, p, conn, host, timeout)
}

func dialProblem(err error) string {
	var ne net.Error
	switch {
	case errors.As(err, &ne) && ne.Timeout():
		return "no answer in time"
	case strings.Contains(err.Error(), "refused"):
		return "connection refused"
	}
	return "the network did not reach it"
}

// tls reads the server's certificates over conn and checks them as the
// client does: version, chain, validity dates and host name.
func (r *run) tls(ctx context.Context, p *Phase, conn net.Conn, host string, timeout time.Duration) {
	// Verification is done below, by hand, so that each part can be
	// reported; this connection carries nothing but the handshake. Every
	// query verifies as usual.
	tc := tls.Client(conn, &tls.Config{ServerName: host, InsecureSkipVerify: true, MinVersion: tls.VersionTLS10})
	hctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := tc.HandshakeContext(hctx); err != nil {
		p.add(CheckTLSVersion, conformance.Fail, "the TLS handshake failed: the server may not speak TLS on this port, or offers nothing this program accepts")
		return
	}
	st := tc.ConnectionState()
	if st.Version < tls.VersionTLS12 {
		p.add(CheckTLSVersion, conformance.Fail, "the server chose %s; TLS 1.2 or newer is required", tls.VersionName(st.Version))
	} else {
		p.add(CheckTLSVersion, conformance.Pass, "%s", tls.VersionName(st.Version))
	}
	if len(st.PeerCertificates) == 0 {
		p.add(CheckTLSChain, conformance.Fail, "the server sent no certificate")
		return
	}
	leaf, now := st.PeerCertificates[0], time.Now()
	roots, err := query.RootCAs(r.opts.Config.CAFile)
	if err != nil {
		p.add(CheckTLSChain, conformance.Fail, "%v", err)
		return
	}
	inter := x509.NewCertPool()
	for _, c := range st.PeerCertificates[1:] {
		inter.AddCert(c)
	}
	from := "this computer's trusted authorities"
	if r.opts.Config.CAFile != "" {
		from = "the profile's ca_file"
	}
	chains, err := leaf.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: now})
	if err != nil {
		p.add(CheckTLSChain, conformance.Fail, "%d certificate(s) sent, not trusted against %s: %s", len(st.PeerCertificates), from, query.CertificateProblem(err))
	} else {
		chain := chains[0]
		p.add(CheckTLSChain, conformance.Pass, "%d certificate(s) sent, verified to %q from %s", len(st.PeerCertificates), name(chain[len(chain)-1].Subject.CommonName, chain[len(chain)-1].Subject.Organization), from)
	}
	p.add(CheckTLSIssuer, conformance.Pass, "issued by %q", name(leaf.Issuer.CommonName, leaf.Issuer.Organization))
	days := int(leaf.NotAfter.Sub(now).Hours() / 24)
	switch {
	case now.After(leaf.NotAfter):
		p.add(CheckTLSExpiry, conformance.Fail, "the certificate expired on %s, %d days ago", leaf.NotAfter.Format(time.DateOnly), -days)
	case now.Before(leaf.NotBefore):
		p.add(CheckTLSExpiry, conformance.Fail, "the certificate is not valid until %s", leaf.NotBefore.Format(time.DateOnly))
	case leaf.NotAfter.Sub(now) < expiryWarning:
		p.add(CheckTLSExpiry, conformance.Warn, "the certificate expires on %s, in %d days", leaf.NotAfter.Format(time.DateOnly), days)
	default:
		p.add(CheckTLSExpiry, conformance.Pass, "valid until %s, %d days from now", leaf.NotAfter.Format(time.DateOnly), days)
	}
	if err := leaf.VerifyHostname(host); err != nil {
		names := append(append([]string{}, leaf.DNSNames...), ipStrings(leaf.IPAddresses)...)
		p.add(CheckTLSHostname, conformance.Fail, "the certificate is for %s, not %s", orNone(strings.Join(names, ", ")), host)
	} else {
		p.add(CheckTLSHostname, conformance.Pass, "the certificate names %s", host)
	}
}

func name(cn string, org []string) string {
	if cn != "" {
		return cn
	}
	return strings.Join(org, ", ")
}

func ipStrings(ips []net.IP) []string {
	out := make([]string, len(ips))
	for i, ip := range ips {
		out[i] = ip.String()
	}
	return out
}

func orNone(s string) string {
	if s == "" {
		return "no name"
	}
	return s
}

// account judges the first scenario's answer: refused (SecurityFault), an
// unknown facility, another failure, or accepted.
func (r *run) account(p *Phase, resp *hl7.Response, err error) {
	relogin := r.opts.Config.Relogin
	if relogin == "" {
		relogin = "store them again with 'ctwiz-nurse login'"
	}
	var qe *query.Error
	switch {
	case errors.As(err, &qe) && qe.Kind == query.KindAuth:
		p.add(CheckAccount, conformance.Fail, "CT WiZ refused the account: %s", firstNonEmpty(faultName(qe), fmt.Sprintf("HTTP %d", qe.Status)))
		p.Why = "CT WiZ refused the username, password or facility ID. Check them, " + relogin + ", and if they are right, ask the CT WiZ help desk whether the account is active and enabled for queries in this environment."
	case err != nil && (qe.Kind == query.KindControlID || qe.Kind == query.KindBadReply) && replied(r.firstExchanges):
		// The registry signed the account in and answered; what is
		// wrong with the answer is phase 2's to judge.
		p.add(CheckAccount, conformance.Pass, "CT WiZ accepted the account and answered the first scenario's query (the answer is judged in phase 2)")
	case err != nil:
		_, what := failure(err)
		p.add(CheckAccount, conformance.Fail, "the first scenario's query failed: %s", what)
		p.Why = "The account could not be checked. Run the onboarding again; if it persists, send this report to the CT WiZ help desk."
	case unknownFacility(resp):
		p.add(CheckAccount, conformance.Fail, "CT WiZ answered the first query with an error about the facility (%s)", errCodes(resp))
		p.Why = "CT WiZ does not know the facility sent: check facility_id (and sending_facility, MSH-4) in the profile against what CT WiZ assigned."
	case resp.Outcome == hl7.OutcomeRejected || resp.Outcome == hl7.OutcomeError:
		p.add(CheckAccount, conformance.Fail, "CT WiZ did not answer the first query: %s (%s)", resp.Outcome, errCodes(resp))
		p.Why = "CT WiZ accepted the sign-in but not the query: check the profile's MSH settings (sending_application, sending_facility, receiving_facility, processing_id) with the CT WiZ help desk."
	default:
		p.add(CheckAccount, conformance.Pass, "CT WiZ accepted the account: the first scenario's query was answered (%s)", resp.Outcome)
	}
}

func replied(xs []query.Exchange) bool {
	for _, x := range xs {
		if x.Reply != nil {
			return true
		}
	}
	return false
}

func faultName(qe *query.Error) string {
	if qe.Fault == nil {
		return ""
	}
	return joinNonEmpty(" ", qe.Fault.Kind.Name(), qe.Fault.Code)
}

// unknownFacility reports whether the registry's errors are about the
// sending or receiving facility (MSH-4, MSH-6, or a message naming it).
func unknownFacility(resp *hl7.Response) bool {
	if resp.Outcome != hl7.OutcomeRejected && resp.Outcome != hl7.OutcomeError {
		return false
	}
	for _, e := range resp.Errors {
		if strings.HasPrefix(e.Location, "MSH-4") || strings.HasPrefix(e.Location, "MSH-6") || strings.Contains(strings.ToLower(e.Message), "facility") {
			return true
		}
	}
	return false
}

// errCodes names the registry's ERR segments by location and codes,
// never by their text, which may echo what was sent.
func errCodes(resp *hl7.Response) string {
	var parts []string
	for _, e := range resp.Errors {
		parts = append(parts, joinNonEmpty(" ", e.Severity, e.Location, e.Code, e.AppCode))
	}
	if len(parts) == 0 {
		return "no ERR segment"
	}
	return "ERR " + strings.Join(parts, "; ")
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}
