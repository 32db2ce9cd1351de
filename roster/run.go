package roster

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Run is a batch run: every roster row into the report, one query at a
// time with Pace between queries.
type Run struct {
	Checker *Checker
	Pace    time.Duration
	Max     int // most queries this run; 0 means no cap
	// Stop, when closed, ends the run after the query in flight (Ctrl-C).
	Stop <-chan struct{}
	// Progress, when set, is called after each student checked.
	Progress func(Progress)
	// Checked, when set, is called with each student's result once her
	// row is written, the record still in it (the interface's table).
	Checked func(Result, Progress)
}

// Progress is how far a run is.
type Progress struct {
	Done, Total int // students checked (this run and before, when resumed), students to check
	Queries     int // queries sent this run
	Counts      map[Outcome]int
	Started     time.Time
}

// Ending says why a run ended.
type Ending int

const (
	Finished Ending = iota // every row is in the report
	Stopped                // Stop was closed
	Capped                 // Max queries sent
	Paused                 // a failure of the whole run (Result.Pause)
)

// Summary is what a run did.
type Summary struct {
	Ending  Ending
	Queries int
	Counts  map[Outcome]int // outcomes of the students checked this run
	Pause   *Result         // the student whose failure paused the run (not in the report)
}

// Pending is the number of students a run on this report will query.
func Pending(ro *Roster, rep *Report) int {
	n := 0
	for _, s := range ro.Students {
		if !rep.Done(s.Line) {
			n++
		}
	}
	return n
}

// Do writes every row of ro not yet in rep, in file order: problems and
// duplicates as they come, students after their query. The error is the
// report's (a file that cannot be written).
func (r *Run) Do(ctx context.Context, ro *Roster, rep *Report) (Summary, error) {
	sum := Summary{Counts: map[Outcome]int{}}
	problems := slices.Clone(ro.Problems)
	total := len(ro.Students)
	prog := Progress{Total: total, Counts: sum.Counts, Started: time.Now()}
	for _, s := range ro.Students {
		if rep.Done(s.Line) {
			prog.Done++
		}
	}
	// The rows not sent, merged by line with the students.
	dups := make([]int, 0, len(ro.DuplicateOf))
	for l := range ro.DuplicateOf {
		dups = append(dups, l)
	}
	slices.Sort(dups)
	flush := func(before int) error {
		for len(problems) > 0 && problems[0].Line < before {
			p := problems[0]
			problems = problems[1:]
			if !rep.Done(p.Line) {
				if err := rep.WriteProblem(ro, p, ro.raw[p.Line]); err != nil {
					return err
				}
			}
		}
		for len(dups) > 0 && dups[0] < before {
			l := dups[0]
			dups = dups[1:]
			if !rep.Done(l) {
				if err := rep.WriteDuplicate(l, ro.DuplicateOf[l], ro.reportFields(ro.raw[l])); err != nil {
					return err
				}
			}
		}
		return nil
	}
	for _, s := range ro.Students {
		if err := flush(s.Line); err != nil {
			return sum, err
		}
		if rep.Done(s.Line) {
			continue
		}
		if r.Max > 0 && sum.Queries >= r.Max {
			sum.Ending = Capped
			return sum, nil
		}
		if sum.Queries > 0 && !r.wait() {
			sum.Ending = Stopped
			return sum, nil
		}
		if r.stopped() {
			sum.Ending = Stopped
			return sum, nil
		}
		res := r.Checker.Check(ctx, s)
		sum.Queries++
		prog.Queries = sum.Queries
		if res.Pause() {
			sum.Ending, sum.Pause = Paused, &res
			return sum, nil
		}
		if err := rep.Write(res); err != nil {
			return sum, err
		}
		sum.Counts[res.Outcome]++
		prog.Done++
		if r.Checked != nil {
			r.Checked(res, prog)
		}
		if r.Progress != nil {
			r.Progress(prog)
		}
	}
	if err := flush(int(^uint(0) >> 1)); err != nil {
		return sum, err
	}
	sum.Ending = Finished
	return sum, nil
}

// wait sleeps the pace; false when Stop closed meanwhile.
func (r *Run) wait() bool {
	if r.Pace <= 0 {
		return !r.stopped()
	}
	t := time.NewTimer(r.Pace)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Stop:
		return false
	}
}

func (r *Run) stopped() bool {
	select {
	case <-r.Stop:
		return true
	default:
		return false
	}
}

// assumedReply is the registry's time per query an estimate assumes.
const assumedReply = time.Second

// Estimate is about how long queries take, pace apart, when CT WiZ
// answers each in a second.
func Estimate(queries int, pace time.Duration) time.Duration {
	if queries <= 0 {
		return 0
	}
	return time.Duration(queries)*(pace+assumedReply) - pace // no pause before the first
}

// ErrPaused is the error of a paused run, wrapping the student's failure.
var ErrPaused = errors.New("the run is paused")

// PauseError says why a run paused and what to do.
func PauseError(res *Result) error {
	return fmt.Errorf("%w before line %d: %v; nothing was lost: fix this and run again with --resume", ErrPaused, res.Student.Line, res.Err)
}
