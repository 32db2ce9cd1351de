package roster

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ReportHeader is the first row of REPORT.csv.
var ReportHeader = []string{"line", "student_number", "last_name", "first_name", "birth_date", "grade",
	"outcome", "missing", "next_date", "registry_id", "detail"}

// missingSep separates the requirements of the missing column.
const missingSep = "; "

// Report is REPORT.csv: one row per roster row, in file order, each
// written and synced as soon as it is known, so a stopped run loses
// nothing. Mode 0600: it names students.
type Report struct {
	path string
	// mu orders a run's rows and the interface's rewrites of one row.
	mu   sync.Mutex
	f    *os.File
	w    *csv.Writer
	done map[int]bool     // roster lines already in the file
	kept map[int][]string // rows that later rows repeat (duplicates), the only rows held
}

// OpenReport creates path (refusing to replace a report unless resume),
// or with resume reopens it and reads the rows already done, which must
// be of the same roster. A row cut short by a stop is dropped.
func OpenReport(path string, ro *Roster, resume bool) (*Report, error) {
	flags := os.O_RDWR | os.O_CREATE
	if !resume {
		flags |= os.O_EXCL
	}
	f, err := os.OpenFile(path, flags, 0o600)
	if errors.Is(err, os.ErrExist) {
		return nil, fmt.Errorf("%s exists: give --resume to continue that run, or another --out", path)
	}
	if err != nil {
		return nil, err
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return nil, err
	}
	r := &Report{path: path, f: f, w: csv.NewWriter(f), done: map[int]bool{}, kept: map[int][]string{}}
	for _, of := range ro.DuplicateOf {
		r.kept[of] = nil
	}
	if err := r.load(ro); err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}

func (r *Report) load(ro *Roster) error {
	data, err := io.ReadAll(r.f)
	if err != nil {
		return err
	}
	// Only whole rows count: the last one may have been cut by a kill.
	keep := bytes.LastIndexByte(data, '\n') + 1
	if err := r.f.Truncate(int64(keep)); err != nil {
		return err
	}
	if _, err := r.f.Seek(int64(keep), io.SeekStart); err != nil {
		return err
	}
	if keep == 0 {
		return r.write(ReportHeader)
	}
	rows, recs, err := parseReport(data[:keep])
	if err != nil {
		return fmt.Errorf("%w: give another --out", err)
	}
	byLine := map[int]Student{}
	for _, s := range ro.Students {
		byLine[s.Line] = s
	}
	for i, row := range rows {
		if s, ok := byLine[row.Line]; ok && (row.Last != s.Last || row.First != s.First || row.BirthDate != s.BirthDate.Format(time.DateOnly)) {
			return fmt.Errorf("line %d is another student than the roster's line %d: the report is of another roster; give another --out", row.Line, row.Line)
		}
		r.keep(row.Line, recs[i])
	}
	return nil
}

// ReportRow is one row of REPORT.csv as read back.
type ReportRow struct {
	Line                                  int // the roster row's line
	Number, Last, First, BirthDate, Grade string
	Outcome                               Outcome
	Missing                               []string // requirement names, for not_compliant
	NextDate, RegistryID, Detail          string
	// Repeats is the line of the row this one repeats (the same student,
	// reported once), 0 for a row of its own.
	Repeats int
}

// reportCol is the index of each REPORT.csv column, by its header name.
var reportCol = func() map[string]int {
	m := make(map[string]int, len(ReportHeader))
	for i, h := range ReportHeader {
		m[h] = i
	}
	return m
}()

// repeatsFormat is the detail of a row that repeats another.
const repeatsFormat = "same student as line %d"

// Errors of a file that is not a report.
var (
	errNotReport    = errors.New("is not a ctwiz-nurse roster report")
	errNotReportRow = errors.New("has a row that is not a report row")
)

// parseReport reads the rows of a report's text (whole rows only),
// returning each row read and as written.
func parseReport(data []byte) ([]ReportRow, [][]string, error) {
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil || len(recs) == 0 || strings.Join(recs[0], ",") != strings.Join(ReportHeader, ",") {
		return nil, nil, errNotReport
	}
	recs = recs[1:]
	rows := make([]ReportRow, len(recs))
	for i, rec := range recs {
		if len(rec) != len(ReportHeader) {
			return nil, nil, errNotReportRow
		}
		get := func(col string) string { return rec[reportCol[col]] }
		line, err := strconv.Atoi(get("line"))
		if err != nil {
			return nil, nil, errNotReportRow
		}
		row := ReportRow{Line: line, Number: get("student_number"), Last: get("last_name"), First: get("first_name"),
			BirthDate: get("birth_date"), Grade: get("grade"), Outcome: Outcome(get("outcome")),
			NextDate: get("next_date"), RegistryID: get("registry_id"), Detail: get("detail")}
		if m := get("missing"); m != "" {
			row.Missing = strings.Split(m, missingSep)
		}
		if n, err := fmt.Sscanf(row.Detail, repeatsFormat, &row.Repeats); n != 1 || err != nil {
			row.Repeats = 0
		}
		rows[i] = row
	}
	return rows, recs, nil
}

// ReadReport reads the report at path, as a run wrote it: every whole
// row, in file order (a row cut short by a kill is left out, as a resumed
// run drops it).
func ReadReport(path string) ([]ReportRow, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	rows, _, err := parseReport(data[:bytes.LastIndexByte(data, '\n')+1])
	if err != nil {
		return nil, fmt.Errorf("%s %w", path, err)
	}
	return rows, nil
}

// Done says whether the row at line is already in the report.
func (r *Report) Done(line int) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.done[line]
}

func (r *Report) keep(line int, rec []string) {
	r.done[line] = true
	if _, ok := r.kept[line]; ok {
		r.kept[line] = rec
	}
}

// DoneCount is the number of roster rows in the report.
func (r *Report) DoneCount() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.done)
}

// Path is the report's file.
func (r *Report) Path() string { return r.path }

// Write adds a student's result.
func (r *Report) Write(res Result) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.add(res.Student.Line, resultFields(res))
}

// ResultRow is res as its report row, the line number first.
func ResultRow(res Result) []string {
	return append([]string{strconv.Itoa(res.Student.Line)}, resultFields(res)...)
}

// resultFields are a result's report row after the line number.
func resultFields(res Result) []string {
	s := res.Student
	detail := res.ErrorKind
	switch {
	case res.Chosen:
		detail = ChosenDetail
	case res.Err != nil && res.Outcome == NeedsReview:
		detail = res.Err.Error()
	case len(res.Candidates) == 1:
		detail = "1 candidate"
	case len(res.Candidates) > 1:
		detail = fmt.Sprintf("%d candidates", len(res.Candidates))
	}
	return []string{s.Number, s.Last, s.First, s.BirthDate.Format(time.DateOnly), string(s.Grade),
		string(res.Outcome), strings.Join(res.Missing, missingSep), res.NextDate, res.RegistryID, detail}
}

// ChosenDetail is the detail of a row the nurse resolved by choosing
// the student's record among the candidates.
const ChosenDetail = "chosen by the nurse"

// Rewrite replaces the row of a student already in the report (a
// needs_review row the nurse resolved), and the rows that repeat it,
// with res: the file is replaced at once (RewriteRow), and the rows a
// run writes after go to the new file.
func (r *Report) Rewrite(res Result) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	line := res.Student.Line
	if !r.done[line] {
		return fmt.Errorf("line %d is not in the report yet", line)
	}
	rec := ResultRow(res)
	if err := RewriteRow(r.path, rec); err != nil {
		return err
	}
	f, err := os.OpenFile(r.path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if _, err := f.Seek(0, io.SeekEnd); err != nil {
		f.Close()
		return err
	}
	r.f.Close()
	r.f, r.w = f, csv.NewWriter(f)
	r.keep(line, rec)
	return nil
}

// Rows reads back the rows written so far (without the header), in file
// order, as written: the interface's table after the lock dropped it
// from memory.
func (r *Report) Rows() ([][]string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, recs, err := readRecords(r.path)
	return recs, err
}

// readRecords reads a whole report, its rows read and as written.
func readRecords(path string) ([]ReportRow, [][]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	rows, recs, err := parseReport(data)
	if err != nil {
		return nil, nil, fmt.Errorf("%s %w", path, err)
	}
	return rows, recs, nil
}

// RewriteRow replaces, in the report at path, the row of the line
// rec[0] names with rec, and gives the rows that repeat that line ("same
// student as line N") its outcome, missing, next date and registry ID.
// The new report is written beside the old, synced, and renamed over
// it (mode 0600), so the file is always one or the other, whole.
func RewriteRow(path string, rec []string) error {
	if len(rec) != len(ReportHeader) {
		return fmt.Errorf("the row has %d fields, a report row %d", len(rec), len(ReportHeader))
	}
	rows, recs, err := readRecords(path)
	if err != nil {
		return err
	}
	line, err := strconv.Atoi(rec[0])
	if err != nil {
		return fmt.Errorf("%q is not a line number", rec[0])
	}
	found := false
	outcome, last := reportCol["outcome"], reportCol["registry_id"]+1
	for i, row := range rows {
		switch {
		case row.Line == line:
			recs[i], found = rec, true
		case row.Repeats == line:
			copy(recs[i][outcome:last], rec[outcome:last])
		}
	}
	if !found {
		return fmt.Errorf("line %d is not in %s", line, path)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after the rename, there is nothing by that name
	w := csv.NewWriter(tmp)
	w.WriteAll(append([][]string{ReportHeader}, recs...))
	err = errors.Join(w.Error(), tmp.Chmod(0o600), tmp.Sync(), tmp.Close())
	if err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	// The rename itself is on disk once the folder is.
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// DefaultReportPath is the report of the roster at file when --out is
// not given: its name with -report.csv.
func DefaultReportPath(file string) string {
	return strings.TrimSuffix(file, filepath.Ext(file)) + "-report.csv"
}

// WriteProblem adds a row that was not sent: outcome error, the reason
// as the detail, and the fields the row has.
func (r *Report) WriteProblem(ro *Roster, p Problem, raw []string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.add(p.Line, append(ro.reportFields(raw), string(Error), "", "", "", "not sent: "+p.Reason))
}

// WriteDuplicate adds a repeated row with the outcome of the row it
// repeats (already written), naming that row.
func (r *Report) WriteDuplicate(line, of int, s []string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	orig := r.kept[of]
	if orig == nil {
		return fmt.Errorf("line %d repeats line %d, which is not in the report yet", line, of)
	}
	row := append([]string{}, orig[1:]...)
	copy(row, s)
	row[len(row)-1] = fmt.Sprintf(repeatsFormat, of)
	return r.add(line, row)
}

func (r *Report) add(line int, fields []string) error {
	rec := append([]string{strconv.Itoa(line)}, fields...)
	if err := r.write(rec); err != nil {
		return err
	}
	r.keep(line, rec)
	return nil
}

// write writes one row and syncs it: what a stopped run wrote is on disk.
func (r *Report) write(rec []string) error {
	if err := r.w.Write(rec); err != nil {
		return err
	}
	r.w.Flush()
	if err := r.w.Error(); err != nil {
		return err
	}
	return r.f.Sync()
}

// Close closes the file.
func (r *Report) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.f.Close()
}
