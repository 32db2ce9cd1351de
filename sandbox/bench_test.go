package sandbox_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/ctwiz-nurse/ctwiz-nurse/cdcsoap"
	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
	"github.com/ctwiz-nurse/ctwiz-nurse/query"
	"github.com/ctwiz-nurse/ctwiz-nurse/sandbox"
)

// load has 8 concurrent clients send queries over loopback (a mix of
// records, candidates, too many and not found), with no error allowed, and
// returns the latency of each.
func load(tb testing.TB, clients, queries int) []time.Duration {
	mix := []struct {
		d    hl7.Demographics
		want hl7.Outcome
	}{
		{demo(tb, "Sandoval", "Maya", "2008-04-12"), hl7.OutcomeRecord},
		{demo(tb, "Parker", "Liam", "2019-06-20"), hl7.OutcomeRecord},
		{demo(tb, "Nguyen", "Minh", "2017-09-03"), hl7.OutcomeCandidates},
		{demo(tb, "Smith", "Michael", "2015-09-01"), hl7.OutcomeTooMany},
		{demo(tb, "Doe", "Jane", "2016-01-01"), hl7.OutcomeNotFound},
		{demo(tb, "Montgomery-Blake", "Theodore", "2008-01-05"), hl7.OutcomeRecord},
	}
	c := start(tb, sandbox.Options{}, query.Config{})
	latencies := make([]time.Duration, queries)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range clients {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= queries {
					return
				}
				q := mix[i%len(mix)]
				t0 := time.Now()
				r, err := c.Find(context.Background(), q.d)
				latencies[i] = time.Since(t0)
				if err != nil {
					tb.Error(err)
					return
				}
				if r.Outcome != q.want {
					tb.Errorf("%s: %s, want %s", q.d.Last, r.Outcome, q.want)
					return
				}
			}
		})
	}
	wg.Wait()
	return latencies
}

// TestLoad runs the benchmark's load once (under -race in CI: no data race).
func TestLoad(t *testing.T) {
	n := 2000
	if testing.Short() {
		n = 200
	}
	load(t, 8, n)
}

// BenchmarkLoad: 8 concurrent clients, 2,000 queries over loopback; it
// reports the p50 and p99 latency of one query.
func BenchmarkLoad(b *testing.B) {
	const queries = 2000
	var all []time.Duration
	for b.Loop() {
		all = append(all, load(b, 8, queries)...)
	}
	slices.Sort(all)
	pct := func(p float64) float64 { return float64(all[int(p*float64(len(all)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(queries), "queries/op")
}

// queryMix is the load of the throughput benchmarks: the answers a school
// nurse's day produces (records with forecast, twins, too many, not found,
// a 65-dose record), each with the QAK-2 it must get.
var queryMix = []struct {
	last, first, born string
	status            string
}{
	{"Sandoval", "Maya", "2008-04-12", "OK"},
	{"Parker", "Liam", "2019-06-20", "OK"},
	{"Nguyen", "Minh", "2017-09-03", "OK"},
	{"Smith", "Michael", "2015-09-01", "TM"},
	{"Doe", "Jane", "2016-01-01", "NF"},
	{"Montgomery-Blake", "Theodore", "2008-01-05", "OK"},
}

// soapQueries are the SOAP requests of queryMix, built once, so the
// benchmarks measure the server rather than the client.
func soapQueries(tb testing.TB, user, pass, facility string) [][]byte {
	tb.Helper()
	var out [][]byte
	for _, q := range queryMix {
		m, err := hl7.BuildQuery(demo(tb, q.last, q.first, q.born), hl7.QueryOptions{Now: today, ReceivingFacility: "CT0000"})
		if err != nil {
			tb.Fatal(err)
		}
		req := cdcsoap.Request{Operation: cdcsoap.OpSubmitSingleMessage, Username: user, Password: pass,
			FacilityID: facility, HL7Message: string(hl7.Encode(m))}
		out = append(out, req.AppendXML(nil, cdcsoap.SOAP12))
	}
	return out
}

// qak2 is the query response status in a SOAP reply, found without
// decoding it: the field after the query tag in "QAK|tag|status".
func qak2(reply []byte) string {
	_, rest, ok := bytes.Cut(reply, []byte("\rQAK|"))
	if !ok {
		_, rest, ok = bytes.Cut(reply, []byte("&#xD;QAK|"))
	}
	if !ok {
		return ""
	}
	fields := strings.SplitN(string(rest[:min(len(rest), 80)]), "|", 3)
	if len(fields) < 2 {
		return ""
	}
	return fields[1]
}

// BenchmarkQuery: one query answered by the handler, in process (SOAP
// decode, match, evaluate, encode), over queryMix; allocs/op is the cost
// of one query.
func BenchmarkQuery(b *testing.B) {
	s, err := sandbox.New(sandbox.Options{Now: func() time.Time { return today }})
	if err != nil {
		b.Fatal(err)
	}
	bodies := soapQueries(b, sandbox.DefaultUsername, sandbox.DefaultPassword, sandbox.DefaultFacility)
	ct := cdcsoap.ContentType(cdcsoap.SOAP12, cdcsoap.OpSubmitSingleMessage)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		q := i % len(bodies)
		i++
		req := httptest.NewRequest(http.MethodPost, sandbox.Path, bytes.NewReader(bodies[q]))
		req.Header.Set("Content-Type", ct)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		if got := qak2(w.Body.Bytes()); w.Code != http.StatusOK || got != queryMix[q].status {
			b.Fatalf("%s: HTTP %d QAK-2 %q, want %s", queryMix[q].last, w.Code, got, queryMix[q].status)
		}
	}
}

// BenchmarkThroughput: N concurrent clients send queryMix over loopback
// HTTP (kept-alive connections, requests built once, each reply checked
// for its QAK-2) to a sandbox served as the sandbox command serves it; it
// reports queries per second, the p50 and p99 latency, and the CPU time
// the process (clients and server) spent per query, which does not depend
// on what else the machine is running.
func BenchmarkThroughput(b *testing.B) {
	for _, clients := range []int{8, 32} {
		b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) {
			s, err := sandbox.New(sandbox.Options{Now: func() time.Time { return today }})
			if err != nil {
				b.Fatal(err)
			}
			srv := httptest.NewUnstartedServer(s)
			srv.Config = s.HTTPServer()
			srv.Start()
			defer srv.Close()
			url := srv.URL + sandbox.Path
			bodies := soapQueries(b, sandbox.DefaultUsername, sandbox.DefaultPassword, sandbox.DefaultFacility)
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
			defer client.CloseIdleConnections()
			ct := cdcsoap.ContentType(cdcsoap.SOAP12, cdcsoap.OpSubmitSingleMessage)
			const queries = 6000
			var all []time.Duration
			var elapsed time.Duration
			cpu0 := cpuTime()
			for b.Loop() {
				latencies := make([]time.Duration, queries)
				var next atomic.Int64
				var wg sync.WaitGroup
				t0 := time.Now()
				for range clients {
					wg.Go(func() {
						buf := make([]byte, 0, 64<<10)
						for {
							i := int(next.Add(1)) - 1
							if i >= queries {
								return
							}
							q := i % len(bodies)
							start := time.Now()
							resp, err := client.Post(url, ct, bytes.NewReader(bodies[q]))
							if err != nil {
								b.Error(err)
								return
							}
							buf, err = readAll(buf[:0], resp.Body)
							resp.Body.Close()
							latencies[i] = time.Since(start)
							if got := qak2(buf); err != nil || resp.StatusCode != http.StatusOK || got != queryMix[q].status {
								b.Errorf("%s: HTTP %d QAK-2 %q (%v), want %s", queryMix[q].last, resp.StatusCode, got, err, queryMix[q].status)
								return
							}
						}
					})
				}
				wg.Wait()
				elapsed += time.Since(t0)
				all = append(all, latencies...)
			}
			cpu := cpuTime() - cpu0
			slices.Sort(all)
			pct := func(p float64) float64 { return float64(all[int(p*float64(len(all)-1))].Microseconds()) / 1000 }
			b.ReportMetric(float64(cpu.Microseconds())/float64(len(all)), "cpu-µs/query")
			b.ReportMetric(float64(len(all))/elapsed.Seconds(), "queries/s")
			b.ReportMetric(pct(0.50), "p50-ms")
			b.ReportMetric(pct(0.99), "p99-ms")
		})
	}
}

// cpuTime is the user and system CPU time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// readAll is io.ReadAll into a buffer kept between requests.
func readAll(buf []byte, r io.Reader) ([]byte, error) {
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// BenchmarkQueryFresh: as BenchmarkQuery, but every query is for another
// record, evaluated and encoded afresh: 2,000 seeded patients with ten
// doses each, asked for in turn, more than the history cache holds.
func BenchmarkQueryFresh(b *testing.B) {
	const patients = 2000
	s, err := sandbox.New(sandbox.Options{NoBuiltin: true, Now: func() time.Time { return today }})
	if err != nil {
		b.Fatal(err)
	}
	var in strings.Builder
	for i := range patients {
		fmt.Fprintf(&in, "MSH|^~\\&|EHR|CLINIC|CTWIZ|CT0000|20261125||VXU^V04^VXU_V04|S%d|P|2.5.1\r"+
			"PID|1||MR%d^^^CLINIC^MR||FRESH%d^Pat||20150901|F\r", i, i, i)
		for _, d := range []string{"20150901|08", "20151101|20", "20151101|10", "20160101|20", "20160101|10",
			"20160301|20", "20160901|03", "20160901|21", "20170101|20", "20190901|03"} {
			fmt.Fprintf(&in, "RXA|0|1|%s|%s\r", d[:8], d)
		}
		in.WriteString("\n\n")
	}
	if err := s.Seed(strings.NewReader(in.String())); err != nil {
		b.Fatal(err)
	}
	var bodies [][]byte
	for i := range patients {
		m, err := hl7.BuildQuery(hl7.Demographics{Last: fmt.Sprintf("FRESH%d", i), First: "Pat", BirthDate: time.Date(2015, 9, 1, 0, 0, 0, 0, time.UTC)},
			hl7.QueryOptions{Now: today})
		if err != nil {
			b.Fatal(err)
		}
		req := cdcsoap.Request{Operation: cdcsoap.OpSubmitSingleMessage, Username: sandbox.DefaultUsername,
			Password: sandbox.DefaultPassword, FacilityID: sandbox.DefaultFacility, HL7Message: string(hl7.Encode(m))}
		bodies = append(bodies, req.AppendXML(nil, cdcsoap.SOAP12))
	}
	ct := cdcsoap.ContentType(cdcsoap.SOAP12, cdcsoap.OpSubmitSingleMessage)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, sandbox.Path, bytes.NewReader(bodies[i%patients]))
		i++
		req.Header.Set("Content-Type", ct)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		if got := qak2(w.Body.Bytes()); w.Code != http.StatusOK || got != "OK" {
			b.Fatalf("HTTP %d QAK-2 %q", w.Code, got)
		}
	}
}

// BenchmarkSeedSharedBirthDate: seeding 10,000 patients who share a birth
// date (each a VXU with two doses), through Seed as --seed does.
func BenchmarkSeedSharedBirthDate(b *testing.B) {
	const patients = 10000
	var in strings.Builder
	for i := range patients {
		fmt.Fprintf(&in, "MSH|^~\\&|EHR|CLINIC|CTWIZ|CT0000|20261125||VXU^V04^VXU_V04|S%d|P|2.5.1\r"+
			"PID|1||MR%d^^^CLINIC^MR||LAST%d^First%d^^^^^L||20150901|F\r"+
			"ORC|RE||A%d^CLINIC\rRXA|0|1|20160101|20160101|03^MMR^CVX|0.5\r"+
			"ORC|RE||B%d^CLINIC\rRXA|0|1|20190901|20190901|21^VAR^CVX|0.5\r\n\n", i, i, i/100, i%100, i, i)
	}
	text := in.String()
	for b.Loop() {
		s, err := sandbox.New(sandbox.Options{NoBuiltin: true, Now: func() time.Time { return today }})
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Seed(strings.NewReader(text)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(patients, "patients/op")
}
