package query

import (
	"fmt"
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
	c := newClient(t, Config{Endpoint: "http://" + addr + "/IISService", Username: "u", Password: "p",
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
