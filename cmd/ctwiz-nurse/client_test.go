package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"

	"github.com/ctwiz-nurse/ctwiz-nurse/credentials"
	"github.com/ctwiz-nurse/ctwiz-nurse/printout"
	"github.com/ctwiz-nurse/ctwiz-nurse/sandbox"
)

// --sandbox sends the sandbox's own account, never a keychain entry, even
// one stored under the profile name "sandbox" (login --profile sandbox):
// the query works, and the printout names the sandbox's account.
func TestSandboxIgnoresKeychain(t *testing.T) {
	keyring.MockInit()
	nurse := credentials.Credentials{Username: "nurse.jones", Password: "her real password", FacilityID: "CTNURSE01"}
	if err := keychain.Set(sandboxProfileName, nurse); err != nil {
		t.Fatal(err)
	}
	pdf := filepath.Join(t.TempDir(), "maya.pdf")
	vars := map[string]string{envUsername: "env.user", envPassword: "env password"}
	code, out, stderr := runCmd(t, "", func(k string) string { return vars[k] },
		"query", "--sandbox", "--last", "Sandoval", "--first", "Maya", "--dob", "2008-04-12", "--pdf", pdf)
	if code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, out, stderr)
	}
	if strings.Contains(stderr, "keychain") {
		t.Errorf("the keychain was asked:\n%s", stderr)
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext is not installed: the printout's account is not checked")
	}
	text, err := exec.Command("pdftotext", "-enc", "UTF-8", pdf, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(text), "by "+sandbox.DefaultUsername) || strings.Contains(string(text), "nurse.jones") {
		t.Errorf("the printout does not name the sandbox's account:\n%s", text)
	}
}

// A refused account's advice names where it came from: the profile's
// keychain entry (login --profile P) or the CTWIZ_* variables.
func TestRefusedAccountAdvice(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/mock-bus")
	configPath := fakeRegistry(t)
	tests := []struct {
		name   string
		stored bool // a wrong password in the keychain entry of profile qa
		vars   map[string]string
		want   string
	}{
		{"keychain", true, nil, "Check them, store them again with 'ctwiz-nurse login --profile qa', and if they are right"},
		{"environment", false, map[string]string{envUsername: fakeUser, envPassword: "wrong"},
			"Check them, correct CTWIZ_USERNAME, CTWIZ_PASSWORD and CTWIZ_FACILITY_ID, from which this run took them, and if they are right"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			keyring.MockInit()
			if tt.stored {
				if err := keychain.Set("qa", credentials.Credentials{Username: fakeUser, Password: "wrong"}); err != nil {
					t.Fatal(err)
				}
			}
			code, _, stderr := runCmd(t, "", func(k string) string { return tt.vars[k] },
				"query", "--config", configPath, "--last", "Butte", "--first", "Dianthe", "--dob", "2014-08-15")
			if code != exitAuth || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr:\n%s\nwant %d and %q", code, stderr, exitAuth, tt.want)
			}
		})
	}
}

// A record fetched over https, even from this computer (a tunnel to the
// real registry), is never printed as synthetic sandbox data.
func TestHTTPSLoopbackIsNotSandbox(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/mock-bus")
	keyring.MockInit()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext is not installed: the printout cannot be read")
	}
	pdf := filepath.Join(t.TempDir(), "butte.pdf")
	vars := map[string]string{envUsername: fakeUser, envPassword: fakePassword}
	code, _, stderr := runCmd(t, "", func(k string) string { return vars[k] },
		"query", "--config", fakeRegistry(t), "--last", "Butte", "--first", "Dianthe", "--dob", "2014-08-15", "--pdf", pdf)
	if code != exitOK || strings.Contains(stderr, "SANDBOX") {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	text, err := exec.Command("pdftotext", "-enc", "UTF-8", pdf, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(text), printout.SandboxLabel) || strings.Contains(strings.ToLower(string(text)), "synthetic") {
		t.Errorf("a record from https://127.0.0.1 is labelled sandbox data:\n%s", text)
	}
}

// The sandbox command parses with parseFlags: its --password (the
// synthetic one it accepts) is not refused, stray arguments are.
func TestSandboxParseFlags(t *testing.T) {
	tests := []struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{[]string{"sandbox", "--password", "synthetic", "--list"}, exitOK, "SANDOVAL", ""},
		{[]string{"sandbox", "extra"}, exitUsage, "", `ctwiz-nurse sandbox: unexpected argument before any flag (not shown, in case it is a password)`},
		{[]string{"sandbox", "-h"}, exitOK, "", "Usage: ctwiz-nurse sandbox"},
	}
	for _, tt := range tests {
		code, out, stderr := runCmd(t, "", nil, tt.args...)
		if code != tt.code || !strings.Contains(out, tt.stdout) || !strings.Contains(stderr, tt.stderr) {
			t.Errorf("%v: exit %d\n%s%s", tt.args, code, out, stderr)
		}
	}
}
