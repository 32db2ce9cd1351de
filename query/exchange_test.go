package query

import (
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
)

// Exchanged sees each query as sent and each reply as received, even a
// reply the client then discards (another query's), and a call that
// brought none.
func TestExchanged(t *testing.T) {
	var (
		mu   sync.Mutex
		seen []Exchange
	)
	record := func(x Exchange) { mu.Lock(); seen = append(seen, x); mu.Unlock() }
	t.Run("record", func(t *testing.T) {
		seen = nil
		_, cfg := newRegistry(t, answerSample(t, "rsp_z42_ct_wiz_webiz.hl7"))
		cfg.Exchanged = record
		c := newClient(t, cfg)
		if _, err := c.Find(t.Context(), student()); err != nil {
			t.Fatal(err)
		}
		if len(seen) != 1 || seen[0].Err != nil || seen[0].Took <= 0 {
			t.Fatalf("exchanges %+v", seen)
		}
		sent, err := hl7.Parse(seen[0].Sent)
		if err != nil || sent.Get("MSH-9.1") != "QBP" {
			t.Fatalf("sent %q: %v", seen[0].Sent, err)
		}
		reply, err := hl7.Parse(seen[0].Reply)
		if err != nil || reply.Get("MSA-2") != sent.ControlID() {
			t.Fatalf("reply: %v", err)
		}
		// Redact is the trace's redaction.
		red := c.Redact(seen[0].Reply)
		if !strings.Contains(red, "  PID|*||*^^^*^*~*^^^*^*||*^*^*^^^^*|") || strings.Contains(red, "BUTTE") || strings.Contains(red, "867287") {
			t.Errorf("Redact:\n%s", red)
		}
	})
	t.Run("another query's reply", func(t *testing.T) {
		seen = nil
		_, cfg := newRegistry(t, func(w http.ResponseWriter, r *http.Request, x exchange) {
			reply(w, sample(t, "rsp_z42_ct_wiz_webiz.hl7", "SOMEONE-ELSE", "\r"))
		})
		cfg.Exchanged = record
		_, err := newClient(t, cfg).Find(t.Context(), student())
		var qe *Error
		if !errors.As(err, &qe) || qe.Kind != KindControlID {
			t.Fatalf("err %v", err)
		}
		if len(seen) != 1 || !strings.Contains(string(seen[0].Reply), "MSA|AA|SOMEONE-ELSE") {
			t.Fatalf("exchanges %+v", seen)
		}
	})
	t.Run("no reply", func(t *testing.T) {
		seen = nil
		_, cfg := newRegistry(t, func(w http.ResponseWriter, r *http.Request, x exchange) {
			http.Error(w, "gone", http.StatusNotFound)
		})
		cfg.Exchanged = record
		_, err := newClient(t, cfg).Find(t.Context(), student())
		var got, returned *Error
		if len(seen) != 1 || seen[0].Reply != nil || !errors.As(seen[0].Err, &got) || !errors.As(err, &returned) || got.Kind != KindHTTP || got.Error() != returned.Error() {
			t.Fatalf("exchanges %+v, err %v", seen, err)
		}
	})
}
