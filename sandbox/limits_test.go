package sandbox

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ctwiz-nurse/ctwiz-nurse/cdcsoap"
)

// serve runs s as the sandbox command does (s.HTTPServer) on a loopback
// port and returns its address.
func serve(t *testing.T, s *Server) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := s.HTTPServer()
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return ln.Addr().String()
}

// TestConnectionTimeouts: a body sent a byte at a time, a connection that
// never sends a request and a kept-alive connection left idle are closed by
// the server once their timeout has passed.
func TestConnectionTimeouts(t *testing.T) {
	const timeout = 500 * time.Millisecond
	echo := cdcsoap.Request{Operation: cdcsoap.OpConnectivityTest, EchoBack: "hi"}
	echoBody := echo.AppendXML(nil, cdcsoap.SOAP12)
	cases := []struct {
		name   string
		limits Limits
		// act talks to the server; it returns when the timeout starts.
		act func(t *testing.T, c net.Conn)
	}{
		{"a body sent a byte every 100 ms", Limits{ReadTimeout: timeout}, func(t *testing.T, c net.Conn) {
			_, _ = io.WriteString(c, "POST "+Path+" HTTP/1.1\r\nHost: sandbox\r\nContent-Type: application/soap+xml\r\nContent-Length: 100000\r\n\r\n")
			go func() {
				for i := 0; i < len(echoBody); i++ {
					if _, err := c.Write(echoBody[i : i+1]); err != nil {
						return
					}
					time.Sleep(100 * time.Millisecond)
				}
			}()
		}},
		{"a connection that sends nothing", Limits{ReadTimeout: timeout}, func(t *testing.T, c net.Conn) {}},
		{"a kept-alive connection left idle", Limits{IdleTimeout: timeout}, func(t *testing.T, c net.Conn) {
			_, _ = io.WriteString(c, "POST "+Path+" HTTP/1.1\r\nHost: sandbox\r\nContent-Type: application/soap+xml\r\nContent-Length: "+
				strconv.Itoa(len(echoBody))+"\r\n\r\n"+string(echoBody))
			resp, err := http.ReadResponse(bufio.NewReader(c), nil)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || resp.Close {
				t.Fatalf("the first request: HTTP %d, close %v", resp.StatusCode, resp.Close)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := New(Options{NoBuiltin: true, Now: testNow, Limits: c.limits})
			if err != nil {
				t.Fatal(err)
			}
			conn, err := net.Dial("tcp", serve(t, s))
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			c.act(t, conn)
			start := time.Now()
			// Bounded: a connection still open after 10 s fails the test.
			_ = conn.SetReadDeadline(start.Add(10 * time.Second))
			_, err = io.Copy(io.Discard, conn)
			took := time.Since(start)
			var timeoutErr net.Error
			if errors.As(err, &timeoutErr) && timeoutErr.Timeout() {
				t.Fatalf("the connection was still open after %v", took.Round(time.Millisecond))
			}
			if took > timeout+2*time.Second*slowdown {
				t.Errorf("the connection was closed after %v, want about %v", took.Round(time.Millisecond), timeout)
			}
		})
	}
}

// TestDefaultTimeouts: a sandbox that sets no limits (the sandbox
// command's and --sandbox's) serves with the documented timeouts, so the
// connections TestConnectionTimeouts cuts off are cut off there too.
func TestDefaultTimeouts(t *testing.T) {
	s, err := New(Options{NoBuiltin: true, Latency: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	srv := s.HTTPServer()
	if srv.ReadTimeout != 30*time.Second || srv.IdleTimeout != 60*time.Second || srv.WriteTimeout != 31*time.Second {
		t.Errorf("read %v, idle %v, write %v; want 30s, 60s and 30s after the 1s latency", srv.ReadTimeout, srv.IdleTimeout, srv.WriteTimeout)
	}
	if cap(s.slots) != 64 {
		t.Errorf("%d requests at once, want 64", cap(s.slots))
	}
}

// TestConcurrencyLimit: past Limits.MaxConcurrent requests in progress, a
// request is answered at once with HTTP 503 and a SOAP fault that says so;
// the requests in progress are answered normally, and then new ones are
// served again.
func TestConcurrencyLimit(t *testing.T) {
	s, err := New(Options{NoBuiltin: true, Now: testNow, Latency: time.Second, Limits: Limits{MaxConcurrent: 2}})
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + serve(t, s) + Path
	echo := func() (int, error) {
		req := cdcsoap.Request{Operation: cdcsoap.OpConnectivityTest, EchoBack: "hi"}
		resp, err := http.Post(url, cdcsoap.ContentType(cdcsoap.SOAP12, req.Operation), bytes.NewReader(req.AppendXML(nil, cdcsoap.SOAP12)))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		_, _, err = cdcsoap.DecodeResponse(resp.Body)
		if resp.StatusCode == http.StatusServiceUnavailable && resp.Header.Get("Retry-After") == "" {
			t.Error("a 503 without Retry-After")
		}
		return resp.StatusCode, err
	}
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			if status, err := echo(); status != http.StatusOK || err != nil {
				t.Errorf("a request in progress: HTTP %d, %v", status, err)
			}
		})
	}
	for deadline := time.Now().Add(5 * time.Second); len(s.slots) < 2; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the two requests did not start within 5 s")
		}
	}
	start := time.Now()
	status, err := echo()
	f, ok := errors.AsType[*cdcsoap.Fault](err)
	if status != http.StatusServiceUnavailable || !ok || !strings.Contains(f.Detail, "limit of 2 requests at once") {
		t.Errorf("the third request: HTTP %d, %v; want 503 with a fault naming the limit", status, err)
	}
	if took := time.Since(start); took > 500*time.Millisecond*slowdown {
		t.Errorf("the busy answer took %v: it should not wait for a slot", took)
	}
	wg.Wait()
	if status, err := echo(); status != http.StatusOK || err != nil {
		t.Errorf("after the others: HTTP %d, %v", status, err)
	}
}

// TestDeepXMLMemory: 40 unauthenticated requests at once, each a 4 MB
// body of elements nested ever deeper, are refused with a fault naming the
// nesting limit, and the heap and resident memory of the whole process
// (server and test clients) stay under 300 MB above where they started.
func TestDeepXMLMemory(t *testing.T) {
	const clients, limit = 40, 300 << 20
	s, err := New(Options{NoBuiltin: true, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + serve(t, s) + Path
	body := []byte("<soap:Envelope xmlns:soap='" + cdcsoap.SOAP12Namespace + "'><soap:Body><submitSingleMessage xmlns='" +
		cdcsoap.Namespace + "'><username>" + strings.Repeat("<a>", (MaxMessage-200)/3))

	runtime.GC()
	heap0, rss0 := heapBytes(), rssBytes()
	var peakHeap, peakRSS uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			peakHeap, peakRSS = max(peakHeap, heapBytes()), max(peakRSS, rssBytes())
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	for range clients {
		wg.Go(func() {
			req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/soap+xml")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Errorf("a deep request: %v", err)
				return
			}
			defer resp.Body.Close()
			_, _, err = cdcsoap.DecodeResponse(resp.Body)
			if f, ok := errors.AsType[*cdcsoap.Fault](err); !ok || !strings.Contains(f.Detail, "nested more than") {
				t.Errorf("a deep request: HTTP %d, %v; want a fault naming the nesting limit", resp.StatusCode, err)
			}
		})
	}
	wg.Wait()
	close(stop)
	<-sampled
	t.Logf("peak heap +%d MB, peak RSS +%d MB", (peakHeap-min(heap0, peakHeap))>>20, (peakRSS-min(rss0, peakRSS))>>20)
	if peakHeap > heap0+limit {
		t.Errorf("the heap grew by %d MB, want under %d MB", (peakHeap-heap0)>>20, limit>>20)
	}
	if rss0 > 0 && peakRSS > rss0+limit {
		t.Errorf("the resident memory grew by %d MB, want under %d MB", (peakRSS-rss0)>>20, limit>>20)
	}
}

var heapSample = []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}

// heapBytes is the memory held by heap objects, live or not yet swept.
func heapBytes() uint64 {
	metrics.Read(heapSample)
	return heapSample[0].Value.Uint64()
}

// rssBytes is the process's resident memory (Linux), 0 where unknown.
func rssBytes() uint64 {
	data, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(data))
	if len(f) < 2 {
		return 0
	}
	pages, _ := strconv.ParseUint(f[1], 10, 64)
	return pages * uint64(os.Getpagesize())
}
