package roster_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ctwiz-nurse/ctwiz-nurse/query"
	"github.com/ctwiz-nurse/ctwiz-nurse/roster"
	"github.com/ctwiz-nurse/ctwiz-nurse/sandbox"
)

// timedHandler counts the time the registry spends answering, so a
// benchmark can report ctwiz-nurse's own cost apart from it.
type timedHandler struct {
	h    http.Handler
	busy atomic.Int64
}

func (t *timedHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	t.h.ServeHTTP(w, r)
	t.busy.Add(int64(time.Since(start)))
}

// BenchmarkRoster1000 runs 1,000 students (each with a ten-dose record)
// with no pace against the sandbox on loopback, report file included
// (one synced row each). own-ms/student is the time per student outside
// the registry's handler: reading, query, decode, school-entry check,
// report row.
func BenchmarkRoster1000(b *testing.B) {
	const n = 1000
	s, err := sandbox.New(sandbox.Options{NoBuiltin: true, Now: func() time.Time { return today }})
	if err != nil {
		b.Fatal(err)
	}
	var seed, csv strings.Builder
	csv.WriteString("Student_Number,Last_Name,First_Name,DOB,Grade_Level\n")
	for i := range n {
		fmt.Fprintf(&seed, "MSH|^~\\&|EHR|CLINIC|CTWIZ|CT0000|20261125||VXU^V04^VXU_V04|S%d|P|2.5.1\r"+
			"PID|1||MR%d^^^CLINIC^MR||BENCH%d^Pat||20150901|F\r", i, i, i)
		for _, d := range []string{"20150901|08", "20151101|20", "20151101|10", "20160101|20", "20160101|10",
			"20160301|20", "20160901|03", "20160901|21", "20170101|20", "20190901|03"} {
			fmt.Fprintf(&seed, "RXA|0|1|%s|%s\r", d[:8], d)
		}
		seed.WriteString("\n\n")
		fmt.Fprintf(&csv, "%d,BENCH%d,Pat,09/01/2015,6\n", i, i)
	}
	if err := s.Seed(strings.NewReader(seed.String())); err != nil {
		b.Fatal(err)
	}
	th := &timedHandler{h: s}
	srv := httptest.NewServer(th)
	defer srv.Close()
	user, pass, fac := s.Credentials()
	client, err := query.New(query.Config{Endpoint: srv.URL + sandbox.Path, Username: user, Password: pass, FacilityID: fac})
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	b.ReportAllocs()
	i := 0
	var own time.Duration
	for b.Loop() {
		i++
		th.busy.Store(0)
		start := time.Now()
		ro, err := roster.Read(strings.NewReader(csv.String()), roster.Options{Now: today})
		if err != nil {
			b.Fatal(err)
		}
		rep, err := roster.OpenReport(filepath.Join(dir, fmt.Sprintf("r%d.csv", i)), ro, false)
		if err != nil {
			b.Fatal(err)
		}
		sum, err := (&roster.Run{Checker: &roster.Checker{Client: client, AsOf: today}}).Do(context.Background(), ro, rep)
		rep.Close()
		if err != nil || sum.Ending != roster.Finished || sum.Counts[roster.Error] > 0 {
			b.Fatalf("%+v %v", sum, err)
		}
		own += time.Since(start) - time.Duration(th.busy.Load())
	}
	b.ReportMetric(float64(own.Microseconds())/float64(i*n)/1000, "own-ms/student")
}
