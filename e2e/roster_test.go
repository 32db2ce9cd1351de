//go:build e2e

package e2e

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ctwiz-nurse/ctwiz-nurse/sandbox"
)

// rosterKind is one kind of student of the 200-student roster, with what
// the sandbox's records make of it (the known truth: outcome, missing,
// registry ID given or not).
type rosterKind struct {
	name    string
	seed    func(i int) string // the VXU messages stored for student i; "" for none
	row     func(i int) string // last,first,dob,grade of the roster row
	outcome string
	missing string
	detail  string
	record  bool // a record was found: a registry ID is given
}

// vxu is one stored student with the doses given as "YYYYMMDD|CVX".
func vxu(id, last, first, dob string, doses ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "MSH|^~\\&|EHR|CLINIC|CTWIZ|CT0000|20261101||VXU^V04^VXU_V04|R%s|P|2.5.1\r"+
		"PID|1||%s^^^CLINIC^MR||%s^%s||%s|F\r", id, id, last, first, dob)
	for _, d := range doses {
		fmt.Fprintf(&b, "RXA|0|1|%s|%s\r", d[:8], d)
	}
	b.WriteString("\n\n")
	return b.String()
}

var rosterKinds = []rosterKind{
	{
		name: "complete grade 1",
		seed: func(i int) string {
			return vxu(fmt.Sprintf("C%d", i), fmt.Sprintf("COMPLETE%d", i), "Ada", "20190901",
				"20191101|20", "20191101|10", "20191101|49", "20191101|133", "20191101|08", "20200101|20", "20200101|10",
				"20200101|49", "20200101|133", "20191001|08", "20200301|20", "20200301|133", "20200501|08",
				"20200901|03", "20200901|21", "20200901|83", "20201001|49", "20201001|133", "20210301|20", "20210301|83",
				"20230901|20", "20230901|10", "20230901|03", "20230901|21")
		},
		row:     func(i int) string { return fmt.Sprintf("COMPLETE%d,Ada,09/01/2019,1", i) },
		outcome: "compliant", record: true,
	},
	{
		name: "one dose, kindergarten",
		seed: func(i int) string {
			return vxu(fmt.Sprintf("O%d", i), fmt.Sprintf("ONEDOSE%d", i), "Bo", "20210601", "20210801|08")
		},
		row:     func(i int) string { return fmt.Sprintf("ONEDOSE%d,Bo,2021-06-01,K", i) },
		outcome: "not_compliant", missing: "DTaP/Tdap/Td; Polio; MMR; HepB; Varicella; HepA", record: true,
	},
	{
		name:    "absent from the registry",
		row:     func(i int) string { return fmt.Sprintf("ABSENT%d,Cy,2020-01-01,1", i) },
		outcome: "not_found",
	},
	{
		name: "common name",
		seed: func(i int) string {
			if i >= 11 {
				return ""
			}
			return vxu(fmt.Sprintf("M%d", i), "COMMONNAME", fmt.Sprintf("Kid%c", 'A'+i), "20180303", "20180505|08")
		},
		row:     func(i int) string { return fmt.Sprintf("COMMONNAME,Zed%d,2018-03-03,2", i) },
		outcome: "too_many",
	},
	{
		name: "twins",
		seed: func(i int) string {
			return vxu(fmt.Sprintf("TA%d", i), fmt.Sprintf("TWIN%d", i), "Ana Maria", "20170707", "20170909|08") +
				vxu(fmt.Sprintf("TB%d", i), fmt.Sprintf("TWIN%d", i), "Ana Luisa", "20170707", "20170909|08")
		},
		row:     func(i int) string { return fmt.Sprintf("TWIN%d,Ana,2017-07-07,3", i) },
		outcome: "needs_review", detail: "2 candidates",
	},
}

// rosterFixture writes the seed and the roster of 200 students (40 of
// each kind, interleaved) and returns their paths.
func rosterFixture(t *testing.T) (seed, class string) {
	dir := t.TempDir()
	var s, r strings.Builder
	r.WriteString("Last_Name,First_Name,DOB,Grade_Level\r\n")
	for i := range 40 {
		for _, k := range rosterKinds {
			if k.seed != nil {
				s.WriteString(k.seed(i))
			}
			r.WriteString(k.row(i) + "\r\n")
		}
	}
	seed, class = filepath.Join(dir, "seed.hl7"), filepath.Join(dir, "class.csv")
	if err := os.WriteFile(seed, []byte(s.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(class, []byte(r.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return seed, class
}

// rosterCmd is the real binary's roster command against the sandbox's
// default account.
func rosterCmd(t *testing.T, endpoint string, args ...string) (*exec.Cmd, *bytes.Buffer) {
	cmd := exec.Command(tuiBinary(t), append([]string{"roster"}, args...)...)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir(), "XDG_CONFIG_HOME="+t.TempDir(),
		"CTWIZ_USERNAME=sandbox-nurse", "CTWIZ_PASSWORD=sandbox", "CTWIZ_FACILITY_ID=SANDBOX")
	var errb bytes.Buffer
	cmd.Stderr = &errb
	cmd.Stdout = &rosterOut
	return cmd, &errb
}

// countRow is a row of the summary's counts: the grade, then eight numbers.
var countRow = regexp.MustCompile(`^(PK|K|Grade \d+|All)( \d+){8}$`)

// rosterOut collects the runs' standard output: the counts of each run.
var rosterOut bytes.Buffer

func exitCode(err error) int {
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

// TestRoster200Interrupted: 200 students through the real binary and the
// real sandbox binary; one run is stopped with SIGINT halfway and resumed;
// its report equals, row by row, an uninterrupted run's and the known
// truth of each kind; the sandbox saw each student queried exactly once
// per run. The stopped run writes no summary or letters; the resumed run
// that completes writes both from all 200 rows: the counts, and one
// letter per kindergartner missing doses, each naming only that child.
func TestRoster200Interrupted(t *testing.T) {
	seed, class := rosterFixture(t)
	endpoint := startSandboxBinary(t, "--seed", seed, "--no-builtin")
	dir := t.TempDir()

	// The uninterrupted run.
	whole := filepath.Join(dir, "whole.csv")
	cmd, errb := rosterCmd(t, endpoint, class, "--endpoint", endpoint, "--pace", "0", "--as-of", "2026-11-25", "--out", whole)
	if code := exitCode(cmd.Run()); code != 0 {
		t.Fatalf("exit %d\n%s", code, errb)
	}
	want, err := os.ReadFile(whole)
	if err != nil {
		t.Fatal(err)
	}
	rows := strings.Split(strings.TrimSuffix(string(want), "\n"), "\n")[1:]
	if len(rows) != 200 {
		t.Fatalf("%d rows, want 200", len(rows))
	}
	for n, row := range rows {
		f := strings.Split(row, ",")
		k := rosterKinds[n%len(rosterKinds)]
		in := strings.Split(k.row(n/len(rosterKinds)), ",")
		if len(f) != 11 || f[0] != fmt.Sprint(n+2) || f[2] != in[0] || f[3] != in[1] || f[5] != in[3] ||
			f[6] != k.outcome || f[7] != k.missing || f[8] != "" || (f[9] != "") != k.record || f[10] != k.detail {
			t.Errorf("line %d (%s): %s\nwant outcome %s, missing %q, detail %q, registry ID %v", n+2, k.name, row, k.outcome, k.missing, k.detail, k.record)
		}
	}

	// The interrupted run: SIGINT once half the rows are written.
	half := filepath.Join(dir, "half.csv")
	cfg, summary, letters := filepath.Join(dir, "config.toml"), filepath.Join(dir, "summary.pdf"), filepath.Join(dir, "letters.pdf")
	if err := os.WriteFile(cfg, []byte("[profiles.school]\nschool_name = \"Hillside Elementary School\"\nnurse_name = \"Dana Reyes, RN\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	pdfs := []string{"--config", cfg, "--summary", summary, "--letters", letters}
	cmd, errb = rosterCmd(t, endpoint, append([]string{class, "--endpoint", endpoint, "--pace", "20ms", "--as-of", "2026-11-25", "--out", half}, pdfs...)...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		data, _ := os.ReadFile(half)
		if bytes.Count(data, []byte("\n")) >= 101 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("the run wrote no 100 rows within 60 s\n%s", errb)
		}
		time.Sleep(5 * time.Millisecond)
	}
	_ = cmd.Process.Signal(syscall.SIGINT)
	if code := exitCode(cmd.Wait()); code != 10 {
		t.Fatalf("exit %d after SIGINT, want 10\n%s", code, errb)
	}
	if !strings.Contains(errb.String(), "Stopped after the query in flight") || !strings.Contains(errb.String(), "No summary or letters yet") {
		t.Errorf("stderr:\n%s", errb)
	}
	for _, path := range []string{summary, letters} {
		if _, err := os.Stat(path); !os.IsNotExist(err) {
			t.Errorf("the stopped run wrote %s: %v", path, err)
		}
	}
	stopped, _ := os.ReadFile(half)
	done := bytes.Count(stopped, []byte("\n")) - 1
	if done >= 200 || !bytes.HasPrefix(want, stopped) {
		t.Fatalf("stopped with %d rows, not a prefix of the whole run's report", done)
	}
	cmd, errb = rosterCmd(t, endpoint, append([]string{class, "--endpoint", endpoint, "--pace", "0", "--as-of", "2026-11-25", "--out", half, "--resume"}, pdfs...)...)
	if code := exitCode(cmd.Run()); code != 0 {
		t.Fatalf("resume: exit %d\n%s", code, errb)
	}
	if !strings.Contains(errb.String(), fmt.Sprintf("%d already in", done)) || !strings.Contains(errb.String(), fmt.Sprintf("\n%d queries", 200-done)) {
		t.Errorf("resume did not skip the %d rows done:\n%s", done, errb)
	}
	// The three runs checked 200 + 200 students: none twice.
	checked := 0
	for _, l := range strings.Split(rosterOut.String(), "\n") {
		var n int
		if _, err := fmt.Sscanf(l, "Checked this run: %d", &n); err == nil {
			checked += n
		}
	}
	if checked != 400 {
		t.Errorf("%d students checked in the three runs, want 400 (200 whole, 200 stopped and resumed):\n%s", checked, rosterOut.String())
	}
	got, _ := os.ReadFile(half)
	if !bytes.Equal(got, want) {
		t.Errorf("resumed report differs from the whole run's:\n%s\nwant:\n%s", got, want)
	}
	if fi, err := os.Stat(half); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("report mode: %v %v", fi, err)
	}

	if !strings.Contains(errb.String(), "Wrote the summary to "+summary) || !strings.Contains(errb.String(), "Wrote 40 letters, one page each, to "+letters) {
		t.Errorf("resume did not write the PDFs:\n%s", errb)
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext is not installed (apt-get install poppler-utils): the PDFs are not read")
	}
	// Compliant, in process, not compliant, not found, needs review, too
	// many, error, total.
	var counts []string
	for _, l := range pdfLines(t, summary)[0] {
		if countRow.MatchString(l) {
			counts = append(counts, l)
		}
	}
	if want := "K 0 0 40 0 0 0 0 40|Grade 1 40 0 0 40 0 0 0 80|Grade 2 0 0 0 0 0 40 0 40|Grade 3 0 0 0 0 40 0 0 40|All 40 0 40 40 40 40 0 200"; strings.Join(counts, "|") != want {
		t.Errorf("summary counts:\n%s\nwant\n%s", strings.Join(counts, "\n"), strings.ReplaceAll(want, "|", "\n"))
	}
	pages := pdfLines(t, letters)
	if len(pages) != 40 {
		t.Fatalf("%d letter pages, want 40", len(pages))
	}
	for _, p := range pages {
		text := strings.Join(p, "\n")
		if n := strings.Count(text, "ONEDOSE"); n != 1 || !strings.Contains(text, "To the parent or guardian of Bo ONEDOSE") ||
			!strings.Contains(text, "Connecticut requires students in kindergarten") || !strings.Contains(text, "Dana Reyes, RN") {
			t.Errorf("letter names %d students:\n%s", n, text)
		}
	}
}

// TestRosterAtTerminal: at a terminal (tmux) with --no-interface the roster command asks
// before the first query; "n" sends nothing and leaves no report (exit
// 10) and "y" runs, its
// progress line redrawn, to exit 0.
func TestRosterAtTerminal(t *testing.T) {
	dir := t.TempDir()
	class := filepath.Join(dir, "class.csv")
	if err := os.WriteFile(class, []byte("Last_Name,First_Name,DOB,Grade_Level\nSandoval,Maya,2008-04-12,12\nDoe,Jane,2016-01-01,4\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "report.csv")
	for _, tc := range []struct {
		answer string
		wants  []string
	}{
		{"n", []string{"Nothing sent.", "EXIT=10"}},
		{"y", []string{"2/2 checked", "Every row is in", "compliant", "not_found", "EXIT=0"}},
	} {
		p := startTUI(t, 120, 30, nil, "roster", class, "--sandbox", "--pace", "0", "--out", out, "--no-interface")
		p.waitFor("2 queries, one at a time", "CT WiZ allows queries only for students of your own school(s).", "Start? [y/N]")
		p.typeText(tc.answer)
		p.keys("Enter")
		p.waitForWords(tc.wants...)
		if _, err := os.Stat(out); tc.answer == "n" && !os.IsNotExist(err) {
			t.Errorf("'n' left a report (%v): nothing was sent", err)
		}
	}
}

// TestRosterInterfaceResolvesReview: the roster screen in the real
// binary at 80x24 and 60x15, on the synthetic school the sandbox binary generates
// (sandbox --synthetic 40 --write-roster): the run fills the table, f
// shows the needs_review rows, enter on a twin lists the candidates the
// run kept, choosing hers fetches her record, and the row and REPORT.csv
// then give what the sandbox's known truth says her record gives.
func TestRosterInterfaceResolvesReview(t *testing.T) {
	dir := t.TempDir()
	class := filepath.Join(dir, "class.csv")
	endpoint := startSandboxBinary(t, "--synthetic", "40", "--write-roster", class)
	day := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	syn, err := sandbox.Synthesize(40, 1, day)
	if err != nil {
		t.Fatal(err)
	}
	// The registry IDs are those the sandbox binary gave: the same
	// students stored in the same order.
	if _, err := sandbox.New(sandbox.Options{Now: func() time.Time { return day }, Synthetic: syn}); err != nil {
		t.Fatal(err)
	}
	var reviews []sandbox.RosterStudent
	for _, r := range syn.Roster {
		if r.Truth.Outcome == "needs_review" {
			reviews = append(reviews, r)
		}
	}
	pick := slices.IndexFunc(reviews, func(r sandbox.RosterStudent) bool { return r.Truth.Candidates >= 2 })
	if pick < 0 {
		t.Fatalf("no twin among the 40 students: %+v", reviews)
	}
	her := reviews[pick]
	line := slices.IndexFunc(syn.Roster, func(r sandbox.RosterStudent) bool { return r.Number == her.Number }) + 2

	for _, size := range [][2]int{{80, 24}, {60, 15}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "class-report.csv")
			p := startTUI(t, size[0], size[1], []string{"CTWIZ_USERNAME=sandbox-nurse", "CTWIZ_PASSWORD=sandbox", "CTWIZ_FACILITY_ID=SANDBOX"},
				"roster", class, "--endpoint", endpoint, "--pace", "0", "--as-of", "2026-11-25", "--out", out)
			p.waitForWords("40 queries, one at a time", "CT WiZ allows queries only for students of your own school(s).", "Start?")
			p.keys("y")
			s := p.waitForWords("40/40 checked", "Every row is in class-report.csv.", "needs_review")
			p.checkFits(s, size[0])
			for range 5 { // all, compliant, in_process, not_compliant, not_found, needs_review
				p.keys("f")
			}
			p.waitForWords(fmt.Sprintf("Showing needs_review: %d of 40 rows", len(reviews)))
			for range pick {
				p.keys("Down")
			}
			// The row marked "> " is hers (a narrow name column shortens
			// the family name first).
			cursor := func(s string) string {
				for _, l := range strings.Split(s, "\n") {
					if strings.Contains(l, "> ") {
						return l
					}
				}
				return ""
			}
			p.waitUntil(cursor, []string{"> " + her.Last[:2], ", " + her.First})
			p.keys("Enter")
			s = p.waitForWords("students match", "Registry ID", her.Truth.RegistryID)
			p.checkFits(s, size[0])
			// Down to her candidate: the rows under the table's header.
			rows := strings.Split(s[strings.Index(s, "Registry ID"):], "\n")[1:]
			at := slices.IndexFunc(rows, func(l string) bool { return strings.Contains(l, her.Truth.RegistryID) })
			for range at {
				p.keys("Down")
			}
			p.keys("Enter")
			s = p.waitForWords(fmt.Sprintf("Line %d is now %s in class-report.csv.", line, her.Truth.Record), "Registry ID "+her.Truth.RegistryID)
			p.checkFits(s, size[0])
			p.keys("Escape")
			s = p.waitForWords("Roster class.csv", "Every row is in class-report.csv.")
			if strings.Contains(s, fmt.Sprintf("needs_review %d", len(reviews))) {
				t.Errorf("the counts still hold %d needs_review:\n%s", len(reviews), s)
			}
			p.quit("q")

			data, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			want := fmt.Sprintf("%d,%s,%s,%s,%s,%s,%s,%s,%s,%s,chosen by the nurse", line, her.Number, her.Last, her.First, her.Born,
				strings.TrimLeft(her.Grade, "0"), her.Truth.Record, strings.Join(her.Truth.Missing, "; "), her.Truth.NextDate, her.Truth.RegistryID)
			if !strings.Contains(string(data), "\n"+want+"\n") {
				t.Errorf("REPORT.csv lacks %q:\n%s", want, data)
			}
			if n := bytes.Count(data, []byte("\n")); n != 41 {
				t.Errorf("%d lines in the report, want the header and 40 rows", n)
			}
			if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o600 {
				t.Errorf("report mode %v (%v)", fi.Mode(), err)
			}
		})
	}
}
