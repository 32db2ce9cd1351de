//go:build e2e

package e2e

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/ctwiz-nurse/ctwiz-nurse/sandbox"
)

// credPassword has everything that tends to break quoting and encoding.
const credPassword = "pässwörd with spaces \"double\" 'single' \\ $HOME `x`\nsecond line ✓"

// credEnv is a real Secret Service session for the binary, with no
// CTWIZ_* variables and a private HOME and configuration folder.
type credEnv struct {
	bin     string
	home    string
	environ []string
}

func newCredEnv(t *testing.T) *credEnv {
	t.Helper()
	if os.Getenv("CTWIZ_E2E_KEYRING") != "1" {
		t.Skip("no private Secret Service: run under `dbus-run-session -- bash e2e/with-keyring.sh go test -tags e2e ./e2e/...` (test.sh does)")
	}
	bin := tuiBinary(t)
	home := t.TempDir()
	environ := []string{
		"HOME=" + home,
		"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"PATH=" + os.Getenv("PATH"),
	}
	// Only what reaches the Secret Service passes through; CTWIZ_* never does.
	for _, k := range []string{"DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR", "XDG_DATA_HOME", "GORACE"} {
		if v, ok := os.LookupEnv(k); ok {
			environ = append(environ, k+"="+v)
		}
	}
	return &credEnv{bin: bin, home: home, environ: environ}
}

func (c *credEnv) run(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(c.bin, args...)
	cmd.Env = c.environ
	cmd.Dir = c.home
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		code = ee.ExitCode()
	default:
		t.Fatalf("running %s: %v", c.bin, err)
	}
	if strings.Contains(out.String()+errOut.String(), credPassword) || strings.Contains(out.String()+errOut.String(), "pässwörd") {
		t.Fatalf("%q printed the password", args)
	}
	return out.String(), errOut.String(), code
}

// secretToolLookup reads an entry with libsecret's own client, an
// independent reader of what the binary stored.
func secretToolLookup(t *testing.T, profile string) (string, bool) {
	t.Helper()
	out, err := exec.Command("secret-tool", "lookup", "service", "ctwiz-nurse", "username", profile).Output()
	if err != nil {
		return "", false
	}
	return string(out), true
}

// filesContaining lists the files under the roots that hold needle.
func filesContaining(t *testing.T, needle string, roots ...string) []string {
	t.Helper()
	var hits []string
	for _, root := range roots {
		if root == "" {
			continue
		}
		filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() {
				return nil
			}
			if b, err := os.ReadFile(path); err == nil && bytes.Contains(b, []byte(needle)) {
				hits = append(hits, path)
			}
			return nil
		})
	}
	return hits
}

func TestCredentialsSecretServiceLifecycle(t *testing.T) {
	c := newCredEnv(t)
	if _, err := exec.LookPath("secret-tool"); err != nil {
		t.Skip("secret-tool (libsecret-tools) is not installed")
	}
	const profile = "e2e-qa"
	t.Cleanup(func() { keyring.Delete("ctwiz-nurse", profile) })

	out, errOut, code := c.run(t, credPassword+"\n", "login", "--profile", profile, "--username", "nurse.e2e", "--facility", "CT-E2E-01", "--password-stdin")
	if code != 0 || !strings.Contains(out, "Stored") {
		t.Fatalf("login: exit %d\n%s%s", code, out, errOut)
	}

	// The Secret Service holds the entry, password exact, as libsecret sees it.
	raw, ok := secretToolLookup(t, profile)
	if !ok {
		t.Fatal("secret-tool finds no entry for service ctwiz-nurse, username " + profile)
	}
	var stored struct{ Username, Password, Facility_ID string }
	if err := json.Unmarshal([]byte(raw), &stored); err != nil {
		t.Fatalf("entry is not the JSON payload: %v", err)
	}
	if stored.Password != credPassword || stored.Username != "nurse.e2e" || stored.Facility_ID != "CT-E2E-01" {
		t.Fatalf("Secret Service holds %q/%q, password exact: %v", stored.Username, stored.Facility_ID, stored.Password == credPassword)
	}
	// And through go-keyring, as the binary reads it.
	if v, err := keyring.Get("ctwiz-nurse", profile); err != nil || v != raw {
		t.Fatalf("go-keyring reads %v (same as secret-tool: %v)", err, v == raw)
	}

	out, _, code = c.run(t, "", "login", "--status")
	if code != 0 || !strings.Contains(out, profile+": nurse.e2e (facility CT-E2E-01), password stored") {
		t.Fatalf("login --status: exit %d\n%s", code, out)
	}

	// Nothing on disk holds the password in the clear: HOME, the
	// configuration folder, the keyring's own folder (it encrypts).
	for _, needle := range []string{credPassword, "pässwörd with spaces"} {
		if hits := filesContaining(t, needle, c.home, os.Getenv("XDG_CONFIG_HOME"), os.Getenv("XDG_DATA_HOME")); len(hits) > 0 {
			t.Fatalf("the password is in files: %q", hits)
		}
	}

	out, errOut, code = c.run(t, "", "logout", "--profile", profile)
	if code != 0 || !strings.Contains(out, "Deleted") {
		t.Fatalf("logout: exit %d\n%s%s", code, out, errOut)
	}
	if _, ok := secretToolLookup(t, profile); ok {
		t.Fatal("the entry is still in the Secret Service after logout")
	}
	if _, err := keyring.Get("ctwiz-nurse", profile); !errors.Is(err, keyring.ErrNotFound) {
		t.Fatalf("go-keyring after logout: %v", err)
	}
	out, _, code = c.run(t, "", "login", "--status", "--profile", profile)
	if code != 3 || !strings.Contains(out, "no credentials stored") {
		t.Fatalf("login --status after logout: exit %d\n%s", code, out)
	}
}

// TestCredentialsPromptInTerminal types the password at the real prompt in
// tmux and checks the screen never shows it.
func TestCredentialsPromptInTerminal(t *testing.T) {
	c := newCredEnv(t)
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed")
	}
	const profile, typed = "e2e-tty", "typed secret Ünïcode 'q' \"dq\""
	t.Cleanup(func() { keyring.Delete("ctwiz-nurse", profile) })

	sock := filepath.Join(c.home, "tmux.sock")
	tmux := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("tmux", append([]string{"-S", sock}, args...)...)
		cmd.Env = c.environ
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("tmux %q: %v\n%s", args, err, out)
		}
		return string(out)
	}
	script := c.bin + " login --profile " + profile + " --username nurse.tty; echo EXIT=$?; sleep 30"
	tmux("new-session", "-d", "-x", "120", "-y", "30", "sh", "-c", script)
	t.Cleanup(func() { exec.Command("tmux", "-S", sock, "kill-server").Run() })

	waitFor := func(want string) string {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			screen := tmux("capture-pane", "-p", "-S", "-100")
			if strings.Contains(screen, want) {
				return screen
			}
			if time.Now().After(deadline) {
				t.Fatalf("screen never showed %q:\n%s", want, screen)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	waitFor("CT WiZ facility ID")
	tmux("send-keys", "-t", "0", "CT-TTY-7", "Enter")
	waitFor("password for nurse.tty (not shown)")
	tmux("send-keys", "-t", "0", "-l", typed)
	tmux("send-keys", "-t", "0", "Enter")
	screen := waitFor("EXIT=")
	if !strings.Contains(screen, "EXIT=0") || !strings.Contains(screen, "Stored") {
		t.Fatalf("interactive login failed:\n%s", screen)
	}
	if strings.Contains(screen, "typed secret") || strings.Contains(screen, "Ünïcode") {
		t.Fatalf("the password was echoed:\n%s", screen)
	}
	tmux("kill-server")

	// Ctrl-C at the password prompt leaves the terminal echoing again.
	sock = filepath.Join(c.home, "tmux-interrupt.sock")
	t.Cleanup(func() { exec.Command("tmux", "-S", sock, "kill-server").Run() })
	// The shell traps Ctrl-C (as an interactive one does) so it outlives
	// the binary and can report the terminal's state.
	script = "trap : INT; " + c.bin + " login --profile e2e-int --username u --facility f; echo EXIT=$?; stty -a | grep -o -- '-*echo ' | head -1 | sed 's/^/STTY=/'; sleep 30"
	tmux("new-session", "-d", "-x", "120", "-y", "30", "sh", "-c", script)
	waitFor("password for u (not shown)")
	tmux("send-keys", "-t", "0", "-l", "half typ")
	tmux("send-keys", "-t", "0", "C-c")
	screen = waitFor("STTY=")
	if !strings.Contains(screen, "EXIT=130") || !strings.Contains(screen, "STTY=echo") || strings.Contains(screen, "STTY=-echo") || !strings.Contains(screen, "nothing was stored") {
		t.Fatalf("after Ctrl-C at the password prompt, want exit 130 and echo back on:\n%s", screen)
	}
	if _, err := keyring.Get("ctwiz-nurse", "e2e-int"); !errors.Is(err, keyring.ErrNotFound) {
		t.Fatalf("an interrupted login stored something: %v", err)
	}
	tmux("kill-server")

	// An arrow key at the prompt (to fix a typo the nurse cannot see)
	// puts an escape sequence in the password, which the SOAP envelope
	// cannot carry: refused at once, with the reason, not stored.
	sock = filepath.Join(c.home, "tmux-arrow.sock")
	t.Cleanup(func() {
		exec.Command("tmux", "-S", sock, "kill-server").Run()
		keyring.Delete("ctwiz-nurse", "e2e-arrow")
	})
	script = c.bin + " login --profile e2e-arrow --username u --facility f; echo EXIT=$?; sleep 30"
	tmux("new-session", "-d", "-x", "120", "-y", "30", "sh", "-c", script)
	waitFor("password for u (not shown)")
	tmux("send-keys", "-t", "0", "-l", "secre")
	tmux("send-keys", "-t", "0", "Left")
	tmux("send-keys", "-t", "0", "-l", "t")
	tmux("send-keys", "-t", "0", "Enter")
	screen = waitFor("EXIT=")
	if !strings.Contains(screen, "EXIT=2") || !strings.Contains(screen, "arrow and function keys") || strings.Contains(screen, "secre") {
		t.Fatalf("an arrow key in the password: want exit 2 and the reason:\n%s", screen)
	}
	if _, err := keyring.Get("ctwiz-nurse", "e2e-arrow"); !errors.Is(err, keyring.ErrNotFound) {
		t.Fatalf("a password with an escape sequence was stored: %v", err)
	}

	v, err := keyring.Get("ctwiz-nurse", profile)
	if err != nil {
		t.Fatal(err)
	}
	var stored struct{ Username, Password, Facility_ID string }
	if err := json.Unmarshal([]byte(v), &stored); err != nil || stored.Password != typed || stored.Facility_ID != "CT-TTY-7" {
		t.Fatalf("stored %q %q (password exact: %v), err %v", stored.Username, stored.Facility_ID, stored.Password == typed, err)
	}
}

// TestCredentialsNoSessionBus runs the binary as on a headless machine:
// it must say what to do, and not launch a bus and keyring of its own
// that would outlive it.
func TestCredentialsNoSessionBus(t *testing.T) {
	c := newCredEnv(t)
	if _, err := os.Stat(fmt.Sprintf("/run/user/%d/bus", os.Getuid())); err == nil {
		t.Skip("this machine has a session bus at /run/user/UID/bus")
	}
	c.environ = slices.DeleteFunc(c.environ, func(kv string) bool { return strings.HasPrefix(kv, "DBUS_SESSION_BUS_ADDRESS=") })
	endpoint := startSandboxBinary(t, "--user", "nurse.e2e", "--password", credPassword, "--facility", "CT-E2E-01")
	query := []string{"query", "--endpoint", endpoint, "--last", "Sandoval", "--first", "Maya", "--dob", "2008-04-12"}
	for _, args := range [][]string{{"login", "--status"}, {"logout", "--profile", "qa"}, query,
		{"login", "--profile", "e2e-nobus", "--username", "nurse.e2e", "--password-stdin"}} {
		_, errOut, code := c.run(t, credPassword, args...)
		if code != 1 {
			t.Errorf("%q: exit %d, want 1\n%s", args, code, errOut)
		}
		for _, want := range []string{"no D-Bus session bus", "gnome-keyring", "KeePassXC", "CTWIZ_USERNAME", "CTWIZ_PASSWORD", "CTWIZ_FACILITY_ID", "never written to a file"} {
			if !strings.Contains(errOut, want) {
				t.Errorf("%q: message lacks %q:\n%s", args, want, errOut)
			}
		}
	}
	// What the message says to do works: the variables, for this run.
	withVars := *c
	withVars.environ = append(slices.Clip(c.environ), "CTWIZ_USERNAME=nurse.e2e", "CTWIZ_PASSWORD="+credPassword, "CTWIZ_FACILITY_ID=CT-E2E-01")
	out, errOut, code := withVars.run(t, "", query...)
	if code != 0 || !strings.Contains(strings.ToUpper(out), "SANDOVAL") {
		t.Fatalf("query with CTWIZ_* and no keychain: exit %d\n%s%s", code, out, errOut)
	}
	if hits := filesContaining(t, "pässwörd with spaces", c.home); len(hits) > 0 {
		t.Fatalf("the password went to files without a keychain: %q", hits)
	}
}

// TestCredentialsDebugTrace: the --debug trace of a query made with the
// stored password holds neither the password nor the student's details.
func TestCredentialsDebugTrace(t *testing.T) {
	c := newCredEnv(t)
	endpoint := startSandboxBinary(t, "--user", "nurse.e2e", "--password", credPassword, "--facility", "CT-E2E-01")
	const profile = "e2e-trace"
	t.Cleanup(func() { keyring.Delete("ctwiz-nurse", profile) })
	cfgDir := filepath.Join(c.home, ".config", "ctwiz-nurse")
	if err := os.MkdirAll(cfgDir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cfgDir, "config.toml"), []byte("[profiles."+profile+"]\nendpoint = \""+endpoint+"\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := c.run(t, credPassword, "login", "--profile", profile, "--username", "nurse.e2e", "--facility", "CT-E2E-01", "--password-stdin"); code != 0 {
		t.Fatalf("login: exit %d\n%s", code, errOut)
	}
	trace := filepath.Join(c.home, "trace.log")
	// The twins: a candidate list, then the fetch by registry ID.
	search := []string{"--profile", profile, "--debug", trace, "--last", "Nguyen", "--first", "Minh", "--dob", "2017-09-03", "--pick", "2"}
	out, errOut, code := c.run(t, "", append([]string{"query"}, search...)...)
	if code != 0 || !strings.Contains(strings.ToUpper(out), "NGUYEN") {
		t.Fatalf("query --debug: exit %d\n%s%s", code, out, errOut)
	}
	// A refused password is traced too, and must not be either.
	if _, errOut, code := c.run(t, "wrong pässword", "login", "--profile", profile, "--password-stdin"); code != 0 {
		t.Fatalf("login: exit %d\n%s", code, errOut)
	}
	if _, errOut, code := c.run(t, "", append([]string{"query"}, search...)...); code != 7 {
		t.Fatalf("query with the wrong password: exit %d, want 7\n%s", code, errOut)
	}
	b, err := os.ReadFile(trace)
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(trace); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("trace file mode %v, want 0600 (%v)", fi.Mode().Perm(), err)
	}
	text := strings.ToUpper(string(b))
	if !strings.Contains(text, "QPD") || !strings.Contains(text, "SECURITYFAULT") {
		t.Fatalf("the trace lacks the exchanges it should show:\n%s", b)
	}
	for _, secret := range []string{"PÄSSWÖRD", "WRONG P", "NGUYEN", "MINH", "ANH", "KHOA", "2017-09-03", "20170903", "9000003", "9000004"} {
		if strings.Contains(text, secret) {
			t.Errorf("the trace holds %q:\n%s", secret, b)
		}
	}
}

// TestCredentialsSandboxIgnoresKeychain: an entry stored with 'login
// --profile sandbox' is never what 'query --sandbox' sends; the sandbox's
// own account is, so the query works and the keychain is not asked.
func TestCredentialsSandboxIgnoresKeychain(t *testing.T) {
	c := newCredEnv(t)
	t.Cleanup(func() { keyring.Delete("ctwiz-nurse", "sandbox") })
	if _, errOut, code := c.run(t, credPassword, "login", "--profile", "sandbox", "--username", "nurse.real", "--facility", "CTREAL01", "--password-stdin"); code != 0 {
		t.Fatalf("login --profile sandbox: exit %d\n%s", code, errOut)
	}
	out, errOut, code := c.run(t, "", "query", "--sandbox", "--last", "Sandoval", "--first", "Maya", "--dob", "2008-04-12")
	if code != 0 || !strings.Contains(strings.ToUpper(out), "SANDOVAL") {
		t.Fatalf("query --sandbox after login --profile sandbox: exit %d\n%s%s", code, out, errOut)
	}
	if strings.Contains(errOut, "keychain") || strings.Contains(out+errOut, "nurse.real") {
		t.Errorf("the keychain entry was used:\n%s%s", out, errOut)
	}
}

// TestCredentialsQueryFromKeychain is the nurse's path: login stores the
// password in the Secret Service, then query finds it there with no
// CTWIZ_* variables, against the sandbox registry (the real binary).
func TestCredentialsQueryFromKeychain(t *testing.T) {
	c := newCredEnv(t)
	endpoint := startSandboxBinary(t, "--user", "nurse.e2e", "--password", credPassword, "--facility", "CT-E2E-01")
	for _, p := range []string{"e2e-sb", "e2e-far"} {
		t.Cleanup(func() { keyring.Delete("ctwiz-nurse", p) })
	}
	// e2e-far's endpoint goes nowhere: --endpoint overrides it, and
	// --profile still names the keychain entry.
	cfgDir := filepath.Join(c.home, ".config", "ctwiz-nurse")
	if err := os.MkdirAll(cfgDir, 0o700); err != nil {
		t.Fatal(err)
	}
	cfg := "default_profile = \"e2e-sb\"\n" +
		"[profiles.e2e-sb]\nendpoint = \"" + endpoint + "\"\nusername = \"nurse.e2e\"\n" +
		"[profiles.e2e-far]\nendpoint = \"https://ctwiz.invalid/iis\"\n"
	if err := os.WriteFile(filepath.Join(cfgDir, "config.toml"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	search := []string{"--last", "Sandoval", "--first", "Maya", "--dob", "2008-04-12"}

	// Username from the configuration, connectivity test through ping.
	out, errOut, code := c.run(t, credPassword+"\n", "login", "--facility", "CT-E2E-01", "--password-stdin", "--test")
	if code != 0 || !strings.Contains(out, "for profile e2e-sb") || !strings.Contains(out, "answered") {
		t.Fatalf("login --test: exit %d\n%s%s", code, out, errOut)
	}
	out, errOut, code = c.run(t, "", append([]string{"query"}, search...)...)
	if code != 0 || !strings.Contains(strings.ToUpper(out), "SANDOVAL") {
		t.Fatalf("query with the stored login: exit %d\n%s%s", code, out, errOut)
	}

	out, errOut, code = c.run(t, credPassword, "login", "--profile", "e2e-far", "--username", "nurse.e2e", "--facility", "CT-E2E-01", "--password-stdin")
	if code != 0 {
		t.Fatalf("login --profile e2e-far: exit %d\n%s%s", code, out, errOut)
	}
	out, errOut, code = c.run(t, "", append([]string{"query", "--profile", "e2e-far", "--endpoint", endpoint}, search...)...)
	if code != 0 {
		t.Fatalf("query --profile e2e-far --endpoint: exit %d\n%s%s", code, out, errOut)
	}

	// A wrong stored password: exit 7 and the way out.
	if _, errOut, code := c.run(t, "wrong password", "login", "--profile", "e2e-far", "--password-stdin"); code != 0 {
		t.Fatalf("login with the wrong password: %s", errOut)
	}
	out, errOut, code = c.run(t, "", append([]string{"query", "--profile", "e2e-far", "--endpoint", endpoint}, search...)...)
	if code != 7 || !strings.Contains(errOut, "ctwiz-nurse login") || strings.Contains(out+errOut, "wrong password") {
		t.Fatalf("query with a wrong stored password: exit %d, want 7 naming 'ctwiz-nurse login'\n%s%s", code, out, errOut)
	}

	for _, needle := range []string{credPassword, "pässwörd with spaces", "wrong password"} {
		if hits := filesContaining(t, needle, c.home, os.Getenv("XDG_DATA_HOME")); len(hits) > 0 {
			t.Fatalf("a password is in files: %q", hits)
		}
	}
	for _, p := range []string{"e2e-sb", "e2e-far"} {
		if _, errOut, code := c.run(t, "", "logout", "--profile", p); code != 0 {
			t.Fatalf("logout %s: %s", p, errOut)
		}
		if _, ok := secretToolLookup(t, p); ok {
			t.Fatalf("entry %s still in the Secret Service after logout", p)
		}
	}
	// Nothing stored and no variables: the query says what to do.
	_, errOut, code = c.run(t, "", append([]string{"query"}, search...)...)
	if code != 7 || !strings.Contains(errOut, "ctwiz-nurse login --profile e2e-sb") || !strings.Contains(errOut, "CTWIZ_PASSWORD") {
		t.Fatalf("query after logout: exit %d\n%s", code, errOut)
	}
}

// TestCredentialsEnvNotInherited: with the credentials in the CTWIZ_*
// variables, the PDF viewer the interface starts (a stand-in xdg-open that
// records its environment) gets the rest of the environment but never
// CTWIZ_PASSWORD: a viewer or browser can outlive ctwiz-nurse by hours.
func TestCredentialsEnvNotInherited(t *testing.T) {
	endpoint := startSandboxProcess(t)
	fake := t.TempDir()
	dump := filepath.Join(fake, "viewer-env.txt")
	script := "#!/bin/sh\nenv > " + shellQuote(dump) + ".tmp && mv " + shellQuote(dump) + ".tmp " + shellQuote(dump) + "\n"
	if err := os.WriteFile(filepath.Join(fake, "xdg-open"), []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	p := startTUI(t, 100, 30, []string{
		"PATH=" + fake + string(os.PathListSeparator) + os.Getenv("PATH"),
		"CTWIZ_USERNAME=" + sandbox.DefaultUsername,
		"CTWIZ_PASSWORD=" + sandbox.DefaultPassword,
		"CTWIZ_FACILITY_ID=" + sandbox.DefaultFacility,
	}, "--endpoint", endpoint)
	p.search("SANDOVAL", "Maya", "04/12/2008")
	p.waitFor("SANDOVAL, Maya Rose", "Forecast")
	p.keys("p")
	p.waitFor("Print this record:", "v viewer")
	p.keys("v")
	var env []byte
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		var err error
		if env, err = os.ReadFile(dump); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the viewer was never started:\n%s", p.screen())
		}
	}
	if !strings.Contains(string(env), "CTWIZ_USERNAME="+sandbox.DefaultUsername) {
		t.Fatalf("the viewer did not get the environment at all:\n%s", env)
	}
	if strings.Contains(string(env), "CTWIZ_PASSWORD") {
		t.Fatalf("the viewer inherited CTWIZ_PASSWORD")
	}
	p.quit("q")
}

// TestCredentialsNoBubbleTeaTrace: TEA_TRACE and TEA_DEBUG in the nurse's
// environment would make Bubble Tea write every key typed (the password
// at the login screen) and every screen drawn to a file; the interface
// must not honour them.
func TestCredentialsNoBubbleTeaTrace(t *testing.T) {
	endpoint := startSandboxProcess(t)
	dir := t.TempDir()
	trace := filepath.Join(dir, "tea-trace.log")
	p := startTUI(t, 100, 30, []string{"TEA_TRACE=" + trace, "TEA_DEBUG=1", "DBUS_SESSION_BUS_ADDRESS=disabled:"}, "--endpoint", endpoint)
	p.waitFor("Sign in to CT WiZ")
	p.typeText(sandbox.DefaultUsername)
	p.keys("Tab")
	p.typeText(sandbox.DefaultFacility)
	p.keys("Tab")
	p.typeText(sandbox.DefaultPassword)
	p.keys("Enter")
	p.waitFor("Find a student")
	p.search("SANDOVAL", "Maya", "04/12/2008")
	p.waitFor("SANDOVAL, Maya Rose", "Forecast")
	p.quit("q")
	if _, err := os.Stat(trace); !errors.Is(err, fs.ErrNotExist) {
		b, _ := os.ReadFile(trace)
		t.Fatalf("Bubble Tea wrote a trace (%v):\n%.400s", err, b)
	}
}
