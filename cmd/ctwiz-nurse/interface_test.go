package main

import (
	"bytes"
	"errors"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"
	"github.com/zalando/go-keyring"

	"github.com/ctwiz-nurse/ctwiz-nurse/credentials"
	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
	"github.com/ctwiz-nurse/ctwiz-nurse/sandbox"
	"github.com/ctwiz-nurse/ctwiz-nurse/tui"
)

func TestInterfaceRefusals(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"not a terminal", []string{"--sandbox"}, exitUsage, "needs a terminal"},
		{"password flag", []string{"--password", "x"}, exitUsage, "never given on the command line"},
		{"stray argument", []string{"--sandbox", "extra"}, exitUsage, `ctwiz-nurse interface: unexpected argument after --sandbox (not shown, in case it is a password) (the commands are listed by 'ctwiz-nurse help')`},
		{"help", []string{"--sandbox", "-h"}, exitOK, "Opens the terminal interface"},
		{"unknown flag", []string{"--sandbx"}, exitUsage, "ctwiz-nurse interface: unknown flag (not shown, in case it is a password); did you mean --sandbox?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCmd(t, "", func(string) string { return "" }, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, tt.code, tt.want)
			}
		})
	}
}

func TestInterfaceLogIsPrivate(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	t.Setenv("HOME", cache)
	logger, closeLog, path := openInterfaceLog()
	logger.Info("interface started")
	closeLog()
	if want := filepath.Join(cache, "ctwiz-nurse", "interface.log"); path != want {
		t.Errorf("log at %s, want %s", path, want)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("log mode %v, want 0600", fi.Mode().Perm())
	}
	if di, _ := os.Stat(filepath.Dir(path)); di.Mode().Perm() != 0o700 {
		t.Errorf("log folder mode %v, want 0700", di.Mode().Perm())
	}
}

// The login screen's Connect uses the account she typed even when the
// keychain still holds an older one (storing what she typed can fail
// while the old entry stays readable), and every sign-in shares the one
// trace file, which the session's close function closes.
func TestInterfaceConnectUsesTypedAccount(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/mock-bus")
	keyring.MockInit()
	if err := keychain.Set("qa", credentials.Credentials{Username: fakeUser, Password: "the old password"}); err != nil {
		t.Fatal(err)
	}
	trace := filepath.Join(t.TempDir(), "trace.log")
	conn := connFlags{configPath: fakeRegistry(t), debug: trace}
	p, err := conn.loadProfile()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	e := &env{stderr: &stderr, getenv: func(string) string { return "" }}
	closeTrace, err := conn.openTrace(e)
	if err != nil {
		t.Fatal(err)
	}
	connect := conn.connector(e, p)
	d := hl7.Demographics{Last: "Butte", First: "Dianthe", BirthDate: time.Date(2014, 8, 15, 0, 0, 0, 0, time.UTC)}
	for range 2 { // signing in twice, as after a refusal
		reg, err := connect(credentials.Credentials{Username: fakeUser, Password: fakePassword})
		if err != nil {
			t.Fatal(err)
		}
		if resp, err := reg.Find(t.Context(), d); err != nil || resp.Outcome != hl7.OutcomeRecord {
			t.Fatalf("Find with the typed password: %v", err)
		}
	}
	if n := strings.Count(stderr.String(), "Writing a debug trace"); n != 1 {
		t.Errorf("the trace was opened %d times:\n%s", n, stderr.String())
	}
	closeTrace()
	if _, err := conn.trace.Write([]byte("x")); !errors.Is(err, os.ErrClosed) {
		t.Errorf("the trace file is still open after the session: %v", err)
	}
	b, err := os.ReadFile(trace)
	if err != nil || strings.Count(string(b), "HTTP 200") != 2 {
		t.Errorf("the trace lacks the two sign-ins' queries (%v):\n%s", err, b)
	}
}

// countingStore counts the calls that reach the keychain.
type countingStore struct {
	tui.CredentialStore
	mu    sync.Mutex
	calls int
}

func (s *countingStore) Set(profile string, c credentials.Credentials) error {
	s.mu.Lock()
	s.calls++
	s.mu.Unlock()
	return s.CredentialStore.Set(profile, c)
}

func (s *countingStore) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls
}

// TestInterfaceStoresAcceptedCredentials: the interface as runInterface
// wires it (accountOptions), on a profile with nothing in the keychain,
// against the sandbox on loopback. What is typed at the login screen is
// not stored; a SecurityFault on the first search brings the login back
// with nothing stored; the right password is stored when the first reply
// comes (a Z33 "not found": any HL7 reply proves the account), and only
// once, whatever replies follow (issue 11.3).
func TestInterfaceStoresAcceptedCredentials(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/mock-bus")
	keyring.MockInit()
	s, err := sandbox.New(sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	cfg := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(cfg, []byte("[profiles.school]\nendpoint = \""+srv.URL+sandbox.Path+"\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	conn := connFlags{configPath: cfg, profile: "school"}
	p, err := conn.loadProfile()
	if err != nil {
		t.Fatal(err)
	}
	e := &env{stderr: io.Discard, getenv: func(string) string { return "" }}
	opts := tui.Options{NoColor: true}
	if err := conn.accountOptions(e, p, &opts); err != nil {
		t.Fatal(err)
	}
	if opts.Registry != nil || opts.Store == nil {
		t.Fatalf("with nothing stored: registry %v, store %v; want the login screen and the keychain", opts.Registry, opts.Store)
	}
	store := &countingStore{CredentialStore: opts.Store}
	opts.Store = store
	notStored := func(step string) {
		t.Helper()
		if c, err := keychain.Get("school"); !errors.Is(err, credentials.ErrNotFound) || store.count() != 0 {
			t.Fatalf("%s: the keychain holds %v (%v) after %d calls, want nothing", step, c, err, store.count())
		}
	}

	tm := teatest.NewTestModel(t, tui.New(opts), teatest.WithInitialTermSize(100, 30))
	screen := func(wants ...string) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
			s := ansi.Strip(string(b))
			for _, w := range wants {
				if !strings.Contains(s, w) {
					return false
				}
			}
			return true
		}, teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
	}
	enter := tea.KeyPressMsg{Code: tea.KeyEnter}
	tab := tea.KeyPressMsg{Code: tea.KeyTab}

	screen("Sign in to CT WiZ")
	tm.Type(sandbox.DefaultUsername)
	tm.Send(tab)
	tm.Type(sandbox.DefaultFacility)
	tm.Send(tab)
	tm.Type("not-" + sandbox.DefaultPassword)
	tm.Send(enter)
	screen("Find a student")
	notStored("signed in with a wrong password")

	tm.Type("DOE")
	tm.Send(tab)
	tm.Type("Jane")
	tm.Send(tab)
	tm.Type("2016-01-01")
	tm.Send(enter)
	screen("refused the username, password or facility ID", "Nothing was saved in the keychain")
	notStored("a SecurityFault")

	tm.Type(sandbox.DefaultPassword)
	tm.Send(enter)
	screen("Find a student")
	notStored("signed in again, before a search")

	tm.Send(enter) // the search was kept
	screen("No student matches")
	want := credentials.Credentials{Username: sandbox.DefaultUsername, Password: sandbox.DefaultPassword, FacilityID: sandbox.DefaultFacility}
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := keychain.Get("school")
		if err == nil && c == want {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after CT WiZ's first reply: the keychain holds %v (%v), want the accepted account", c, err)
		}
		time.Sleep(20 * time.Millisecond)
	}

	// A second reply, a record, after the lock (which the client's
	// password, the one just stored, opens).
	tm.Send(tea.KeyPressMsg{Code: 'l', Mod: tea.ModCtrl})
	screen("Type your CT WiZ password to unlock")
	tm.Type(sandbox.DefaultPassword)
	tm.Send(enter)
	screen("Unlocked. Start a new search.")
	tm.Type("SANDOVAL")
	tm.Send(tab)
	tm.Type("Maya")
	tm.Send(tab)
	tm.Type("04/12/2008")
	tm.Send(enter)
	screen("SANDOVAL, Maya Rose")
	tm.Send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	if n := store.count(); n != 1 {
		t.Errorf("the keychain was asked %d times, want once", n)
	}
}
