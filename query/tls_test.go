package query

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// testCA is a certificate authority made for one test, written to a PEM
// file as a profile's ca_file would be.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	file string
}

func newTestCA(t *testing.T) *testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "ctwiz-nurse test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	file := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(file, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return &testCA{cert: cert, key: key, file: file}
}

// leaf issues a server certificate for the given names and validity.
func (ca *testCA) leaf(t *testing.T, dnsName string, ip net.IP, notBefore, notAfter time.Time) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "registry"},
		NotBefore: notBefore, NotAfter: notAfter,
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	if dnsName != "" {
		tmpl.DNSNames = []string{dnsName}
	}
	if ip != nil {
		tmpl.IPAddresses = []net.IP{ip}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

func TestTLSFailures(t *testing.T) {
	ca := newTestCA(t)
	loopback := net.ParseIP("127.0.0.1")
	now := time.Now()
	tests := []struct {
		name   string
		server func(*httptest.Server)
		caFile string // "" = system roots
		msg    string
	}{
		{"self-signed certificate", func(s *httptest.Server) {}, "",
			"the server at 127.0.0.1:… did not present a certificate this computer can trust: its certificate is self-signed or from an unknown authority. Do not continue on this network; check the endpoint, or tell your IT staff (x509: certificate signed by unknown authority…"},
		{"expired certificate", func(s *httptest.Server) {
			s.TLS = &tls.Config{Certificates: []tls.Certificate{ca.leaf(t, "", loopback, now.Add(-48*time.Hour), now.Add(-24*time.Hour))}}
		}, ca.file,
			"the server at 127.0.0.1:… did not present a certificate this computer can trust: its certificate has expired or is not yet valid. Do not continue on this network; check the endpoint, or tell your IT staff (x509: certificate has expired or is not yet valid…"},
		{"certificate for another host", func(s *httptest.Server) {
			s.TLS = &tls.Config{Certificates: []tls.Certificate{ca.leaf(t, "ctwiz.example.org", nil, now.Add(-time.Hour), now.Add(time.Hour))}}
		}, ca.file,
			"the server at 127.0.0.1:… did not present a certificate this computer can trust: its certificate is for another host name. Do not continue on this network; check the endpoint, or tell your IT staff (x509: cannot validate certificate for 127.0.0.1 because it doesn't contain any IP SANs)"},
		{"server offers only TLS 1.1", func(s *httptest.Server) {
			s.TLS = &tls.Config{MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS11,
				Certificates: []tls.Certificate{ca.leaf(t, "", loopback, now.Add(-time.Hour), now.Add(time.Hour))}}
		}, ca.file,
			"the secure connection to 127.0.0.1:… failed (the server may only offer TLS older than 1.2, which is refused); tell your IT staff (…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			requests := 0
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { requests++ }))
			tt.server(srv)
			srv.Config.ErrorLog = quietLog()
			srv.StartTLS()
			defer srv.Close()
			_, err := newClient(t, Config{Endpoint: srv.URL, Username: "u", Password: testPassword, CAFile: tt.caFile, RetryBackoff: time.Millisecond}).Find(t.Context(), student())
			e, ok := err.(*Error)
			if !ok {
				t.Fatalf("err = %T %v", err, err)
			}
			if e.Kind != KindTLS || e.Retryable || e.Attempts != 1 || requests != 0 {
				t.Errorf("kind %s retryable %v attempts %d, %d requests served", e.Kind, e.Retryable, e.Attempts, requests)
			}
			checkMessage(t, err.Error(), tt.msg)
		})
	}
}

// The happy path through a profile's CA file, with a certificate the
// system roots do not know.
func TestTLSWithCAFile(t *testing.T) {
	ca := newTestCA(t)
	g := &registry{t: t, answer: answerSample(t, "")}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(g.handle))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{ca.leaf(t, "", net.ParseIP("127.0.0.1"), time.Now().Add(-time.Hour), time.Now().Add(time.Hour))}}
	srv.StartTLS()
	defer srv.Close()
	echo, err := newClient(t, Config{Endpoint: srv.URL, CAFile: ca.file}).Ping(t.Context())
	if err != nil || echo == "" {
		t.Fatalf("Ping = %q, %v", echo, err)
	}
}

func quietLog() *log.Logger { return log.New(io.Discard, "", 0) }

// Plain TLS protocol spoken to an http port.
func TestHTTPSToPlainPort(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	_, err := newClient(t, Config{Endpoint: "https://" + srv.Listener.Addr().String() + "/", RetryBackoff: time.Millisecond}).Ping(t.Context())
	if !isKind(err, KindTLS) {
		t.Fatalf("err = %v", err)
	}
	checkMessage(t, err.Error(), "the server at 127.0.0.1:… does not speak HTTPS on that port: check the endpoint URL (…")
}
