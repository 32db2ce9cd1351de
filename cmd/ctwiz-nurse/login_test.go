package main

import (
	"bytes"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/ctwiz-nurse/ctwiz-nurse/credentials"
)

// runCredCmd runs one command in-process with the given standard input
// and environment, returning what it printed and its exit code.
func runCredCmd(t *testing.T, stdin string, vars map[string]string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	// Never the real configuration of whoever runs the tests.
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	var out, errOut bytes.Buffer
	e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errOut, getenv: func(k string) string { return vars[k] }}
	code = run(e, args)
	return out.String(), errOut.String(), code
}

func TestResolveCredentials(t *testing.T) {
	const stored, fromEnv = "stored pass \"ü\"", "env pass"
	fullEnv := map[string]string{envUsername: "env.user", envPassword: fromEnv, envFacilityID: "ENVFAC"}
	unavailable := errors.New("org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.secrets was not provided by any .service files")
	tests := []struct {
		name       string
		keychain   error // nil: a working mock keychain
		store      bool  // an entry for profile qa exists
		profile    string
		vars       map[string]string
		wantUser   string
		wantSource string
		wantErr    error
		wantMsg    []string
	}{
		{name: "keychain entry", store: true, profile: "qa", vars: fullEnv, wantUser: "kc.user", wantSource: "keychain (profile qa)"},
		{name: "environment when no entry", profile: "qa", vars: fullEnv, wantUser: "env.user", wantSource: "environment"},
		{name: "environment without facility", profile: "qa", vars: map[string]string{envUsername: "env.user", envPassword: fromEnv}, wantUser: "env.user", wantSource: "environment"},
		{name: "other profile has no entry", store: true, profile: "production", wantErr: credentials.ErrNotFound,
			wantMsg: []string{"ctwiz-nurse login --profile production", envUsername, envPassword, envFacilityID}},
		{name: "default profile", profile: "", wantErr: credentials.ErrNotFound, wantMsg: []string{"ctwiz-nurse login --profile default"}},
		{name: "partial environment", profile: "qa", vars: map[string]string{envUsername: "env.user"}, wantMsg: []string{envPassword, "incomplete"}},
		{name: "environment password not sendable", profile: "qa", vars: map[string]string{envUsername: "env.user", envPassword: fromEnv + "\x00"}, wantMsg: []string{envPassword, "control characters"}},
		{name: "keychain unavailable, environment set", keychain: unavailable, profile: "qa", vars: fullEnv, wantUser: "env.user", wantSource: "environment"},
		{name: "keychain unavailable", keychain: unavailable, profile: "qa", wantErr: credentials.ErrUnavailable,
			wantMsg: []string{"gnome-keyring", "KeePassXC", envUsername, "ServiceUnknown"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// A bus address, so the mock's error is the one reported.
			t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/mock-bus")
			keyring.MockInit()
			if tc.store {
				if err := keychain.Set("qa", credentials.Credentials{Username: "kc.user", Password: stored, FacilityID: "KCFAC"}); err != nil {
					t.Fatal(err)
				}
			}
			if tc.keychain != nil {
				keyring.MockInitWithError(tc.keychain)
			}
			vars := tc.vars
			e := &env{getenv: func(k string) string { return vars[k] }}
			c, source, err := resolveCredentials(e, tc.profile)
			if tc.wantUser != "" {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				if c.Username != tc.wantUser || !strings.HasPrefix(source, tc.wantSource) {
					t.Fatalf("got %q from %q, want %q from %q", c.Username, source, tc.wantUser, tc.wantSource)
				}
				want := map[string]string{"kc.user": stored, "env.user": fromEnv}[c.Username]
				if c.Password != want {
					t.Fatalf("password not passed through exactly")
				}
				return
			}
			if err == nil {
				t.Fatalf("got %v from %q, want an error", c, source)
			}
			if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Errorf("err = %v, want %v", err, tc.wantErr)
			}
			for _, m := range tc.wantMsg {
				if !strings.Contains(err.Error(), m) {
					t.Errorf("error lacks %q: %v", m, err)
				}
			}
			if strings.Contains(err.Error(), stored) || strings.Contains(err.Error(), fromEnv) {
				t.Errorf("error shows a password: %v", err)
			}
		})
	}
}

func TestLoginPasswordStdinRoundTrip(t *testing.T) {
	passwords := map[string]string{
		"spaces":    "  two  spaces  ",
		"quotes":    `"double" 'single' \back`,
		"newlines":  "first\nsecond\r\nthird\n",
		"non-ASCII": "Ñandú Grüße 日本語 😀",
	}
	for name, pw := range passwords {
		t.Run(name, func(t *testing.T) {
			keyring.MockInit()
			out, errOut, code := runCredCmd(t, pw+"\n", nil, "login", "--profile", "qa", "--username", "nurse jane", "--facility", "CT 42", "--password-stdin")
			if code != exitOK {
				t.Fatalf("login exit %d: %s", code, errOut)
			}
			if strings.Contains(out+errOut, pw) {
				t.Fatalf("login printed the password: %s%s", out, errOut)
			}
			c, err := keychain.Get("qa")
			if err != nil {
				t.Fatal(err)
			}
			if c.Password != pw || c.Username != "nurse jane" || c.FacilityID != "CT 42" {
				t.Fatalf("stored %q/%q, want %q/%q (password differs: %v)", c.Username, c.FacilityID, "nurse jane", "CT 42", c.Password != pw)
			}
			got, _, err := resolveCredentials(&env{getenv: func(string) string { return "" }}, "qa")
			if err != nil || got.Password != pw {
				t.Fatalf("resolveCredentials after login: err %v, password exact %v", err, got.Password == pw)
			}
		})
	}
}

func TestLoginStatusAndLogout(t *testing.T) {
	keyring.MockInit()
	const pw = "Status-Secret 1"
	for _, p := range []string{"qa", "production"} {
		if _, errOut, code := runCredCmd(t, pw, nil, "login", "--profile", p, "--username", p+".user", "--password-stdin"); code != exitOK {
			t.Fatalf("login %s: %d %s", p, code, errOut)
		}
	}
	steps := []struct {
		args     []string
		vars     map[string]string
		wantCode int
		want     []string
	}{
		{[]string{"login", "--status"}, nil, exitOK, []string{"production: production.user, password stored", "qa: qa.user, password stored"}},
		{[]string{"login", "--status", "--profile", "qa"}, nil, exitOK, []string{"qa: qa.user"}},
		{[]string{"login", "--status", "--profile", "school"}, nil, exitNotFound, []string{"school: no credentials stored"}},
		{[]string{"login", "--status"}, map[string]string{envUsername: "x", envPassword: "y"}, exitOK, []string{"set in the environment"}},
		{[]string{"logout", "--profile", "qa"}, nil, exitOK, []string{"Deleted the CT WiZ credentials of profile qa"}},
		{[]string{"logout", "--profile", "qa"}, nil, exitOK, []string{"No CT WiZ credentials were stored for profile qa"}},
		{[]string{"login", "--status", "--profile", "qa"}, nil, exitNotFound, []string{"qa: no credentials stored"}},
		{[]string{"logout", "--profile", "production"}, nil, exitOK, []string{"Deleted"}},
		{[]string{"login", "--status"}, nil, exitOK, []string{"No CT WiZ credentials are stored"}},
	}
	for _, s := range steps {
		out, errOut, code := runCredCmd(t, "", s.vars, s.args...)
		if code != s.wantCode {
			t.Errorf("%q: exit %d, want %d (%s)", s.args, code, s.wantCode, errOut)
		}
		for _, w := range s.want {
			if !strings.Contains(out, w) {
				t.Errorf("%q: output lacks %q:\n%s", s.args, w, out)
			}
		}
		if strings.Contains(out+errOut, pw) {
			t.Errorf("%q printed the password", s.args)
		}
	}
}

func TestLoginRefusals(t *testing.T) {
	const pw = "Never-Shown 9"
	tests := []struct {
		name     string
		keychain error
		stdin    string
		args     []string
		wantCode int
		want     string
	}{
		{"password flag", nil, "", []string{"login", "--username", "u", "--password=" + pw}, exitUsage, "never given on the command line"},
		{"password flag, separate value", nil, "", []string{"login", "-password", pw}, exitUsage, "never given on the command line"},
		{"password flag after password-stdin", nil, "", []string{"login", "--password-stdin", "--password", pw}, exitUsage, "never given on the command line"},
		{"no terminal", nil, pw, []string{"login", "--username", "u"}, exitUsage, "no terminal"},
		{"no username", nil, pw, []string{"login", "--password-stdin"}, exitUsage, "--username"},
		{"empty password", nil, "\n", []string{"login", "--username", "u", "--password-stdin"}, exitUsage, "empty"},
		{"bad profile", nil, pw, []string{"login", "--profile", ":profiles", "--username", "u", "--password-stdin"}, exitUsage, "not valid"},
		{"extra argument", nil, pw, []string{"logout", "qa"}, exitUsage, "unexpected argument"},
		{"control characters", nil, "Never\x1b[D-Shown 9\n", []string{"login", "--username", "u", "--password-stdin"}, exitUsage, "cannot carry this password"},
		{"not UTF-8", nil, "Never-Shown caf\xe9\n", []string{"login", "--username", "u", "--password-stdin"}, exitUsage, "not UTF-8"},
		{"keychain unavailable", errors.New("dbus: couldn't determine address of session bus"), pw,
			[]string{"login", "--username", "u", "--password-stdin"}, exitFailure, "KeePassXC"},
		{"keychain unavailable, profile not configured", errors.New("dbus: couldn't determine address of session bus"), pw,
			[]string{"login", "--profile", "school", "--username", "u", "--password-stdin"}, exitFailure, "KeePassXC"},
		{"logout, keychain unavailable", errors.New("dbus: couldn't determine address of session bus"), "",
			[]string{"logout"}, exitFailure, "gnome-keyring"},
		{"status, keychain unavailable", errors.New("dbus: couldn't determine address of session bus"), "",
			[]string{"login", "--status"}, exitFailure, "CTWIZ_PASSWORD"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			keyring.MockInit()
			if tc.keychain != nil {
				keyring.MockInitWithError(tc.keychain)
			}
			out, errOut, code := runCredCmd(t, tc.stdin, nil, tc.args...)
			if code != tc.wantCode || !strings.Contains(errOut, tc.want) {
				t.Fatalf("exit %d, want %d; stderr lacks %q?\n%s", code, tc.wantCode, tc.want, errOut)
			}
			if strings.Contains(out+errOut, pw) || strings.Contains(out+errOut, "Never") {
				t.Fatalf("printed the password: %s%s", out, errOut)
			}
			// Nothing was stored, and nothing may say so (issue 11.14).
			if strings.Contains(out+errOut, "stored") && !strings.Contains(out+errOut, "nothing was stored") {
				t.Fatalf("says something was stored:\n%s%s", out, errOut)
			}
			if tc.keychain == nil {
				if names, _ := keychain.Profiles(); len(names) != 0 {
					t.Fatalf("stored %q despite the refusal", names)
				}
			}
		})
	}
}

func TestLoginKeepsStoredDefaults(t *testing.T) {
	keyring.MockInit()
	if _, errOut, code := runCredCmd(t, "old", nil, "login", "--profile", "qa", "--username", "jane", "--facility", "F1", "--password-stdin"); code != exitOK {
		t.Fatal(errOut)
	}
	// A script rotating the password alone keeps username and facility.
	if _, errOut, code := runCredCmd(t, "new\n", nil, "login", "--profile", "qa", "--password-stdin"); code != exitOK {
		t.Fatal(errOut)
	}
	c, err := keychain.Get("qa")
	if err != nil || c.Username != "jane" || c.FacilityID != "F1" || c.Password != "new" {
		t.Fatalf("after password change: %v %v (password new: %v)", c, err, c.Password == "new")
	}
}

func TestReadPasswordStdin(t *testing.T) {
	tests := []struct{ in, want string }{
		{"pw\n", "pw"}, {"pw\r\n", "pw"}, {"pw", "pw"}, {"pw\n\n", "pw\n"}, {" pw \n", " pw "}, {"a\nb\n", "a\nb"},
	}
	for _, tc := range tests {
		got, err := readPasswordStdin(strings.NewReader(tc.in))
		if err != nil || got != tc.want {
			t.Errorf("readPasswordStdin(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	if _, err := readPasswordStdin(strings.NewReader(strings.Repeat("x", credentials.MaxPasswordLength+1))); err == nil {
		t.Error("accepted an oversized input")
	}
}

// writeLoginConfig writes a config.toml and returns its path.
func writeLoginConfig(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoginUsesConfiguration(t *testing.T) {
	const twoProfiles = `
default_profile = "qa"
[profiles.qa]
endpoint = "https://qa.example.test/iis"
username = "cfg.jane"
facility_id = "CFG-FAC"
processing_id = "T"
[profiles."East Hartford"]
endpoint = "https://prod.example.test/iis"
`
	const noDefault = `
[profiles.qa]
endpoint = "https://qa.example.test/iis"
[profiles.production]
endpoint = "https://prod.example.test/iis"
`
	tests := []struct {
		name      string
		config    string
		args      []string
		wantCode  int
		wantEntry string // profile whose entry was written
		wantUser  string
		wantFac   string
		wantMsg   string
	}{
		{"default profile named by the configuration", twoProfiles, nil, exitOK, "qa", "cfg.jane", "CFG-FAC", "for profile qa"},
		{"profile with a space", twoProfiles, []string{"--profile", "East Hartford", "--username", "u"}, exitOK, "East Hartford", "u", "", "for profile East Hartford"},
		{"flags win over the configuration", twoProfiles, []string{"--username", "flag.user", "--facility", "FLAGFAC"}, exitOK, "qa", "flag.user", "FLAGFAC", ""},
		{"profile not configured", twoProfiles, []string{"--profile", "school", "--username", "u"}, exitOK, "school", "u", "", "there is no profile \"school\"; configured profiles: East Hartford, qa. To search with these credentials, add [profiles.school]"},
		{"several profiles, none chosen", noDefault, []string{"--username", "u"}, exitConfig, "", "", "", "choose one with --profile"},
		{"no configuration", "", []string{"--username", "u"}, exitOK, credentials.DefaultProfile, "u", "", "for profile default"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			keyring.MockInit()
			args := []string{"login", "--password-stdin"}
			if tc.config != "" {
				args = append(args, "--config", writeLoginConfig(t, tc.config))
			}
			out, errOut, code := runCredCmd(t, "pw\n", nil, append(args, tc.args...)...)
			if code != tc.wantCode || !strings.Contains(out+errOut, tc.wantMsg) {
				t.Fatalf("exit %d (want %d), output lacks %q?\n%s%s", code, tc.wantCode, tc.wantMsg, out, errOut)
			}
			names, _ := keychain.Profiles()
			if tc.wantEntry == "" {
				if len(names) != 0 {
					t.Fatalf("stored %q", names)
				}
				return
			}
			c, err := keychain.Get(tc.wantEntry)
			if err != nil || c.Username != tc.wantUser || c.FacilityID != tc.wantFac || len(names) != 1 {
				t.Fatalf("entry %q = %v, %v (entries %q); want %s/%s", tc.wantEntry, c, err, names, tc.wantUser, tc.wantFac)
			}
		})
	}
}

func TestLogoutUsesConfiguration(t *testing.T) {
	keyring.MockInit()
	cfg := writeLoginConfig(t, "default_profile = \"qa\"\n[profiles.qa]\nendpoint = \"https://qa.example.test/iis\"\n")
	if _, errOut, code := runCredCmd(t, "pw", nil, "login", "--config", cfg, "--username", "u", "--password-stdin"); code != exitOK {
		t.Fatal(errOut)
	}
	out, errOut, code := runCredCmd(t, "", nil, "logout", "--config", cfg)
	if code != exitOK || !strings.Contains(out, "profile qa") {
		t.Fatalf("logout: %d\n%s%s", code, out, errOut)
	}
	if _, err := keychain.Get("qa"); !errors.Is(err, credentials.ErrNotFound) {
		t.Fatalf("entry still there: %v", err)
	}
}

// TestLoginConnectivityTest runs login --test against the built-in
// sandbox on a loopback port, and against a port nobody listens on.
func TestLoginConnectivityTest(t *testing.T) {
	endpoint, _, stop, err := startSandbox(&env{getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String() + "/iis"
	ln.Close()

	tests := []struct {
		name     string
		args     []string
		wantCode int
		want     string
	}{
		{"sandbox answers", []string{"--endpoint", endpoint}, exitOK, "answered"},
		{"nobody listening", []string{"--endpoint", closed}, exitNetwork, "ctwiz-nurse ping"},
		{"no endpoint", nil, exitConfig, "no connectivity test"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			keyring.MockInit()
			args := append([]string{"login", "--test", "--username", "u", "--password-stdin"}, tc.args...)
			out, errOut, code := runCredCmd(t, "pw", nil, args...)
			if code != tc.wantCode || !strings.Contains(out+errOut, tc.want) {
				t.Fatalf("exit %d (want %d), output lacks %q?\n%s%s", code, tc.wantCode, tc.want, out, errOut)
			}
			// Stored whatever the test says: a registry being down does not
			// make the password wrong.
			if _, err := keychain.Get(credentials.DefaultProfile); err != nil {
				t.Fatalf("not stored: %v", err)
			}
		})
	}
}

func TestWithoutFlag(t *testing.T) {
	tests := []struct{ in, want []string }{
		{[]string{"--password-stdin", "--username", "u"}, []string{"--username", "u"}},
		{[]string{"-password-stdin=true", "--password", "x"}, []string{"--password", "x"}},
		{[]string{"--", "--password-stdin"}, []string{"--", "--password-stdin"}},
		{[]string{"password-stdin"}, []string{"password-stdin"}},
	}
	for _, tc := range tests {
		if got := withoutFlag(tc.in, "password-stdin"); !slices.Equal(got, tc.want) {
			t.Errorf("withoutFlag(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestTakeSecretEnv: the commands still see CTWIZ_PASSWORD, the programs
// they start (a real child process here) do not, and Bubble Tea's trace
// variables are gone.
func TestTakeSecretEnv(t *testing.T) {
	envBin, err := exec.LookPath("env")
	if err != nil {
		t.Skip("no env program to stand for a child process")
	}
	const pw = "env secret ü 'q'"
	tests := []struct {
		name  string
		set   bool
		value string
	}{
		{"set", true, pw},
		{"set empty", true, ""},
		{"unset", false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(envUsername, "env.user")
			t.Setenv(envPassword, tc.value)
			t.Setenv("TEA_TRACE", filepath.Join(t.TempDir(), "trace.log"))
			t.Setenv("TEA_DEBUG", "1")
			if !tc.set {
				os.Unsetenv(envPassword)
			}
			getenv := takeSecretEnv()
			if got := getenv(envPassword); got != tc.value {
				t.Fatalf("getenv(%s) changed the password (exact: %v)", envPassword, got == tc.value)
			}
			if got := getenv(envUsername); got != "env.user" {
				t.Fatalf("getenv(%s) = %q", envUsername, got)
			}
			for _, k := range []string{envPassword, "TEA_TRACE", "TEA_DEBUG"} {
				if _, ok := os.LookupEnv(k); ok {
					t.Fatalf("%s is still in the process environment", k)
				}
			}
			out, err := exec.Command(envBin).Output()
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(out), envPassword+"=") || (tc.value != "" && strings.Contains(string(out), tc.value)) {
				t.Fatalf("a child process inherited %s", envPassword)
			}
			if !strings.Contains(string(out), envUsername+"=env.user") {
				t.Fatalf("the child lost the rest of the environment:\n%s", out)
			}
		})
	}
}

// TestResolveCredentialsHangingKeychain runs the real Secret Service
// client (in a child test process: the other tests install the mock for
// good) against a session bus that accepts connections and never answers,
// as a locked keyring with no way to show its prompt does. The nurse is
// told what the wait is, and the CTWIZ_* variables still work after it.
func TestResolveCredentialsHangingKeychain(t *testing.T) {
	if runtime.GOOS == "darwin" || runtime.GOOS == "windows" {
		t.Skip("the keychain is not reached over D-Bus here")
	}
	if os.Getenv("CTWIZ_TEST_SILENT_BUS") == "1" {
		keychain = credentials.Store{Timeout: 500 * time.Millisecond}
		keychainNotice = 50 * time.Millisecond
		vars := map[string]string{envUsername: "env.user", envPassword: "env pass"}
		var errOut bytes.Buffer
		e := &env{stderr: &errOut, getenv: func(k string) string { return vars[k] }}
		c, source, err := resolveCredentials(e, "qa")
		if err != nil || c.Username != "env.user" || !strings.HasPrefix(source, "environment") {
			t.Fatalf("with the variables set: %v from %q, err %v", c, source, err)
		}
		if got := strings.Count(errOut.String(), "Waiting for the keychain"); got != 1 || !strings.Contains(errOut.String(), "profile qa") || !strings.Contains(errOut.String(), "500ms") {
			t.Fatalf("want one notice naming the profile and the limit, got:\n%s", errOut.String())
		}

		// Nothing in the environment: the unavailable message, at once
		// this time, since the first call still hangs.
		vars = nil
		errOut.Reset()
		start := time.Now()
		_, _, err = resolveCredentials(e, "qa")
		if !errors.Is(err, credentials.ErrUnavailable) || !strings.Contains(err.Error(), "CTWIZ_PASSWORD") {
			t.Fatalf("without the variables: %v", err)
		}
		if d := time.Since(start); d > 40*time.Millisecond {
			t.Fatalf("the second lookup waited %v", d)
		}
		time.Sleep(2 * keychainNotice)
		if errOut.Len() != 0 {
			t.Fatalf("a notice for a lookup that did not wait:\n%s", errOut.String())
		}
		return
	}
	sock := filepath.Join(t.TempDir(), "bus")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close() // held open, never answered, until the test ends
		}
	}()
	cmd := exec.Command(os.Args[0], "-test.run=^TestResolveCredentialsHangingKeychain$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), "CTWIZ_TEST_SILENT_BUS=1", "DBUS_SESSION_BUS_ADDRESS=unix:path="+sock)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestResolveCredentialsHangingKeychain") {
		t.Fatalf("child test: %v\n%s", err, out)
	}
}

// TestSendable: what the SOAP envelope carries exactly, and what it would
// change (so the registry would refuse the password with no reason given).
func TestSendable(t *testing.T) {
	tests := []struct {
		password string
		ok       bool
	}{
		{"Summer2026", true},
		{"  spaces  ", true},
		{`"quotes" 'and' \back`, true},
		{"<tag>&amp;]]>", true},
		{"line\nbreaks\r\nand\ttab\r", true},
		{"Ñandú Grüße 日本語 😀", true},
		{"del\x7f", true},
		{"nul\x00", false},
		{"arrow\x1b[D", false},
		{"bell\a", false},
		{"latin1 caf\xe9", false},
		{"noncharacter \uFFFE", false},
	}
	for _, tc := range tests {
		if got := sendable(tc.password); got != tc.ok {
			t.Errorf("sendable(%q) = %v, want %v", tc.password, got, tc.ok)
		}
	}
}
