package roster

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
	"github.com/ctwiz-nurse/ctwiz-nurse/query"
	"github.com/ctwiz-nurse/ctwiz-nurse/schoolentry"
)

// Outcome is how a student's check ended. The values are the words of
// the report's outcome column.
type Outcome string

const (
	Compliant    Outcome = schoolentry.Compliant
	InProcess    Outcome = schoolentry.InProcess
	NotCompliant Outcome = schoolentry.NotCompliant
	NotFound     Outcome = "not_found"
	NeedsReview  Outcome = "needs_review" // several candidates, or a record that may not be the student's
	TooMany      Outcome = "too_many"     // the registry needs more demographics than the roster has
	Error        Outcome = "error"        // Result.ErrorKind says which
)

// Outcomes lists every outcome in the order reports count them.
var Outcomes = []Outcome{Compliant, InProcess, NotCompliant, NotFound, NeedsReview, TooMany, Error}

// Student is one row of a roster that can be sent.
type Student struct {
	Line      int    // the row's line number in the file, from 1 (the header is line 1)
	Number    string // the school's student number; may be empty
	Last      string
	First     string
	Middle    string
	BirthDate time.Time
	Sex       string // F, M, U or empty
	Grade     schoolentry.Grade
	Raw       []string // the row's fields as read
}

// Demographics is what the query sends for the student.
func (s Student) Demographics() hl7.Demographics {
	return hl7.Demographics{Last: s.Last, First: s.First, Middle: s.Middle, BirthDate: s.BirthDate, Sex: s.Sex}
}

// Result is one student's check.
type Result struct {
	Student Student
	Outcome Outcome
	// Missing are the requirements (schoolentry vaccine names) not met,
	// for not_compliant.
	Missing []string
	// NextDate is the earliest ISO date a dose can be given for a
	// requirement in process; empty when none is.
	NextDate   string
	RegistryID string // the record's registry ID, for a record
	// Candidates are the patients the registry listed, kept for the
	// nurse's review (needs_review); the record's patient when a
	// mismatch made it needs_review.
	Candidates []hl7.Patient
	// ErrorKind names the failure of an error outcome: a query.Kind
	// ("timeout", "auth"...), or "rejected" / "registry_error" when
	// CT WiZ answered without data, or "check" when the record could
	// not be checked.
	ErrorKind string
	Err       error
	// Compliance is the school-entry check of a record; nil otherwise.
	Compliance *schoolentry.Result
	// Record is the reply, for the interface to show; a batch run
	// drops it once the row is written.
	Record *hl7.Response
	// Chosen says the nurse chose the record among the candidates
	// (Resolve): the report's detail says so.
	Chosen bool
}

// Error kinds of answers without data (Result.ErrorKind), beside query.Kind.
const (
	KindRejected      = "rejected"
	KindRegistryError = "registry_error"
	KindCheck         = "check"
)

// Pause says whether the failure belongs to the whole run rather than to
// this student: CT WiZ refused the account or the settings, or stopped
// answering (after the client's own retries). The run stops before the
// next student; the student is not done and is checked again on resume.
func (r Result) Pause() bool {
	if r.Outcome != Error {
		return false
	}
	switch query.Kind(r.ErrorKind) {
	case query.KindAuth, query.KindConfig, query.KindTLS, query.KindDNS,
		query.KindRefused, query.KindTimeout, query.KindNetwork, query.KindCanceled:
		return true
	case query.KindHTTP:
		var qe *query.Error
		return errors.As(r.Err, &qe) && (qe.Status >= 500 || qe.Status == http.StatusTooManyRequests)
	}
	return false
}

// Finder is the registry's search: *query.Client is one; the interface
// hands the run a client that waits for its own queries (one at a time).
type Finder interface {
	Find(ctx context.Context, d hl7.Demographics) (*hl7.Response, error)
}

var _ Finder = (*query.Client)(nil)

// Checker checks students one at a time.
type Checker struct {
	Client Finder
	// Grade is used for a student whose row gave none (--grade).
	Grade schoolentry.Grade
	// AsOf is the day of the school-entry check; zero means today.
	AsOf time.Time
}

// Check queries CT WiZ for s and checks her record for her grade. It sends
// one Find and never chooses among candidates. Failures are in the Result
// (Outcome Error), never returned.
func (c *Checker) Check(ctx context.Context, s Student) Result {
	res := Result{Student: s}
	grade := s.Grade
	if grade == "" {
		grade = c.Grade
	}
	if grade == "" {
		return res.fail(KindCheck, fmt.Errorf("line %d: no grade: give a grade column or --grade", s.Line))
	}
	resp, err := c.Client.Find(ctx, s.Demographics())
	if err != nil {
		var qe *query.Error
		if errors.As(err, &qe) {
			return res.fail(string(qe.Kind), err)
		}
		return res.fail(string(query.KindNetwork), err)
	}
	switch resp.Outcome {
	case hl7.OutcomeCandidates:
		res.Outcome = NeedsReview
		res.Candidates = resp.Patients
		return res
	case hl7.OutcomeNotFound:
		res.Outcome = NotFound
		return res
	case hl7.OutcomeTooMany:
		res.Outcome = TooMany
		return res
	case hl7.OutcomeRejected:
		return res.fail(KindRejected, errors.New("CT WiZ rejected the query"))
	case hl7.OutcomeError:
		return res.fail(KindRegistryError, errors.New("CT WiZ reported an error without a record"))
	}
	res.Record = resp
	if len(resp.Patients) > 0 {
		res.RegistryID = resp.Patients[0].RegistryID
	}
	// A record is never checked for a student it may not be (the
	// wrong-student guard's comparison, done by the client): the nurse
	// reviews it.
	if m := resp.Mismatch; m != nil && len(resp.Patients) > 0 {
		labels := make([]string, len(m.Fields))
		for i, f := range m.Fields {
			labels[i] = f.Label()
		}
		res.Outcome, res.Candidates = NeedsReview, resp.Patients[:1]
		res.Err = fmt.Errorf("the record's %s is not the roster's", strings.Join(labels, ", "))
		return res
	}
	return c.checkRecord(res, resp, grade)
}

// Resolve checks the record of the candidate the nurse chose for s, a
// student held for review: the interface fetched it (by registry ID, so
// the wrong-student guard saw it) and she confirmed it is the student.
// The result is marked Chosen, which the report says.
func (c *Checker) Resolve(s Student, resp *hl7.Response) Result {
	res := Result{Student: s, Chosen: true}
	grade := cmp.Or(s.Grade, c.Grade)
	if resp == nil || resp.Outcome != hl7.OutcomeRecord || len(resp.Patients) == 0 {
		return res.fail(KindCheck, errors.New("the registry sent no record for the student chosen"))
	}
	if grade == "" {
		return res.fail(KindCheck, fmt.Errorf("line %d: no grade: give a grade column or --grade", s.Line))
	}
	res.Record, res.RegistryID = resp, resp.Patients[0].RegistryID
	return c.checkRecord(res, resp, grade)
}

// checkRecord checks a student's record for her grade.
func (c *Checker) checkRecord(res Result, resp *hl7.Response, grade schoolentry.Grade) Result {
	asOf := c.AsOf
	if asOf.IsZero() {
		asOf = time.Now()
	}
	comp, err := schoolentry.Check(resp, grade, asOf)
	if err != nil {
		return res.fail(KindCheck, err)
	}
	res.Compliance = comp
	res.Outcome = Outcome(comp.Status)
	for _, q := range comp.Requirements {
		switch q.Status {
		case schoolentry.Missing:
			res.Missing = append(res.Missing, q.Vaccine)
		case schoolentry.InProcess:
			if q.Earliest != "" && (res.NextDate == "" || q.Earliest < res.NextDate) {
				res.NextDate = q.Earliest
			}
		}
	}
	res.Missing = slices.Compact(res.Missing)
	return res
}

func (r Result) fail(kind string, err error) Result {
	r.Outcome, r.ErrorKind, r.Err = Error, kind, err
	return r
}
