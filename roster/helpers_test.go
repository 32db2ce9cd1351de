package roster_test

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ctwiz-nurse/ctwiz-nurse/query"
	"github.com/ctwiz-nurse/ctwiz-nurse/sandbox"
)

// today is the sandbox's day and the day of the school-entry checks, so
// the built-in students' outcomes are those of the README's table.
var today = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

// newSandbox starts the real sandbox registry on loopback and returns a
// real client for it.
func newSandbox(t testing.TB, o sandbox.Options) (*sandbox.Server, *query.Client) {
	t.Helper()
	s, cfg := sandboxConfig(t, o)
	return s, newClient(t, cfg)
}

func newClient(t testing.TB, cfg query.Config) *query.Client {
	t.Helper()
	c, err := query.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// sandboxConfig starts the real sandbox registry on loopback and returns
// the client settings it accepts.
func sandboxConfig(t testing.TB, o sandbox.Options) (*sandbox.Server, query.Config) {
	t.Helper()
	if o.Now == nil {
		o.Now = func() time.Time { return today }
	}
	s, err := sandbox.New(o)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	user, pass, fac := s.Credentials()
	return s, query.Config{Endpoint: srv.URL + sandbox.Path, Username: user, Password: pass, FacilityID: fac}
}
