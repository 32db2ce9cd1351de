package roster_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ctwiz-nurse/ctwiz-nurse/roster"
	"github.com/ctwiz-nurse/ctwiz-nurse/sandbox"
)

// TestRewriteRow replaces one row of a report file: the row, and the
// rows that repeat it, change; nothing else; the file stays mode 0600
// and no temporary file is left beside it.
func TestRewriteRow(t *testing.T) {
	fixture, err := os.ReadFile(filepath.Join("testdata", "report-rewrite.csv"))
	if err != nil {
		t.Fatal(err)
	}
	resolved := "3,4,Nguyen,Minh,2017-09-03,3,not_compliant,MMR; HepA,,9000004,chosen by the nurse"
	for _, tc := range []struct {
		name    string
		rec     string
		want    []string // the rows after; nil: unchanged
		wantErr string
	}{
		{"a row and its repeat", resolved, []string{
			"2,1,Sandoval,Maya,2008-04-12,12,compliant,,,9000001,",
			"3,4,Nguyen,Minh,2017-09-03,3,not_compliant,MMR; HepA,,9000004,chosen by the nurse",
			"4,4,Nguyen,Minh,2017-09-03,3,not_compliant,MMR; HepA,,9000004,same student as line 3",
			"5,7,Doe,Jane,2016-01-01,4,not_found,,,,",
		}, ""},
		{"the last row", "5,7,Doe,Jane,2016-01-01,4,compliant,,,9000009,chosen by the nurse", []string{
			"2,1,Sandoval,Maya,2008-04-12,12,compliant,,,9000001,",
			"3,4,Nguyen,Minh,2017-09-03,3,needs_review,,,,2 candidates",
			"4,4,Nguyen,Minh,2017-09-03,3,needs_review,,,,same student as line 3",
			"5,7,Doe,Jane,2016-01-01,4,compliant,,,9000009,chosen by the nurse",
		}, ""},
		{"a line not in the report", "9,7,Doe,Jane,2016-01-01,4,compliant,,,9000009,", nil, "line 9 is not in"},
		{"a row too short", "3,4,Nguyen", nil, "has 3 fields"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "report.csv")
			if err := os.WriteFile(path, fixture, 0o600); err != nil {
				t.Fatal(err)
			}
			err := roster.RewriteRow(path, strings.Split(tc.rec, ","))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("error %v, want %q", err, tc.wantErr)
				}
				if got, _ := os.ReadFile(path); string(got) != string(fixture) {
					t.Errorf("a refused rewrite changed the file:\n%s", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := reportRows(t, path); !slices.Equal(got, tc.want) {
				t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
				t.Errorf("mode %v (%v)", fi.Mode(), err)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 1 {
				t.Errorf("%d files beside the report, want none", len(entries)-1)
			}
		})
	}
}

// TestReportRewriteDuringRun: a needs_review row resolved (the record of
// the candidate fetched from the real sandbox, checked by Resolve) while
// the run is halfway: the row changes, and the rows the run writes after
// land in the new file.
func TestReportRewriteDuringRun(t *testing.T) {
	_, client := newSandbox(t, sandbox.Options{})
	ro := readClass(t)
	path := filepath.Join(t.TempDir(), "report.csv")
	rep, err := roster.OpenReport(path, ro, false)
	if err != nil {
		t.Fatal(err)
	}
	defer rep.Close()
	ch := &roster.Checker{Client: client, AsOf: today}
	var review roster.Result
	run := &roster.Run{Checker: ch, Max: 3, Checked: func(r roster.Result, _ roster.Progress) {
		if r.Outcome == roster.NeedsReview {
			review = r
		}
	}}
	if sum, err := run.Do(context.Background(), ro, rep); err != nil || sum.Ending != roster.Capped {
		t.Fatalf("ending %d, %v", sum.Ending, err)
	}
	if review.Student.Line != 5 || len(review.Candidates) != 2 {
		t.Fatalf("needs_review: line %d, %d candidates", review.Student.Line, len(review.Candidates))
	}
	chosen := review.Candidates[0]
	resp, err := client.Fetch(context.Background(), chosen, review.Student.Demographics())
	if err != nil || resp.Mismatch != nil {
		t.Fatalf("fetch: %v, mismatch %v", err, resp.Mismatch)
	}
	res := ch.Resolve(review.Student, resp)
	if res.RegistryID != chosen.RegistryID || !res.Chosen {
		t.Fatalf("resolved %+v", res)
	}
	if err := rep.Rewrite(res); err != nil {
		t.Fatal(err)
	}
	run.Max = 0
	if sum, err := run.Do(context.Background(), ro, rep); err != nil || sum.Ending != roster.Finished {
		t.Fatalf("ending %d, %v", sum.Ending, err)
	}
	want := slices.Clone(wantReport)
	want[3] = "5,4,Nguyen,Minh,2017-09-03,3," + string(res.Outcome) + "," + strings.Join(res.Missing, "; ") + "," +
		res.NextDate + "," + chosen.RegistryID + ",chosen by the nurse"
	if got := reportRows(t, path); !slices.Equal(got, want) {
		t.Errorf("report:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if rows, err := rep.Rows(); err != nil || len(rows) != len(want) || rows[3][10] != roster.ChosenDetail {
		t.Errorf("Rows: %d rows, %v", len(rows), err)
	}
	line9 := roster.Result{Student: roster.Student{Line: 99}}
	if err := rep.Rewrite(line9); err == nil {
		t.Error("rewrote a line the report does not have")
	}
}
