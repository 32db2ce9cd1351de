//go:build e2e

package e2e

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/zalando/go-keyring"

	"github.com/ctwiz-nurse/ctwiz-nurse/sandbox"
)

// The terminal interface, run for real: the binary in a tmux pane against
// the in-process sandbox registry (--sandbox), driven by keys and read
// from the screen. Each step waits for the screen to show its state
// before typing.

var tuiBuild struct {
	once sync.Once
	bin  string
	err  error
}

// tuiBinary is CTWIZ_E2E_BIN (test.sh builds it with -race), or a build
// of ./cmd/ctwiz-nurse made once for this run.
func tuiBinary(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv("CTWIZ_E2E_BIN"); bin != "" {
		return bin
	}
	tuiBuild.once.Do(func() {
		dir, err := os.MkdirTemp("", "ctwiz-e2e-bin-")
		if err != nil {
			tuiBuild.err = err
			return
		}
		tuiBuild.bin = filepath.Join(dir, "ctwiz-nurse")
		out, err := exec.Command("go", "build", "-o", tuiBuild.bin, "../cmd/ctwiz-nurse").CombinedOutput()
		if err != nil {
			tuiBuild.err = &buildError{string(out)}
		}
	})
	if tuiBuild.err != nil {
		t.Fatalf("building the binary: %v", tuiBuild.err)
	}
	return tuiBuild.bin
}

type buildError struct{ out string }

func (e *buildError) Error() string { return e.out }

// tuiPane is one tmux server with the interface in its only pane.
type tuiPane struct {
	t     *testing.T
	sock  string
	env   []string
	cache string // the user cache folder: where the log goes
}

// startTUI runs the binary with args in a w x h tmux pane, with a private
// HOME (so no configuration or credentials of the machine are used).
func startTUI(t *testing.T, w, h int, extraEnv []string, args ...string) *tuiPane {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed (apt-get install tmux)")
	}
	bin := tuiBinary(t)
	home := t.TempDir()
	p := &tuiPane{t: t, sock: filepath.Join(home, "tmux.sock"), cache: filepath.Join(home, ".cache")}
	p.env = []string{
		"HOME=" + home,
		"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"XDG_CACHE_HOME=" + p.cache,
		"PATH=" + os.Getenv("PATH"),
		"TERM=xterm-256color",
		"LANG=C.UTF-8",
	}
	for _, k := range []string{"DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR", "XDG_DATA_HOME", "GORACE"} {
		if v, ok := os.LookupEnv(k); ok {
			p.env = append(p.env, k+"="+v)
		}
	}
	p.env = append(p.env, extraEnv...)
	// The pane stays after the program ends so its exit can be checked.
	cmdline := shellQuote(bin)
	for _, a := range args {
		cmdline += " " + shellQuote(a)
	}
	cmdline += "; echo EXIT=$?; sleep 60"
	p.tmux("-f", "/dev/null", "new-session", "-d", "-x", strconv.Itoa(w), "-y", strconv.Itoa(h), "sh", "-c", cmdline)
	p.tmux("set-option", "-g", "window-size", "manual")
	t.Cleanup(func() { exec.Command("tmux", "-S", p.sock, "kill-server").Run() })
	return p
}

func (p *tuiPane) tmux(args ...string) string {
	p.t.Helper()
	cmd := exec.Command("tmux", append([]string{"-S", p.sock}, args...)...)
	cmd.Env = p.env
	out, err := cmd.CombinedOutput()
	if err != nil {
		p.t.Fatalf("tmux %q: %v\n%s", args, err, out)
	}
	return string(out)
}

func (p *tuiPane) screen() string { return p.tmux("capture-pane", "-p", "-t", "0") }

// waitFor polls the pane until it shows every one of wants.
func (p *tuiPane) waitFor(wants ...string) string {
	p.t.Helper()
	return p.waitUntil(func(s string) string { return s }, wants)
}

// waitForWords is waitFor for text that may wrap: the screen's words are
// read as one line.
func (p *tuiPane) waitForWords(wants ...string) string {
	p.t.Helper()
	return p.waitUntil(func(s string) string { return strings.Join(strings.Fields(s), " ") }, wants)
}

// waitUntil polls the pane until read(screen) holds every one of wants,
// and returns the screen.
func (p *tuiPane) waitUntil(read func(string) string, wants []string) string {
	p.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		s := p.screen()
		text, ok := read(s), true
		for _, w := range wants {
			ok = ok && strings.Contains(text, w)
		}
		if ok {
			return s
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("the screen never showed %q:\n%s", wants, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// typeText types text literally; keys are tmux key names (Tab, Enter...).
func (p *tuiPane) typeText(text string) { p.tmux("send-keys", "-t", "0", "-l", text) }
func (p *tuiPane) keys(keys ...string) {
	p.tmux(append([]string{"send-keys", "-t", "0"}, keys...)...)
}

// search fills last name, first name and date of birth and submits.
func (p *tuiPane) search(last, first, dob string) {
	p.waitFor("Find a student", "Last name")
	p.typeText(last)
	p.keys("Tab")
	p.typeText(first)
	p.keys("Tab")
	p.typeText(dob)
	p.keys("Enter")
}

// checkFits fails when a line of the screen is wider than w.
func (p *tuiPane) checkFits(screen string, w int) {
	p.t.Helper()
	for _, l := range strings.Split(screen, "\n") {
		if n := utf8.RuneCountInString(l); n > w {
			p.t.Errorf("line of %d columns at width %d: %q", n, w, l)
		}
	}
}

// quit presses q (or ctrl+c) and checks the program ended cleanly and
// gave the terminal back (the alternate screen is gone).
func (p *tuiPane) quit(keys ...string) {
	p.t.Helper()
	p.keys(keys...)
	s := p.waitFor("EXIT=")
	if !strings.Contains(s, "EXIT=0") {
		p.t.Errorf("the interface did not exit with 0:\n%s", s)
	}
	for _, leftover := range []string{"Find a student", "CT WiZ", "SANDBOX"} {
		if strings.Contains(s, leftover) {
			p.t.Errorf("the interface left %q on the terminal:\n%s", leftover, s)
		}
	}
}

// checkLog checks the interface wrote its log under the cache folder and
// that it holds none of the given patient values.
func (p *tuiPane) checkLog(patient ...string) {
	p.t.Helper()
	b, err := os.ReadFile(filepath.Join(p.cache, "ctwiz-nurse", "interface.log"))
	if err != nil {
		p.t.Fatalf("no interface log: %v", err)
	}
	if !strings.Contains(string(b), "interface started") {
		p.t.Errorf("the log lacks the start:\n%s", b)
	}
	for _, v := range patient {
		if strings.Contains(string(b), v) {
			p.t.Errorf("the log holds patient data %q:\n%s", v, b)
		}
	}
}

func TestTUITwinsToRecord(t *testing.T) {
	for _, size := range [][2]int{{100, 30}, {80, 24}} {
		t.Run(strconv.Itoa(size[0])+"x"+strconv.Itoa(size[1]), func(t *testing.T) {
			p := startTUI(t, size[0], size[1], nil, "--sandbox")
			s := p.waitFor("SANDBOX", "Find a student")
			p.checkFits(s, size[0])
			p.search("NGUYEN", "Minh", "09/03/2017")
			s = p.waitFor("2 students match", "Minh Anh", "Minh Khoa")
			p.checkFits(s, size[0])
			// Choose the second twin.
			p.keys("Down")
			p.waitFor("> ")
			p.keys("Enter")
			s = p.waitFor("NGUYEN, Minh Khoa", "Forecast", "Born 09/03/2017")
			p.checkFits(s, size[0])
			// The history is below the forecast: scroll to it.
			p.keys("End")
			s = p.waitFor("end of the record", "Varicella")
			if !strings.Contains(s, "valid") {
				t.Errorf("the history shows no validity:\n%s", s)
			}
			p.keys("Escape")
			p.waitFor("2 students match")
			p.quit("q")
			p.checkLog("NGUYEN", "Minh", "2017-09-03", "09/03/2017", "9000004")
		})
	}
}

func TestTUINotFound(t *testing.T) {
	p := startTUI(t, 80, 24, nil, "--sandbox")
	p.search("DOE", "Jane", "2016-01-01")
	s := p.waitFor("No student matches", "born out of state")
	p.checkFits(s, 80)
	if !strings.Contains(s, "DOE") {
		t.Errorf("the form lost what was typed:\n%s", s)
	}
	p.quit("C-c")
}

func TestTUITooMany(t *testing.T) {
	p := startTUI(t, 100, 30, nil, "--sandbox")
	p.search("SMITH", "Michael", "09/01/2015")
	s := p.waitFor("Too many students match", "middle name")
	p.checkFits(s, 100)
	p.quit("C-c")
}

// startSlowSandbox runs 'ctwiz-nurse sandbox' answering every request
// after 30 seconds, and returns its endpoint and the CTWIZ_* variables
// that sign in to it.
func startSlowSandbox(t *testing.T) (endpoint string, env []string) {
	t.Helper()
	return startSandboxProcess(t, "--misbehave", "slow", "--latency", "30s"), []string{"CTWIZ_USERNAME=" + sandbox.DefaultUsername,
		"CTWIZ_PASSWORD=" + sandbox.DefaultPassword, "CTWIZ_FACILITY_ID=" + sandbox.DefaultFacility}
}

func TestTUIEscCancelsSlowQuery(t *testing.T) {
	endpoint, env := startSlowSandbox(t)
	p := startTUI(t, 80, 24, env, "--endpoint", endpoint)
	p.search("PARKER", "Liam", "06/20/2019")
	p.waitFor("Searching CT WiZ", "Esc to cancel")
	p.waitFor("1s")
	start := time.Now()
	p.keys("Escape")
	s := p.waitFor("Search cancelled")
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Esc took %v to cancel", d)
	}
	if !strings.Contains(s, "PARKER") || !strings.Contains(s, "06/20/2019") {
		t.Errorf("the form lost what was typed:\n%s", s)
	}
	p.quit("C-c")
}

func TestTUIResize(t *testing.T) {
	p := startTUI(t, 100, 30, nil, "--sandbox")
	p.search("PARKER", "Liam", "06/20/2019")
	p.waitFor("PARKER, Liam", "Forecast", "OVERDUE")
	for _, size := range [][2]int{{80, 24}, {120, 40}, {60, 20}, {80, 24}} {
		p.tmux("resize-window", "-t", "0", "-x", strconv.Itoa(size[0]), "-y", strconv.Itoa(size[1]))
		s := p.waitFor("PARKER, Liam", "Forecast", "OVERDUE", "Lines 1-")
		p.checkFits(s, size[0])
		if n := len(strings.Split(strings.TrimRight(s, "\n"), "\n")); n > size[1] {
			t.Errorf("%d lines at height %d", n, size[1])
		}
	}
	p.quit("q")
}

// shellQuote quotes s for sh.
func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// startSandboxProcess runs 'ctwiz-nurse sandbox' with args on a free
// loopback port and returns its endpoint.
func startSandboxProcess(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command(tuiBinary(t), append([]string{"sandbox", "--listen", "127.0.0.1:0", "--quiet"}, args...)...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("the sandbox printed no endpoint: %v", err)
	}
	return strings.TrimSpace(line)
}

// TestTUILoginThroughSecretService: no stored credentials, so the login
// screen. A wrong password is used but not stored; the registry's
// SecurityFault brings the login back with the search kept and nothing
// stored; the right one is stored in the real Secret Service only when
// the search has brought CT WiZ's reply, as secret-tool reads it (issue
// 11.3).
func TestTUILoginThroughSecretService(t *testing.T) {
	if os.Getenv("CTWIZ_E2E_KEYRING") != "1" {
		t.Skip("no private Secret Service: run under `dbus-run-session -- bash e2e/with-keyring.sh go test -tags e2e ./e2e/...` (test.sh does)")
	}
	if _, err := exec.LookPath("secret-tool"); err != nil {
		t.Skip("secret-tool (libsecret-tools) is not installed")
	}
	const profile = "e2e-tui-login"
	t.Cleanup(func() { keyring.Delete("ctwiz-nurse", profile) })
	notStored := func(step string) {
		t.Helper()
		if v, ok := secretToolLookup(t, profile); ok {
			t.Fatalf("%s: the Secret Service already holds an entry: %d bytes", step, len(v))
		}
	}
	endpoint := startSandboxProcess(t)
	p := startTUIConfigured(t, 100, 30, "[profiles."+profile+"]\nendpoint = \""+endpoint+"\"\n", "--profile", profile)
	p.waitFor("Sign in to CT WiZ", "No CT WiZ credentials are stored")
	p.typeText(sandbox.DefaultUsername)
	p.keys("Tab")
	p.typeText(sandbox.DefaultFacility)
	p.keys("Tab")
	p.typeText("wrong-pässword")
	s := p.waitFor("••••")
	if strings.Contains(s, "wrong-p") {
		t.Fatalf("the password is shown:\n%s", s)
	}
	p.keys("Enter")
	p.waitForWords("Find a student", "once CT WiZ accepts them", "user "+sandbox.DefaultUsername)
	notStored("signed in, no search yet")
	p.search("SANDOVAL", "Maya", "04/12/2008")
	p.waitForWords("Sign in to CT WiZ", "refused the username, password or facility ID", "Nothing was saved in the keychain")
	notStored("after the SecurityFault")
	p.typeText(sandbox.DefaultPassword)
	p.keys("Enter")
	s = p.waitForWords("Find a student", "once CT WiZ accepts them")
	if !strings.Contains(s, "SANDOVAL") {
		t.Errorf("the search was not kept across the sign-in:\n%s", s)
	}
	notStored("signed in again, before the search")
	p.keys("Enter")
	p.waitFor("SANDOVAL, Maya Rose", "Forecast")
	deadline := time.Now().Add(10 * time.Second)
	for {
		stored, ok := secretToolLookup(t, profile)
		if ok {
			if !strings.Contains(stored, `"password":"`+sandbox.DefaultPassword+`"`) {
				t.Errorf("the keychain holds another password")
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("CT WiZ answered, and still nothing in the Secret Service")
		}
		time.Sleep(50 * time.Millisecond)
	}
	p.quit("q")
	p.checkLog("SANDOVAL", "Maya", "2008-04-12", "04/12/2008", "wrong-p", "password="+sandbox.DefaultPassword)
}

// TestTUIPrintToCUPS prints the record from the interface ('p', then 'p'
// for the printer) to a cups-pdf queue and reads the PDF it wrote.
func TestTUIPrintToCUPS(t *testing.T) {
	q := startCUPS(t)
	p := startTUIConfigured(t, 100, 30, "[profiles.school]\nprinter = \""+q.name+"\"\n", "--sandbox")
	before := existingPDFs(q.out)
	p.search("SANDOVAL", "Maya", "04/12/2008")
	p.waitFor("SANDOVAL, Maya Rose", "Forecast")
	p.keys("p")
	// The menu names the printer the job goes to, then asks for copies (issue 11.20).
	p.waitFor("Print this record:", "p printer "+q.name, "v viewer")
	p.keys("p")
	p.waitFor("Copies to print on " + q.name + ": 1")
	p.keys("C-u")
	p.typeText("2")
	p.keys("Enter")
	p.waitFor("Sent 2 copies to printer " + q.name)
	text := awaitPDF(t, q.out, before, "SANDOVAL")
	for _, want := range []string{"Immunization Record", "04/12/2008", "SANDBOX - synthetic data", sandbox.DefaultUsername} {
		if !strings.Contains(text, want) {
			t.Errorf("the printed PDF lacks %q:\n%s", want, text)
		}
	}
	p.quit("q")
}

// startTUIConfigured is startTUI with a config.toml written before the
// program starts, and CUPS_SERVER passed on when a test set it.
func startTUIConfigured(t *testing.T, w, h int, config string, args ...string) *tuiPane {
	t.Helper()
	home := t.TempDir()
	cfg := filepath.Join(home, "config")
	path := filepath.Join(cfg, "ctwiz-nurse", "config.toml")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{"XDG_CONFIG_HOME=" + cfg}
	if v := os.Getenv("CUPS_SERVER"); v != "" {
		env = append(env, "CUPS_SERVER="+v)
	}
	return startTUI(t, w, h, env, args...)
}

// TestTUINoColor: with NO_COLOR the screen carries no colour at all, and
// every status is still written as a word.
func TestTUINoColor(t *testing.T) {
	for _, noColor := range []bool{false, true} {
		t.Run("NO_COLOR="+strconv.FormatBool(noColor), func(t *testing.T) {
			var env []string
			if noColor {
				env = []string{"NO_COLOR=1"}
			}
			p := startTUI(t, 100, 30, env, "--sandbox")
			p.search("PARKER", "Liam", "06/20/2019")
			p.waitFor("PARKER, Liam", "OVERDUE", "SANDBOX")
			styled := p.tmux("capture-pane", "-p", "-e", "-t", "0")
			coloured := regexp.MustCompile(`\x1b\[[0-9;]*(3[0-7]|4[0-7]|9[0-7]|38;|48;)[0-9;]*m`).MatchString(styled)
			if noColor && coloured {
				t.Errorf("colour with NO_COLOR set:\n%q", styled)
			}
			if !noColor && !coloured {
				t.Errorf("no colour without NO_COLOR:\n%q", styled)
			}
			p.quit("q")
		})
	}
}

// TestTUIIdleLock: with idle_lock = "3s" in the profile, the record is
// replaced by the lock screen and the student is gone; Enter alone does
// not unlock, the account's password (the sandbox's) starts a new, empty
// search, and the idle lock comes again (issue 11.2).
func TestTUIIdleLock(t *testing.T) {
	p := startTUIConfigured(t, 80, 24, "[profiles.school]\nidle_lock = \"3s\"\n", "--sandbox")
	p.search("PARKER", "Liam", "06/20/2019")
	p.waitFor("PARKER, Liam", "Forecast")
	s := p.waitFor("Locked after 3 seconds without activity", "Type your CT WiZ password to unlock")
	p.checkNoStudent(s, "PARKER", "Liam", "06/20/2019")
	p.keys("Enter")
	p.waitFor("Type your CT WiZ password, then press Enter.")
	p.typeText(sandbox.DefaultPassword)
	p.keys("Enter")
	s = p.waitFor("Find a student", "Unlocked")
	p.checkNoStudent(s, "PARKER")
	p.waitFor("Locked after 3 seconds without activity")
	p.quit("C-c")
}

// checkNoStudent fails when the screen shows any of a student's values.
func (p *tuiPane) checkNoStudent(screen string, values ...string) {
	p.t.Helper()
	for _, v := range values {
		if strings.Contains(screen, v) {
			p.t.Errorf("the screen shows %q:\n%s", v, screen)
		}
	}
}

// TestTUILockAsksForPassword: ctrl+l on a record leads to the lock, which
// shows nothing of the student, refuses a wrong password with the tries
// left, and opens on the right one (the built-in sandbox's, which its lock
// screen gives) to a new, empty search (issue 11.2).
func TestTUILockAsksForPassword(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {60, 15}} {
		t.Run(strconv.Itoa(size[0])+"x"+strconv.Itoa(size[1]), func(t *testing.T) {
			p := startTUI(t, size[0], size[1], nil, "--sandbox")
			p.search("PARKER", "Liam", "06/20/2019")
			p.waitFor("PARKER, Liam", "Forecast")
			p.keys("C-l")
			s := p.waitForWords("Locked.", "Type your CT WiZ password to unlock", "Built-in sandbox: the password is "+sandbox.DefaultPassword+".", "ctrl+c quit")
			p.checkFits(s, size[0])
			p.checkNoStudent(s, "PARKER", "Liam", "06/20/2019")
			p.typeText("xyzzy")
			s = p.waitFor("[•••••")
			p.checkNoStudent(s, "xyzzy")
			p.keys("Enter")
			s = p.waitFor("Wrong password: 2 tries left.")
			p.checkFits(s, size[0])
			// The field is empty again.
			p.checkNoStudent(s, "PARKER", "Liam", "06/20/2019", "[•")
			p.typeText(sandbox.DefaultPassword)
			p.waitFor("•••••••")
			p.keys("Enter")
			s = p.waitFor("Find a student", "Unlocked. Start a new search.")
			p.checkFits(s, size[0])
			p.checkNoStudent(s, "PARKER", "Liam", "06/20/2019")
			p.quit("C-c")
		})
	}
}

// TestTUILockThreeWrongPasswords: three wrong passwords at the lock close
// the interface with exit 7, the terminal given back. The account is
// CTWIZ_*'s against a sandbox process, so the lock gives no password
// (issue 11.2).
func TestTUILockThreeWrongPasswords(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {60, 15}} {
		t.Run(strconv.Itoa(size[0])+"x"+strconv.Itoa(size[1]), func(t *testing.T) {
			endpoint := startSandboxProcess(t)
			p := startTUI(t, size[0], size[1], []string{"CTWIZ_USERNAME=" + sandbox.DefaultUsername,
				"CTWIZ_PASSWORD=" + sandbox.DefaultPassword, "CTWIZ_FACILITY_ID=" + sandbox.DefaultFacility}, "--endpoint", endpoint)
			p.search("PARKER", "Liam", "06/20/2019")
			p.waitFor("PARKER, Liam", "Forecast")
			p.keys("C-l")
			s := p.waitForWords("Locked.", "Type your CT WiZ password to unlock")
			if strings.Contains(s, "the password is") {
				t.Errorf("the lock gives the password of a registry that is not the built-in sandbox:\n%s", s)
			}
			for _, left := range []string{"2 tries left.", "1 try left."} {
				p.typeText(sandbox.DefaultPassword + "x")
				p.waitFor("••••••••")
				p.keys("Enter")
				p.waitFor("Wrong password: " + left)
			}
			p.typeText("sandbo")
			p.waitFor("••••••")
			p.keys("Enter")
			s = p.waitFor("EXIT=")
			if !strings.Contains(s, "EXIT=7") || !strings.Contains(strings.Join(strings.Fields(s), " "), "closed after three wrong passwords at the lock") {
				t.Errorf("three wrong passwords: want exit 7 and why:\n%s", s)
			}
			p.checkNoStudent(s, "Locked", "SANDBOX", "PARKER")
		})
	}
}

// TestTUISaveToFile saves the record from the interface ('p', 's', a file
// name) and reads the PDF's text.
func TestTUISaveToFile(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext is not installed (apt-get install poppler-utils)")
	}
	p := startTUI(t, 100, 30, nil, "--sandbox")
	p.search("KOWALSKI", "Zofia", "02/14/2020")
	p.waitFor("KOWALSKI, Zofia", "Forecast")
	p.keys("p")
	p.waitFor("s save to file")
	p.keys("s")
	p.waitFor("Save as: KOWALSKI-Zofia-immunizations.pdf", "enter save")
	path := filepath.Join(t.TempDir(), "zofia record.pdf")
	p.keys("C-u") // clear the suggested name
	p.typeText(path)
	p.keys("Enter")
	p.waitFor("Saved to " + path)
	// The same name again is not replaced until she presses Enter twice.
	p.keys("p", "s", "C-u")
	p.typeText(path)
	p.keys("Enter")
	p.waitFor("already exists: press Enter again")
	p.keys("Enter")
	p.waitFor("Saved to " + path)
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("the saved record has mode %v, want 0600", fi.Mode().Perm())
	}
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"KOWALSKI", "02/14/2020", "SANDBOX - synthetic data", "02/05/2021", "Too young"} {
		if !strings.Contains(strings.ToLower(string(out)), strings.ToLower(want)) {
			t.Errorf("the saved PDF lacks %q:\n%s", want, out)
		}
	}
	p.quit("q")
}

// TestTUIWithoutKeychain: with no keychain the login screen says first that
// what she types is for this session only and what to do about it (in
// full, wrapped, not cut); she signs in, is told so again, and searches.
func TestTUIWithoutKeychain(t *testing.T) {
	endpoint := startSandboxProcess(t)
	p := startTUI(t, 80, 24, []string{"DBUS_SESSION_BUS_ADDRESS=disabled:"}, "--endpoint", endpoint)
	s := p.waitForWords("Sign in to CT WiZ", "The keychain cannot be reached, so what you type here is used",
		"for this run; the password is never written to a file.")
	p.checkFits(s, 80)
	if strings.Contains(s, "No CT WiZ credentials are stored") || strings.Contains(s, "this computer's keychain") {
		t.Errorf("the login screen blames missing credentials or promises the keychain:\n%s", s)
	}
	p.typeText(sandbox.DefaultUsername)
	p.keys("Tab")
	p.typeText(sandbox.DefaultFacility)
	p.keys("Tab")
	p.typeText(sandbox.DefaultPassword)
	p.keys("Enter")
	p.waitFor("Find a student", "Signed in for this session only.")
	p.search("SANDOVAL", "Maya", "04/12/2008")
	p.waitFor("SANDOVAL, Maya", "Forecast")
	p.quit("q")
}

// TestTUIMotherMaidenName: "Reyes, Maria" in the interface is split as
// 'query --mother-maiden' splits it, so the sandbox's exact match for
// SANDOVAL, Maya (mother REYES, Ana) stays the record, not a list of one
// (issue 11.5).
func TestTUIMotherMaidenName(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {60, 15}} {
		t.Run(strconv.Itoa(size[0])+"x"+strconv.Itoa(size[1]), func(t *testing.T) {
			p := startTUI(t, size[0], size[1], nil, "--sandbox")
			p.waitFor("Find a student", "Last name")
			p.typeText("SANDOVAL")
			p.keys("Tab")
			p.typeText("Maya")
			p.keys("Tab")
			p.typeText("04/12/2008")
			p.keys("Tab", "Tab", "Tab", "Tab") // sex, grade, middle name, mother's maiden name
			p.typeText("Reyes, Maria")
			p.waitFor("Reyes, Maria")
			p.keys("Enter")
			s := p.waitFor("SANDOVAL, Maya Rose", "Forecast")
			if strings.Contains(s, "match") {
				t.Errorf("the exact match became a list:\n%s", s)
			}
			p.checkFits(s, size[0])
			p.quit("q")
		})
	}
}

// TestTUILongFieldScrolls: a street longer than its box scrolls with the
// cursor in sight; a last name over its limit is refused with the limit
// said (issue 11.6).
func TestTUILongFieldScrolls(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {60, 15}} {
		t.Run(strconv.Itoa(size[0])+"x"+strconv.Itoa(size[1]), func(t *testing.T) {
			p := startTUI(t, size[0], size[1], nil, "--sandbox")
			p.waitFor("Find a student", "Last name")
			p.typeText(strings.Repeat("Abcdefghij", 5) + "XYZ")
			s := p.waitFor("at most 50 characters")
			p.checkFits(s, size[0])
			for range 7 { // to the street
				p.keys("Tab")
			}
			p.typeText("1200 Boulevard of the Farmington Valley Apartments, Building 7")
			s = p.waitFor("Building 7")
			p.checkFits(s, size[0])
			styled := p.tmux("capture-pane", "-p", "-e", "-t", "0")
			var line string
			for _, l := range strings.Split(styled, "\n") {
				if strings.Contains(l, "Building 7") {
					line = l
				}
			}
			if !regexp.MustCompile(`Building 7(\x1b\[[0-9;]*m)*\x1b\[[0-9;]*7[;m]`).MatchString(line) {
				t.Errorf("no cursor after the text typed: %q", line)
			}
			p.keys("Home")
			s = p.waitFor("[1200 Boulevard")
			if strings.Contains(s, "Building 7") {
				t.Errorf("Home did not scroll the field back:\n%s", s)
			}
			p.quit("C-c")
		})
	}
}

// TestTUIStatusFollowsTheForm: after "Not found." a wrong field makes the
// status line stop speaking of the search, and the field's reason stays
// while the cursor keys move in it (issue 11.9).
func TestTUIStatusFollowsTheForm(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {60, 15}} {
		t.Run(strconv.Itoa(size[0])+"x"+strconv.Itoa(size[1]), func(t *testing.T) {
			p := startTUI(t, size[0], size[1], nil, "--sandbox")
			p.search("DOE", "Jane", "2016-01-01")
			p.waitFor("Not found.")
			p.keys("Up", "Up", "C-u", "Enter") // empty the last name
			s := p.waitFor("✗ required", "Please correct the marked fields")
			if strings.Contains(s, "Not found.") || strings.Contains(s, "No student matches") {
				t.Errorf("the screen still speaks of the last search:\n%s", s)
			}
			p.keys("Left", "Right", "Home", "End")
			time.Sleep(300 * time.Millisecond)
			s = p.waitFor("✗ required")
			p.checkFits(s, size[0])
			p.quit("C-c")
		})
	}
}

// TestTUISaveNamesAndFolders: a folder typed at "Save as" gets the
// offered name, twice without a loop; a name without ".pdf" gets it; a
// folder that does not exist is named, never the temporary file, and no
// save failure says "Printing failed" (issue 11.7).
func TestTUISaveNamesAndFolders(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {60, 15}} {
		t.Run(strconv.Itoa(size[0])+"x"+strconv.Itoa(size[1]), func(t *testing.T) {
			dir, err := os.MkdirTemp("", "s") // short: the messages fit 60 columns
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { os.RemoveAll(dir) })
			p := startTUI(t, size[0], size[1], nil, "--sandbox")
			p.search("KOWALSKI", "Zofia", "02/14/2020")
			p.waitFor("KOWALSKI, Zofia")
			saveAs := func(name string) {
				p.keys("p")
				p.waitFor("s save")
				p.keys("s")
				p.waitFor("Save as:")
				p.keys("C-u")
				p.typeText(name)
				p.keys("Enter")
			}
			saved := filepath.Join(dir, "KOWALSKI-Zofia-immunizations.pdf")
			saveAs(dir)
			p.waitForWords("Saved to " + saved + ".")
			saveAs(dir)
			p.waitForWords(saved + " already exists: press Enter again")
			p.keys("Enter")
			s := p.waitForWords("Saved to " + saved + ".")
			if strings.Contains(s, "already exists") {
				t.Errorf("the second Enter asked again:\n%s", s)
			}
			saveAs(filepath.Join(dir, "zofia"))
			p.waitForWords("Saved to " + filepath.Join(dir, "zofia.pdf") + ".")
			saveAs(filepath.Join(dir, "nope", "zofia"))
			s = p.waitForWords("The record was not saved", "the folder "+filepath.Join(dir, "nope")+" does not exist")
			if strings.Contains(s, "Printing failed") || strings.Contains(s, ".ctwiz-nurse") {
				t.Errorf("the save failure misleads:\n%s", s)
			}
			p.checkFits(s, size[0])
			for _, f := range []string{saved, filepath.Join(dir, "zofia.pdf")} {
				if fi, err := os.Stat(f); err != nil || fi.Mode().Perm() != 0o600 {
					t.Errorf("%s: %v", f, err)
				}
			}
			p.quit("q")
		})
	}
}

// TestTUILongNamesAndPinnedHeader: twins whose long names differ only in
// the given name stay apart in the candidate table; the chosen one's name
// wraps in the record's header, which stays at the top, with the age and
// birth date, however far the record is scrolled (issue 11.8, 11.17).
func TestTUILongNamesAndPinnedHeader(t *testing.T) {
	age := regexp.MustCompile(`Born 09/01/2015 · age \d+ years`)
	for _, size := range [][2]int{{80, 24}, {60, 15}} {
		t.Run(strconv.Itoa(size[0])+"x"+strconv.Itoa(size[1]), func(t *testing.T) {
			seed, err := filepath.Abs(filepath.Join("testdata", "long-names-seed.hl7"))
			if err != nil {
				t.Fatal(err)
			}
			endpoint := startSandboxProcess(t, "--seed", seed)
			p := startTUI(t, size[0], size[1], []string{"CTWIZ_USERNAME=" + sandbox.DefaultUsername,
				"CTWIZ_PASSWORD=" + sandbox.DefaultPassword, "CTWIZ_FACILITY_ID=" + sandbox.DefaultFacility}, "--endpoint", endpoint)
			p.search("MONTGOMERY-BLAKE-WORTHINGTON", "J", "09/01/2015")
			s := p.waitFor("2 students match", "…, Josephine", "…, Jacqueline")
			p.checkFits(s, size[0])
			p.keys("Down")
			p.waitFor("> MONTG")
			p.keys("Enter")
			s = p.waitFor("MONTGOMERY-BLAKE-WORTHINGTON, Jacqueline", "Maximiliana", "Forecast")
			p.checkFits(s, size[0])
			if !age.MatchString(s) {
				t.Errorf("no birth date and age under the name:\n%s", s)
			}
			p.quit("q")
		})
	}
	for _, size := range [][2]int{{80, 24}, {60, 15}} {
		t.Run("scrolled "+strconv.Itoa(size[0])+"x"+strconv.Itoa(size[1]), func(t *testing.T) {
			p := startTUI(t, size[0], size[1], nil, "--sandbox")
			p.search("MONTGOMERY-BLAKE", "Theodore", "01/05/2008")
			p.waitFor("MONTGOMERY-BLAKE, Theodore", "Forecast")
			p.keys("End")
			s := p.waitFor("end of the record")
			lines := strings.Split(s, "\n")
			if !strings.HasPrefix(lines[2], "MONTGOMERY-BLAKE, Theodore") ||
				!regexp.MustCompile(`Born 01/05/2008 · age \d+ years`).MatchString(lines[3]) {
				t.Errorf("the student is not pinned at the top of the scrolled record:\n%s", s)
			}
			p.checkFits(s, size[0])
			p.quit("q")
		})
	}
}
