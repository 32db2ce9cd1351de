//go:build e2e

package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
	"github.com/ctwiz-nurse/ctwiz-nurse/printout"
)

// cupsQueue is a cups-pdf print queue on a private cupsd: its own
// configuration, spool and Unix socket in a temporary folder, so the test
// neither needs nor touches the machine's printers. cupsd must run as root
// because the cups-pdf backend does.
type cupsQueue struct {
	name string
	out  string // where cups-pdf writes the PDFs of the user running lp
}

func startCUPS(t *testing.T) cupsQueue {
	t.Helper()
	for _, tool := range []string{"cupsd", "lpadmin", "lp", "lpstat", "pdftotext"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (apt-get install cups-daemon cups-client cups-pdf poppler-utils)", tool)
		}
	}
	const backend, ppd = "/usr/lib/cups/backend/cups-pdf", "/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd"
	for _, f := range []string{backend, ppd, "/etc/cups/cups-pdf.conf"} {
		if _, err := os.Stat(f); err != nil {
			t.Skipf("cups-pdf is not installed (%s is missing): apt-get install cups-pdf", f)
		}
	}
	if os.Geteuid() != 0 {
		t.Skip("the cups-pdf backend runs only under a cupsd started as root: run the e2e tests as root")
	}

	// Filters run as the lp user, who must reach the folder.
	dir, err := os.MkdirTemp("", "ctwiz-cups-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, sub := range []string{"spool", "cache", "state", "log", "ppd"} {
		if err := os.Mkdir(filepath.Join(dir, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "tmp"), 0o1777); err != nil {
		t.Fatal(err)
	}
	os.Chmod(filepath.Join(dir, "tmp"), 0o1777) // past the umask
	sock := filepath.Join(dir, "cups.sock")
	cupsWriteFile(t, filepath.Join(dir, "cupsd.conf"), `Listen `+sock+`
LogLevel info
WebInterface No
Browsing No
DefaultAuthType None
<Policy default>
  <Limit All>
    Order deny,allow
    Allow all
  </Limit>
</Policy>
<Location />
  Order allow,deny
  Allow all
</Location>
`)
	cupsWriteFile(t, filepath.Join(dir, "cups-files.conf"), fmt.Sprintf(`ServerRoot %[1]s
RequestRoot %[1]s/spool
TempDir %[1]s/tmp
CacheDir %[1]s/cache
StateDir %[1]s/state
ErrorLog %[1]s/log/error_log
AccessLog %[1]s/log/access_log
PageLog %[1]s/log/page_log
Printcap %[1]s/printcap
SystemGroup root
FileDevice No
`, dir))
	// cups-pdf takes PostScript and re-renders it with Ghostscript. With
	// its defaults the PDF it writes shows the right glyphs but holds no
	// extractable text: Ghostscript's ps2write (cups-filters' default
	// PDF-to-PostScript renderer) drops the text mapping of embedded CID
	// fonts, and at PDF 1.2 (the PPD's default) they become Type 3 bitmaps.
	// Poppler's pdftops at PostScript level 3 and PDF 1.4 keep the text,
	// accents included.
	ppdText, err := os.ReadFile(ppd)
	if err != nil {
		t.Fatal(err)
	}
	testPPD := filepath.Join(dir, "cups-pdf-level3.ppd")
	cupsWriteFile(t, testPPD, strings.Replace(string(ppdText), `*LanguageLevel:	"2"`, `*LanguageLevel:	"3"`, 1))

	cupsd := exec.Command("cupsd", "-f", "-c", filepath.Join(dir, "cupsd.conf"), "-s", filepath.Join(dir, "cups-files.conf"))
	cupsdOut, err := os.Create(filepath.Join(dir, "log", "cupsd.out"))
	if err != nil {
		t.Fatal(err)
	}
	cupsd.Stdout, cupsd.Stderr = cupsdOut, cupsdOut
	if err := cupsd.Start(); err != nil {
		t.Fatalf("starting cupsd: %v", err)
	}
	t.Cleanup(func() {
		cupsd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { cupsd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cupsd.Process.Kill()
			<-done
		}
		cupsdOut.Close()
		if t.Failed() {
			for _, f := range []string{"log/cupsd.out", "log/error_log"} {
				b, _ := os.ReadFile(filepath.Join(dir, f))
				t.Logf("%s:\n%s", f, b)
			}
		}
	})
	t.Setenv("CUPS_SERVER", sock) // lp, lpadmin and lpstat talk to this cupsd only
	deadline := time.Now().Add(15 * time.Second)
	for {
		if out, err := exec.Command("lpstat", "-r").CombinedOutput(); err == nil && strings.Contains(string(out), "is running") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("cupsd did not start within 15s")
		}
		time.Sleep(100 * time.Millisecond)
	}

	q := cupsQueue{name: "CTWIZ_E2E_PDF", out: cupsPDFOutDir(t)}
	cupsRun(t, "lpadmin", "-p", q.name, "-v", "cups-pdf:/", "-P", testPPD, "-E",
		"-o", "pdftops-renderer-default=pdftops", "-o", "PDFVer=1.4", "-o", "PageSize=Letter")
	return q
}

// cupsPDFOutDir reads where cups-pdf writes (its Out setting, ${HOME}
// being the home of the user whose job it is).
func cupsPDFOutDir(t *testing.T) string {
	t.Helper()
	u, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open("/etc/cups/cups-pdf.conf")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := "/var/spool/cups-pdf/${USER}" // cups-pdf's built-in default
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "Out "); ok {
			out = strings.TrimSpace(v)
		}
	}
	return strings.NewReplacer("${HOME}", u.HomeDir, "${USER}", u.Username).Replace(out)
}

func cupsWriteFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func cupsRun(t *testing.T, name string, args ...string) {
	t.Helper()
	if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}

// awaitPDF waits for a PDF in dir that is new or rewritten since before
// (cups-pdf reuses names such as Immunization_Record-job_1.pdf across
// cupsd instances) and whose text holds want, and returns that text; the
// file is removed.
func awaitPDF(t *testing.T, dir string, before map[string]time.Time, want string) string {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		for f, mod := range existingPDFs(dir) {
			if old, ok := before[f]; ok && !mod.After(old) {
				continue
			}
			out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", f, "-").Output()
			if err != nil { // still being written
				continue
			}
			if strings.Contains(string(out), want) {
				os.Remove(f)
				return string(out)
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("no PDF with %q appeared in %s within 60s", want, dir)
	return ""
}

// existingPDFs maps the PDFs in dir to their modification times.
func existingPDFs(dir string) map[string]time.Time {
	files, _ := filepath.Glob(filepath.Join(dir, "*.pdf"))
	m := map[string]time.Time{}
	for _, f := range files {
		if fi, err := os.Stat(f); err == nil {
			m[f] = fi.ModTime()
		}
	}
	return m
}

func TestPrintThroughCUPS(t *testing.T) {
	q := startCUPS(t)
	data, err := os.ReadFile("../hl7/testdata/rsp_z42_ct_wiz_webiz.hl7")
	if err != nil {
		t.Fatal(err)
	}
	r, err := hl7.Decode(data, "")
	if err != nil {
		t.Fatal(err)
	}
	r.Patients[0].Given = "DIANTHE ZOË"
	r.Patients[0].Family = "BUTTE-NGUYỄN"
	info := printout.Info{PrintedAt: time.Date(2026, 11, 25, 10, 3, 0, 0, time.UTC), User: "nurse.e2e", Facility: "CT1234"}

	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	var spool printout.Spool
	defer spool.Close()
	before := existingPDFs(q.out)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := spool.Print(ctx, r, info, q.name, 1); err != nil {
		t.Fatalf("Print: %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(os.Getenv("XDG_RUNTIME_DIR"), "ctwiz-nurse-print-*", "*")); len(left) != 0 {
		t.Errorf("temporary PDFs left after the hand-over: %v", left)
	}

	text := awaitPDF(t, q.out, before, "BUTTE-NGUYỄN, DIANTHE ZOË")
	for _, want := range []string{
		printout.Title, "08/15/2014", "867287", printout.Confidential, "Page 1 of 1",
		"08/26/2015", "08/26/2018", "MMRV", "Source: CT WiZ query, as of 11/25/2026 10:03 AM UTC",
		"nurse.e2e", "CT1234",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the printed PDF lacks %q:\n%s", want, text)
		}
	}
}

func TestPrintErrorsThroughCUPS(t *testing.T) {
	q := startCUPS(t)
	cupsRun(t, "lpadmin", "-p", "CTWIZ_E2E_CLOSED", "-v", "cups-pdf:/", "-E")
	cupsRun(t, "cupsreject", "CTWIZ_E2E_CLOSED")
	pdf := filepath.Join(t.TempDir(), "record.pdf")
	r := &hl7.Response{Outcome: hl7.OutcomeRecord, Patients: []hl7.Patient{{Family: "Doe", Given: "Jane", BirthDate: "2015-01-02"}}}
	if err := printout.Save(pdf, r, printout.Info{PrintedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, printer, server, want string
	}{
		{"unknown printer", "NO_SUCH_PRINTER", "", `there is no printer named "NO_SUCH_PRINTER"`},
		{"no default printer", "", "", "no default printer is set"},
		{"queue rejecting jobs", "CTWIZ_E2E_CLOSED", "", `printer "CTWIZ_E2E_CLOSED" is not accepting jobs`},
		{"no scheduler", q.name, filepath.Join(t.TempDir(), "no-cupsd.sock"), "the printing service (CUPS) is not running"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.server != "" {
				t.Setenv("CUPS_SERVER", tc.server)
			}
			err := printout.ToPrinter(context.Background(), pdf, tc.printer, 1)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("ToPrinter(%q) = %v, want an error saying %q", tc.printer, err, tc.want)
			}
		})
	}
}

// pdfLines is the text of a PDF as pdftotext lays it out, page by page,
// with runs of spaces collapsed.
func pdfLines(t *testing.T, path string) [][]string {
	t.Helper()
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	var pages [][]string
	for page := range strings.SplitSeq(strings.TrimSuffix(string(out), "\f"), "\f") {
		var lines []string
		for l := range strings.SplitSeq(page, "\n") {
			if l = strings.Join(strings.Fields(l), " "); l != "" {
				lines = append(lines, l)
			}
		}
		pages = append(pages, lines)
	}
	return pages
}

// inOrder reports whether s holds every part, in order.
func inOrder(s string, parts ...string) bool {
	for _, p := range parts {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return true
}

var doseLine = regexp.MustCompile(`^\d\d/\d\d/\d{4} \D`)

func usDate(iso string) string {
	t, err := time.Parse(time.DateOnly, iso)
	if err != nil {
		return iso
	}
	return t.Format("01/02/2006")
}

// The real binary's query --sandbox --pdf for the sandbox's scenarios: the
// PDF holds the student, every dose (date and vaccine, once per vaccine
// group it counts toward) and every forecast row of the record the same
// query prints as JSON.
func TestQueryPDFSandboxScenarios(t *testing.T) {
	bin := os.Getenv("CTWIZ_E2E_BIN")
	if bin == "" {
		t.Skip("CTWIZ_E2E_BIN is not set: build the binary and set it (test.sh does)")
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext is not installed (apt-get install poppler-utils)")
	}
	tests := []struct {
		name, last, first, dob string
		minPages               int
		want                   []string // lines that must appear, cells separated by "|"
	}{
		{"complete record", "SANDOVAL", "Maya", "2008-04-12", 1, nil},
		{"overdue doses", "PARKER", "Liam", "2019-06-20", 1, []string{"Overdue"}},
		{"accents and hyphen", "GARCIA LOPEZ", "Jose", "2014-07-04", 1, []string{"Student|GARCÍA-LÓPEZ, José"}},
		{"apostrophe and accents", "OBRIEN", "Siobhan", "2016-11-30", 1, []string{"Student|O'BRIEN, Siobhán"}},
		{"refused doses", "WHITEHORSE", "Dakota", "2013-02-17", 1, []string{"Refused"}},
		{"invalid doses", "KOWALSKI", "Zofia", "2020-02-14", 1, []string{"|No|"}},
		{"record longer than one page", "MONTGOMERY-BLAKE", "Theodore", "2008-01-05", 2, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			pdf := filepath.Join(dir, "record.pdf")
			cmd := exec.Command(bin, "query", "--sandbox", "--json", "--last", tc.last, "--first", tc.first, "--dob", tc.dob, "--pdf", pdf)
			cmd.Env = []string{"HOME=" + dir, "XDG_CONFIG_HOME=" + filepath.Join(dir, "config"), "PATH=" + os.Getenv("PATH")}
			var stdout, stderr strings.Builder
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Run(); err != nil {
				t.Fatalf("query: %v\n%s", err, stderr.String())
			}
			var r hl7.Response
			if err := json.Unmarshal([]byte(stdout.String()), &r); err != nil {
				t.Fatalf("query --json: %v", err)
			}
			if r.Outcome != hl7.OutcomeRecord || len(r.Patients) != 1 {
				t.Fatalf("outcome %s with %d patients, want one record", r.Outcome, len(r.Patients))
			}
			if fi, err := os.Stat(pdf); err != nil || fi.Mode().Perm() != 0o600 {
				t.Fatalf("PDF %s: %v, want mode 0600", pdf, err)
			}
			pages := pdfLines(t, pdf)
			var lines []string
			for i, page := range pages {
				text := strings.Join(page, "\n")
				for _, w := range []string{printout.Confidential, fmt.Sprintf("Page %d of %d", i+1, len(pages)), printout.SandboxLabel} {
					if !strings.Contains(text, w) {
						t.Errorf("page %d lacks %q", i+1, w)
					}
				}
				lines = append(lines, page...)
			}
			if len(pages) < tc.minPages {
				t.Errorf("%d pages, want at least %d", len(pages), tc.minPages)
			}
			all := strings.Join(lines, "\n")
			has := func(parts ...string) bool {
				for _, l := range lines {
					if inOrder(l, parts...) {
						return true
					}
				}
				return false
			}
			p := r.Patients[0]
			if !has("Student", p.Family+", "+p.Given) || !has("Date of birth", usDate(p.BirthDate)) || !has("Registry ID", p.RegistryID) {
				t.Errorf("student %s, %s born %s (ID %s) not shown:\n%s", p.Family, p.Given, p.BirthDate, p.RegistryID, all)
			}
			// Age and address (issue 11.20).
			if !has("Age", " years") || (p.Address.Street != "" && !has("Address", printout.Address(p.Address))) {
				t.Errorf("no age, or not the address %q:\n%s", printout.Address(p.Address), all)
			}
			// What to give next comes before what was given (issue 11.20).
			if f, h := strings.Index(all, "Forecast: next doses"), strings.Index(all, "Immunization history"); f < 0 || h < 0 || f > h {
				t.Errorf("the forecast (at %d) is not before the history (at %d)", f, h)
			}
			for _, w := range tc.want {
				if !has(strings.Split(w, "|")...) {
					t.Errorf("no line with %q", w)
				}
			}
			// A dose line starts with its date (a forecast line with its
			// group); a long vaccine name wraps onto the next line.
			var doses []string
			for i, l := range lines {
				if !doseLine.MatchString(l) {
					continue
				}
				if i+1 < len(lines) && !doseLine.MatchString(lines[i+1]) {
					l += " " + lines[i+1]
				}
				doses = append(doses, l)
			}
			want := 0
			for _, imm := range r.Immunizations {
				n := len(imm.Evaluations)
				if n == 0 {
					n = max(1, len(hl7.VaccineGroups(imm.CVX)))
				}
				want += n
				found := 0
				for _, l := range doses {
					// The vaccine as the CDC names its code, not as the registry typed it (issue 11.19).
					name := printout.VaccineName(imm.CVX, imm.Vaccine)
					if strings.HasPrefix(l, usDate(imm.Date)+" ") && inOrder(l, strings.Fields(name)...) && slices.Contains(strings.Fields(l), imm.CVX) {
						found++
					}
				}
				if found < n {
					t.Errorf("dose %s %s (CVX %s): %d lines, want %d", imm.Date, printout.VaccineName(imm.CVX, imm.Vaccine), imm.CVX, found, n)
				}
			}
			if len(doses) != want {
				t.Errorf("%d dose lines, want %d (one per dose and vaccine group)", len(doses), want)
			}
			// One row per vaccine group, as on screen (issue 10).
			for _, row := range hl7.ViewForecast(r.Forecast, p.BirthDate).Rows {
				f := row.Next
				parts := []string{row.Group}
				if w := printout.StatusWord(f.Status); w != "" { // the screen's words: OVERDUE, DUE NOW, Upcoming
					parts = append(parts, w)
				}
				if f.Dose != "" { // the next dose's number (issue 11.20)
					parts = append(parts, f.Dose)
				}
				for _, d := range []string{f.Earliest, f.Due, f.Overdue} {
					if d != "" {
						parts = append(parts, usDate(d))
					}
				}
				if !has(parts...) {
					t.Errorf("forecast row %v is missing", parts)
				}
			}
		})
	}
}
