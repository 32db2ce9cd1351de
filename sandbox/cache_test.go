package sandbox

import (
	"bytes"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestHistoryCacheFollowsTheDay: a record asked for again on another day
// is evaluated for that day, not served from the cache.
func TestHistoryCacheFollowsTheDay(t *testing.T) {
	var day atomic.Int64
	day.Store(testNow().Unix())
	s, _ := newTestServer(t, Options{Now: func() time.Time { return time.Unix(day.Load(), 0).UTC() }})
	query := seg(qbpMSH, "QPD|Z44^^CDCPHINVS|T1||PARKER^Liam||20190620")
	forecastDay := func() string {
		m := answerOf(t, s, query)
		for rxa := range m.All("RXA") {
			if rxa.Value(5, 1, 1, 1) == "998" {
				return rxa.Value(3, 1, 1, 1)
			}
		}
		t.Fatal("no forecast RXA")
		return ""
	}
	if got := forecastDay(); got != "20261125" {
		t.Fatalf("forecast of %s, want 20261125", got)
	}
	if got := forecastDay(); got != "20261125" {
		t.Fatalf("asked again: forecast of %s, want 20261125", got)
	}
	day.Add(24 * 60 * 60)
	if got := forecastDay(); got != "20261126" {
		t.Errorf("the next day: forecast of %s, want 20261126", got)
	}
}

// TestHistoryCacheBounds: the cache holds at most historyCacheEntries
// entries and historyCacheBytes bytes (both forms of each history), the
// oldest going first, and never a record larger than a sixteenth of its
// room.
func TestHistoryCacheBounds(t *testing.T) {
	key := func(i int) historyKey { return historyKey{id: fmt.Sprint(i), day: "20261125", forecast: true} }
	var c historyCache
	for i := range historyCacheEntries + 10 {
		c.put(key(i), &cachedHistory{hl7: []byte("PID|1\r"), xml: []byte("PID|1&#xD;")})
	}
	if _, ok := c.get(key(9)); ok {
		t.Error("the 10th oldest entry is still there past the entry limit")
	}
	if h, ok := c.get(key(10)); !ok || string(h.hl7) != "PID|1\r" {
		t.Error("the 11th entry is gone")
	}
	half := bytes.Repeat([]byte("x"), historyCacheBytes/32)
	big := &cachedHistory{hl7: half, xml: half}
	for i := range 20 {
		c.put(key(10_000+i), big)
	}
	if c.bytes > historyCacheBytes || len(c.entries) != len(c.order) {
		t.Errorf("%d bytes in %d entries (%d in order), want at most %d", c.bytes, len(c.entries), len(c.order), historyCacheBytes)
	}
	if _, ok := c.get(key(10_019)); !ok {
		t.Error("the newest large entry is not there")
	}
	c.put(key(-1), &cachedHistory{hl7: half, xml: append(half, 'x')})
	if _, ok := c.get(key(-1)); ok {
		t.Error("a record over a sixteenth of the cache was kept")
	}
}

// TestLogLine: with Options.Log each request gets one line naming the
// operation and the answer (type, profile, MSA-1, QAK-2), never the
// student's name or birth date or the credentials.
func TestLogLine(t *testing.T) {
	lines := make(chan string, 10)
	_, srv := newTestServer(t, Options{Log: lineWriter(lines)})
	url := srv.URL + Path
	cases := []struct {
		name, msg, pass, want string
	}{
		{"a record", seg(qbpMSH, "QPD|Z44^^CDCPHINVS|T1||SANDOVAL^Maya||20080412"), DefaultPassword, "submitSingleMessage RSP Z42 AA OK"},
		{"not found", seg(qbpMSH, "QPD|Z44^^CDCPHINVS|T1||DOE^Jane||20160101"), DefaultPassword, "submitSingleMessage RSP Z33 AA NF"},
		{"a VXU", vxu("1", rxa("20210101", "03", "", "", "CP", "A")), DefaultPassword, "submitSingleMessage ACK AA"},
		{"a wrong password", seg(qbpMSH), "wrong", "submitSingleMessage SecurityFault"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			submit(t, url, DefaultUsername, c.pass, DefaultFacility, c.msg)
			var line string
			select {
			case line = <-lines:
			case <-time.After(5 * time.Second):
				t.Fatal("no log line within 5 s")
			}
			if !strings.Contains(line, " "+c.want+" ") {
				t.Errorf("log %q, want %q", line, c.want)
			}
			for _, secret := range []string{"SANDOVAL", "Maya", "20080412", "DOE", "TESTER", "20200101", DefaultPassword, "wrong"} {
				if strings.Contains(strings.ToUpper(line), strings.ToUpper(secret)) {
					t.Errorf("log %q holds %q", line, secret)
				}
			}
		})
	}
	select {
	case line := <-lines:
		t.Errorf("an extra log line %q", line)
	default:
	}
}

// lineWriter sends each Write (the server writes a line at a time) to lines.
type lineWriter chan string

func (w lineWriter) Write(p []byte) (int, error) {
	w <- string(p)
	return len(p), nil
}

func TestCountMSH(t *testing.T) {
	for _, c := range []struct {
		text string
		want int
	}{
		{"", 0},
		{"MSH|^~\\&|A", 1},
		{"MSH|^~\\&|A\rPID|1\r", 1},
		{"MSH|^~\\&|A\rMSH|^~\\&|B", 2},
		{"MSH|^~\\&|A\nPID|1\n\x0b MSH|^~\\&|B\r\n", 2},
		{"PID|1||MSH\r", 0},
	} {
		if got := countMSH(c.text); got != c.want {
			t.Errorf("countMSH(%q) = %d, want %d", c.text, got, c.want)
		}
	}
}
