package query

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
)

// hugeReply is a record whose PID-3 and PID-13 repeat id and phone n
// times: decoded one repetition at a time from the start of the field,
// 80,000 of them kept the client busy for 16 s.
func hugeReply(control string, n int, id, phone string) string {
	rep := func(v string) string { return strings.TrimSuffix(strings.Repeat(v+"~", n), "~") }
	return "MSH|^~\\&|WebIZ|CT0000|||20260101||RSP^K11^RSP_K11|R1|P|2.5.1|||NE|NE|||||Z42^CDCPHINVS\r" +
		"MSA|AA|" + control + "\rQAK|" + control + "|OK\r" +
		"PID|1||" + rep(id) + "||DOE^JANE||20150102|F|||||" + rep(phone) + "\r"
}

// A hostile registry's reply holding more than any record is refused as
// too complex through the real client, well within the query's 5 s.
func TestHostileReplyBounded(t *testing.T) {
	tests := []struct {
		name      string
		n         int
		id, phone string
	}{
		{"80,000 repetitions", 80_000, "1", "^^^^^^1"},
		{"600 KB of repetitions", 15_000, "123456^^^CT0000^MR", "^PRN^PH^^^860^5551234"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, cfg := newRegistry(t, func(w http.ResponseWriter, r *http.Request, x exchange) {
				reply(w, hugeReply(x.HL7.ControlID(), tt.n, tt.id, tt.phone))
			})
			cfg.Timeout = 5 * time.Second
			start := time.Now()
			resp, err := newClient(t, cfg).Find(t.Context(), student())
			took := time.Since(start)
			if took > 6*time.Second {
				t.Errorf("the query took %v with a 5 s timeout", took)
			}
			if !isKind(err, KindBadReply) || !strings.Contains(err.Error(), "holds far more than any immunization record") || resp != nil {
				t.Errorf("after %v: %v, %v", took, resp, err)
			}
		})
	}
}

// The query's deadline covers decoding too: a decoder still running when
// it passes does not keep the nurse waiting, and a cancel ends the wait.
func TestDeadlineCoversDecoding(t *testing.T) {
	_, cfg := newRegistry(t, answerSample(t, "rsp_z42_ct_wiz_webiz.hl7"))
	cfg.Timeout = 500 * time.Millisecond
	c := newClient(t, cfg)
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	c.decodeHL7 = func(b []byte, control string) (*hl7.Response, error) {
		<-release // a decoder that has not finished by the deadline
		return hl7.Decode(b, control)
	}
	start := time.Now()
	_, err := c.Find(t.Context(), student())
	if took := time.Since(start); !isKind(err, KindTimeout) || !strings.Contains(err.Error(), "could not be read within") || took > 2*time.Second {
		t.Errorf("after %v: %v; want a timeout at about 500ms", took, err)
	}

	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(100*time.Millisecond, cancel)
	cfg.Timeout = time.Minute
	c2 := newClient(t, cfg)
	c2.decodeHL7 = c.decodeHL7
	if _, err := c2.Find(ctx, student()); !isKind(err, KindCanceled) {
		t.Errorf("canceled while decoding: %v", err)
	}
}
