package credentials

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
)

// awkward passwords: every one must come back byte for byte.
var awkward = []struct{ name, password string }{
	{"plain", "Summer2026"},
	{"spaces", "  leading and trailing spaces  "},
	{"quotes", `it's "quoted" and \backslashed\`},
	{"newlines", "line one\nline two\r\nline three\n"},
	{"non-ASCII", "Ñandú-Grüße-Łódź-日本語-😀"},
	{"json-looking", `{"v":2,"password":"x"}`},
	{"control", "tab\there\x00nul\x1bescape"},
	{"long", strings.Repeat("pässwörd ", 200)},
}

func TestRoundTrip(t *testing.T) {
	keyring.MockInit()
	var s Store
	for _, tc := range awkward {
		t.Run(tc.name, func(t *testing.T) {
			want := Credentials{Username: "nurse.jane " + tc.name, Password: tc.password, FacilityID: "CT-0042 é"}
			if err := s.Set("qa", want); err != nil {
				t.Fatalf("Set: %v", err)
			}
			got, err := s.Get("qa")
			if err != nil {
				t.Fatalf("Get: %v", err)
			}
			if got.Username != want.Username || got.Password != want.Password || got.FacilityID != want.FacilityID {
				t.Fatalf("round trip changed the credentials:\n got %q %q %q\nwant %q %q %q",
					got.Username, got.Password, got.FacilityID, want.Username, want.Password, want.FacilityID)
			}
		})
	}
}

func TestProfilesAndDelete(t *testing.T) {
	keyring.MockInit()
	var s Store
	c := Credentials{Username: "u", Password: "p"}
	for _, p := range []string{"production", "qa", "", "qa"} {
		if err := s.Set(p, c); err != nil {
			t.Fatalf("Set(%q): %v", p, err)
		}
	}
	got, err := s.Profiles()
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{DefaultProfile, "production", "qa"}; !slices.Equal(got, want) {
		t.Fatalf("Profiles = %q, want %q", got, want)
	}

	// An entry removed behind our back (secret-tool clear) drops out.
	if err := keyring.Delete(Service, "production"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Profiles(); !slices.Equal(got, []string{DefaultProfile, "qa"}) {
		t.Fatalf("after outside delete Profiles = %q", got)
	}

	tests := []struct {
		profile string
		wantErr error
	}{
		{"qa", nil},
		{"qa", ErrNotFound},
		{"", nil},
		{"production", ErrNotFound},
	}
	for _, tc := range tests {
		err := s.Delete(tc.profile)
		if !errors.Is(err, tc.wantErr) || (tc.wantErr == nil) != (err == nil) {
			t.Errorf("Delete(%q) = %v, want %v", tc.profile, err, tc.wantErr)
		}
	}
	if got, err := s.Profiles(); err != nil || len(got) != 0 {
		t.Fatalf("after deleting all Profiles = %q, %v", got, err)
	}
	// The index entry goes too: nothing of ours is left in the keychain.
	if err := keyring.DeleteAll(Service); err != nil {
		t.Fatal(err)
	}
	if _, err := keyring.Get(Service, indexUser); !errors.Is(err, keyring.ErrNotFound) {
		t.Fatalf("index entry left behind: %v", err)
	}
}

func TestGetNotFound(t *testing.T) {
	keyring.MockInit()
	_, err := Store{}.Get("qa")
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), `"qa"`) {
		t.Fatalf("Get on empty keychain = %v, want ErrNotFound naming the profile", err)
	}
}

func TestServiceSeparation(t *testing.T) {
	keyring.MockInit()
	other := Store{Service: "ctwiz-nurse-test"}
	if err := other.Set("qa", Credentials{Username: "u", Password: "p"}); err != nil {
		t.Fatal(err)
	}
	if _, err := (Store{}).Get("qa"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("entry leaked across services: %v", err)
	}
}

func TestUnavailable(t *testing.T) {
	const password = "s3cret pass"
	// A bus address, so the mock's error is the one reported.
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/mock-bus")
	// A keychain error that (absurdly) quotes what it was given.
	keyring.MockInitWithError(fmt.Errorf("org.freedesktop.DBus.Error.ServiceUnknown: cannot store %q", password))
	var s Store
	ops := []struct {
		name string
		run  func() error
	}{
		{"get", func() error { _, err := s.Get("qa"); return err }},
		{"set", func() error { return s.Set("qa", Credentials{Username: "u", Password: password}) }},
		{"delete", func() error { return s.Delete("qa") }},
		{"profiles", func() error { _, err := s.Profiles(); return err }},
	}
	for _, op := range ops {
		t.Run(op.name, func(t *testing.T) {
			err := op.run()
			if !errors.Is(err, ErrUnavailable) {
				t.Fatalf("err = %v, want ErrUnavailable", err)
			}
			var ue *UnavailableError
			if !errors.As(err, &ue) {
				t.Fatalf("err is %T, want *UnavailableError", err)
			}
			msg := err.Error()
			for _, want := range []string{"gnome-keyring", "KeePassXC", "CTWIZ_USERNAME", "CTWIZ_PASSWORD", "CTWIZ_FACILITY_ID", "ServiceUnknown", "never written to a file"} {
				if !strings.Contains(msg, want) {
					t.Errorf("message lacks %q: %s", want, msg)
				}
			}
			if op.name == "set" && strings.Contains(msg, password) {
				t.Errorf("message shows the password: %s", msg)
			}
		})
	}
}

func TestDamagedEntry(t *testing.T) {
	keyring.MockInit()
	const raw = "hunter2-bare-password"
	for _, v := range []string{raw, `{"v":1,"username":"u"}`, `{"v":9,"username":"u","password":"` + raw + `"}`} {
		if err := keyring.Set(Service, "qa", v); err != nil {
			t.Fatal(err)
		}
		_, err := Store{}.Get("qa")
		if err == nil || !strings.Contains(err.Error(), "ctwiz-nurse login --profile qa") {
			t.Fatalf("Get of %q = %v, want a 'run login' error", v, err)
		}
		if strings.Contains(err.Error(), raw) {
			t.Fatalf("error quotes the keychain contents: %v", err)
		}
	}
}

func TestSetNeedsUsernameAndPassword(t *testing.T) {
	keyring.MockInit()
	for _, c := range []Credentials{{Password: "p"}, {Username: "u"}} {
		if err := (Store{}).Set("qa", c); err == nil {
			t.Errorf("Set(%v) succeeded", c)
		}
	}
}

func TestValidProfile(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
	}{
		{"qa", true}, {"production", true}, {"School_2.east-wing", true}, {"East Hartford", true}, {"Ñandú/2", true},
		{"", false}, {":profiles", false}, {":x", false}, {"a\nb", false}, {"tab\there", false}, {"\x1b[31mred", false}, {"\xff", false},
		{strings.Repeat("x", 64), true}, {strings.Repeat("x", 65), false},
	}
	for _, tc := range tests {
		if err := ValidProfile(tc.name); (err == nil) != tc.ok {
			t.Errorf("ValidProfile(%q) = %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
	keyring.MockInit()
	if err := (Store{}).Set("bad\nname", Credentials{Username: "u", Password: "p"}); err == nil {
		t.Error("Set accepted an invalid profile name")
	}
}

func TestPasswordNeverPrinted(t *testing.T) {
	const password = "Tr0ub4dor&3 ü"
	c := Credentials{Username: "jane", Password: password, FacilityID: "F1"}
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Info("login", "creds", c)
	js, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	outputs := map[string]string{
		"%v":  fmt.Sprintf("%v", c),
		"%+v": fmt.Sprintf("%+v", c),
		"%#v": fmt.Sprintf("%#v", c),
		"%s":  fmt.Sprintf("%s", c),
		"ptr": fmt.Sprintf("%v", &c),
		"field": fmt.Sprintf("%+v", struct {
			C   Credentials
			Ptr *Credentials
		}{c, &c}),
		"json": string(js),
		"slog": logged.String(),
	}
	for how, out := range outputs {
		if strings.Contains(out, password) {
			t.Errorf("%s shows the password: %s", how, out)
		}
		if !strings.Contains(out, "jane") {
			t.Errorf("%s lost the username: %s", how, out)
		}
	}
}

// TestTimeout: a keychain that never answers (locked, no way to show its
// unlock prompt) costs one timeout; while that call still hangs, later
// calls fail at once rather than wait again; once it returns, the
// keychain is used again.
func TestTimeout(t *testing.T) {
	block := make(chan struct{})
	released := false
	release := func() {
		if !released {
			released = true
			close(block)
		}
		for deadline := time.Now().Add(5 * time.Second); blocked.Load() > 0; time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("the timed-out call was never counted as returned")
			}
		}
	}
	t.Cleanup(release)

	s := Store{Timeout: 20 * time.Millisecond}
	start := time.Now()
	err := s.do("read", "", func() error { <-block; return nil })
	if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "locked") {
		t.Fatalf("blocked keychain = %v, want ErrUnavailable mentioning a lock", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("timeout took %v", d)
	}

	ran := false
	start = time.Now()
	err = Store{Timeout: time.Minute}.do("store", "", func() error { ran = true; return nil })
	if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "earlier request") || !strings.Contains(err.Error(), "CTWIZ_PASSWORD") {
		t.Fatalf("call while another hangs = %v, want ErrUnavailable about the earlier request, with advice", err)
	}
	if ran {
		t.Fatal("the keychain was asked again while an earlier call still hangs")
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("the second call waited %v instead of failing at once", d)
	}

	release()
	if err := s.do("read", "", func() error { ran = true; return nil }); err != nil || !ran {
		t.Fatalf("after the hanging call returned: err %v, keychain asked %v", err, ran)
	}
}

func TestNoSessionBus(t *testing.T) {
	if runtime.GOOS == "darwin" || runtime.GOOS == "windows" {
		t.Skip("the keychain is not reached over D-Bus here")
	}
	if _, err := os.Stat(fmt.Sprintf("/run/user/%d/bus", os.Getuid())); err == nil {
		t.Skip("this machine has a session bus at /run/user/UID/bus")
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	keyring.MockInitWithError(errors.New("dbus: invalid bus address (invalid or unsupported transport)"))
	_, err := Store{}.Get("qa")
	if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "no D-Bus session bus") {
		t.Fatalf("Get with no session bus = %v", err)
	}
	if got := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); got != noBusAddress {
		t.Fatalf("DBUS_SESSION_BUS_ADDRESS = %q: godbus would launch a bus", got)
	}
}

// silentBus listens where DBUS_SESSION_BUS_ADDRESS will point and accepts
// connections without ever answering: a session bus (or keyring behind
// it) that hangs, as a locked Secret Service with no way to show its
// unlock prompt does.
func silentBus(t *testing.T) string {
	t.Helper()
	sock := filepath.Join(t.TempDir(), "bus")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	var conns []net.Conn
	var mu sync.Mutex
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return "unix:path=" + sock
}

// TestKeychainNeverAnswers runs the real go-keyring Secret Service client
// (in a child test process, since the other tests replace it with the
// mock for good) against a bus that never answers.
func TestKeychainNeverAnswers(t *testing.T) {
	if runtime.GOOS == "darwin" || runtime.GOOS == "windows" {
		t.Skip("the keychain is not reached over D-Bus here")
	}
	if os.Getenv("CTWIZ_TEST_SILENT_BUS") == "1" {
		s := Store{Timeout: 300 * time.Millisecond}
		start := time.Now()
		_, err := s.Get("qa")
		if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "locked") || !strings.Contains(err.Error(), "CTWIZ_PASSWORD") {
			t.Fatalf("Get from a silent bus = %v, want ErrUnavailable saying it may be locked, with advice", err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("Get took %v with a 300ms limit", d)
		}
		start = time.Now()
		err = s.Set("qa", Credentials{Username: "u", Password: "never sent"})
		if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "earlier request") {
			t.Fatalf("Set while Get still hangs = %v", err)
		}
		if d := time.Since(start); d > 100*time.Millisecond {
			t.Fatalf("Set waited %v instead of failing at once", d)
		}
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestKeychainNeverAnswers$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), "CTWIZ_TEST_SILENT_BUS=1", "DBUS_SESSION_BUS_ADDRESS="+silentBus(t))
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestKeychainNeverAnswers") {
		t.Fatalf("child test: %v\n%s", err, out)
	}
}
