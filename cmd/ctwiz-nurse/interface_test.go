package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/ctwiz-nurse/ctwiz-nurse/credentials"
	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
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
