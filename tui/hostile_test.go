package tui

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ctwiz-nurse/ctwiz-nurse/cdcsoap"
	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
	"github.com/ctwiz-nurse/ctwiz-nurse/query"
)

// A registry controls MSH-21 and QAK-2, which the interface log records:
// a hostile one that writes the student's name and registry ID there gets
// "other" into the log, never the values. The interface runs on a real
// client against a loopback registry.
func TestLogHoldsOnlyKnownCodes(t *testing.T) {
	tests := []struct {
		name, profile, status, want string
	}{
		{"known codes are logged", "Z42", "OK", "profile=Z42 status=OK"},
		{"the student's name and ID are not", "BUTTE", "867287", "profile=other status=other"},
		{"nor a birth date with a known code's prefix", "Z42 20140815", "OK DIANTHE", "profile=other status=other"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client := loopbackRegistry(t, "pw-1234", func(f []string) []string {
				switch f[0] {
				case "MSH":
					f[20] = tt.profile
				case "QAK":
					f[2] = tt.status
				}
				return f
			})
			var log bytes.Buffer
			m, _ := newTestModel(t, client, func(o *Options) { o.Logger = slog.New(slog.NewTextHandler(&log, nil)) })
			m = fillForm(t, m, "Butte", "Dianthe", "08/15/2014")
			m = press(t, m, "enter")
			if m.Screen() != "record" {
				t.Fatalf("screen %s, want the record\n%s", m.Screen(), plain(m))
			}
			if !strings.Contains(log.String(), "find done") || !strings.Contains(log.String(), tt.want) {
				t.Errorf("log lacks %q:\n%s", tt.want, log.String())
			}
			for _, secret := range []string{"BUTTE", "Butte", "DIANTHE", "867287", "20140815", "pw-1234"} {
				if strings.Contains(log.String(), secret) {
					t.Errorf("log holds %q:\n%s", secret, log.String())
				}
			}
		})
	}
}

// loopbackRegistry serves the CT WiZ sample record on loopback, each
// segment's fields passed through edit (MSA-2 is then set to the query's
// control ID), and returns a real client for it with password pw.
func loopbackRegistry(t *testing.T, pw string, edit func(fields []string) []string) *query.Client {
	t.Helper()
	sample, err := os.ReadFile(filepath.Join("..", "hl7", "testdata", "rsp_z42_ct_wiz_webiz.hl7"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, _, err := cdcsoap.DecodeRequest(r.Body)
		if err != nil {
			http.Error(w, "bad request", 400)
			return
		}
		m, err := hl7.Parse([]byte(req.HL7Message))
		if err != nil {
			http.Error(w, "bad request", 400)
			return
		}
		var lines []string
		for l := range strings.SplitSeq(strings.TrimSpace(strings.ReplaceAll(string(sample), "\r\n", "\n")), "\n") {
			f := edit(strings.Split(l, "|"))
			if f[0] == "MSA" {
				f[2] = m.ControlID()
			}
			lines = append(lines, strings.Join(f, "|"))
		}
		_ = cdcsoap.WriteResponse(w, cdcsoap.SOAP12, &cdcsoap.Response{Operation: req.Operation, Return: strings.Join(lines, "\r")})
	}))
	t.Cleanup(srv.Close)
	client, err := query.New(query.Config{Endpoint: srv.URL + "/iis", Username: "nurse", Password: pw, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return client
}

// A password the registry echoes in the record (ERR-8, MSA-3, the
// mother's maiden name) never reaches the interface's screens.
func TestInterfaceNeverShowsEchoedPassword(t *testing.T) {
	const pw = "Pw&<Hunter>2"
	esc := hl7.Escape(pw)
	client := loopbackRegistry(t, pw, func(f []string) []string {
		switch f[0] {
		case "MSA":
			f = append(f[:2], "", "Password "+esc+" expires")
		case "PID":
			f[6] = esc
		}
		return f
	})
	m, _ := newTestModel(t, client, func(o *Options) { o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil)) })
	m = fillForm(t, m, "Butte", "Dianthe", "08/15/2014")
	m = press(t, m, "enter")
	if m.Screen() != "record" {
		t.Fatalf("screen %s, want the record\n%s", m.Screen(), plain(m))
	}
	// A screen tall enough for the whole record.
	m = update(t, m, tea.WindowSizeMsg{Width: 120, Height: 400})
	all := plain(m)
	if !strings.Contains(all, "[redacted]") {
		t.Errorf("the echo reached no screen, so the test proves nothing:\n%s", all)
	}
	for _, form := range []string{pw, esc, "Hunter"} {
		if strings.Contains(all, form) {
			t.Errorf("a screen holds the password as %q:\n%s", form, all)
		}
	}
}
