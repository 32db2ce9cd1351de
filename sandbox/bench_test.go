package sandbox_test

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

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
