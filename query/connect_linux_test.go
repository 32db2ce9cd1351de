package query

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"
)

// fullBacklog listens on loopback with a backlog of 0 and never accepts:
// once one connection is queued, Linux drops further SYNs, so a connect
// times out as it does against a firewalled or unreachable registry.
func fullBacklog(t *testing.T) string {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Listen(fd, 0); err != nil {
		t.Fatal(err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	addr := fmt.Sprintf("127.0.0.1:%d", sa.(*syscall.SockaddrInet4).Port)
	// Fill the queue.
	filler, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Close(filler) })
	if err := syscall.Connect(filler, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}, Port: sa.(*syscall.SockaddrInet4).Port}); err != nil {
		t.Fatal(err)
	}
	return addr
}

func TestConnectTimeout(t *testing.T) {
	addr := fullBacklog(t)
	c := newClient(t, Config{Endpoint: "http://" + addr + "/IISService", Username: "u", Password: testPassword,
		ConnectTimeout: 100 * time.Millisecond, Timeout: 5 * time.Second, RetryBackoff: time.Millisecond})
	start := time.Now()
	_, err := c.Find(t.Context(), student())
	e, ok := err.(*Error)
	if !ok {
		t.Fatalf("err = %T %v", err, err)
	}
	if e.Kind != KindTimeout || !e.Retryable || e.Attempts != 3 {
		t.Errorf("kind %s retryable %v attempts %d (%v)", e.Kind, e.Retryable, e.Attempts, err)
	}
	checkMessage(t, err.Error(), "could not connect to "+addr+" within 100ms: check the network, or try again later (dial tcp "+addr+": i/o timeout)")
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("three connect attempts took %v", d)
	}
}

// nonLoopbackListener listens on an address of this machine that is not
// loopback, as a name pointed away from localhost would reach.
func nonLoopbackListener(t *testing.T) string {
	t.Helper()
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range addrs {
		ipn, ok := a.(*net.IPNet)
		if !ok || ipn.IP.IsLoopback() || ipn.IP.To4() == nil {
			continue
		}
		ln, err := net.Listen("tcp", net.JoinHostPort(ipn.IP.String(), "0"))
		if err != nil {
			continue
		}
		t.Cleanup(func() { ln.Close() })
		go func() {
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				c.Close()
			}
		}()
		return ln.Addr().String()
	}
	t.Skip("this machine has no non-loopback IPv4 address to listen on")
	return ""
}

// A plain-http endpoint connects only to loopback addresses, whatever its
// name resolved to; an https one connects anywhere.
func TestPlainHTTPOnlyToLoopback(t *testing.T) {
	remote := nonLoopbackListener(t)
	local, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer local.Close()
	tests := []struct {
		endpoint, addr string
		refused        bool
	}{
		{"http://localhost:8080/iis", remote, true},
		{"http://localhost:8080/iis", local.Addr().String(), false},
		{"http://127.0.0.1:8080/iis", remote, true},
		{"https://ctwiz.example.org/iis", remote, false},
	}
	for _, tt := range tests {
		t.Run(tt.endpoint+" to "+tt.addr, func(t *testing.T) {
			c := newClient(t, Config{Endpoint: tt.endpoint})
			// The dial the transport makes after resolving the name.
			conn, err := c.http.Transport.(*http.Transport).DialContext(t.Context(), "tcp", tt.addr)
			if conn != nil {
				conn.Close()
			}
			if !tt.refused {
				if err != nil {
					t.Fatalf("dial: %v", err)
				}
				return
			}
			if !errors.Is(err, errNotLoopback) {
				t.Fatalf("dial err = %v, want the loopback refusal", err)
			}
			e := c.transportError(t.Context(), t.Context(), &url.Error{Op: "Post", URL: tt.endpoint, Err: err})
			if e.Kind != KindConfig || e.Retryable || !strings.Contains(e.Error(), "the name led to another machine") || !strings.Contains(e.Error(), remote) {
				t.Errorf("kind %s retryable %v: %v", e.Kind, e.Retryable, e)
			}
		})
	}
}
