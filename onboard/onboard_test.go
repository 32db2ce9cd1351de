package onboard_test

import (
	"bytes"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ctwiz-nurse/ctwiz-nurse/onboard"
	"github.com/ctwiz-nurse/ctwiz-nurse/query"
	"github.com/ctwiz-nurse/ctwiz-nurse/sandbox"
)

// startSandbox serves a sandbox registry on loopback and returns the
// client configuration of its account.
func startSandbox(t *testing.T, o sandbox.Options) query.Config {
	t.Helper()
	s, err := sandbox.New(o)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	u, p, f := s.Credentials()
	return query.Config{Endpoint: srv.URL + sandbox.Path, Username: u, Password: p, FacilityID: f, ProcessingID: "T", Timeout: 20 * time.Second, RetryBackoff: time.Millisecond}
}

func sandboxScenarios(t *testing.T) []onboard.Scenario {
	t.Helper()
	sc, err := onboard.ReadScenarios(bytes.NewReader(sandbox.OnboardingScenarios))
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func runOnboard(t *testing.T, cfg query.Config, sc []onboard.Scenario) *onboard.Report {
	t.Helper()
	rep, err := onboard.Run(t.Context(), onboard.Options{Config: cfg, Scenarios: sc, Environment: "SANDBOX", Profile: "sandbox", Version: "test", Messages: true,
		Now: func() time.Time { return time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestSandboxPassesAllPhases(t *testing.T) {
	rep := runOnboard(t, startSandbox(t, sandbox.Options{}), sandboxScenarios(t))
	var md bytes.Buffer
	if err := rep.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	t.Log(md.String())
	if n := rep.Failed(); n != 0 {
		t.Fatalf("phase %d failed", n)
	}
}
