package onboard

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ctwiz-nurse/ctwiz-nurse/conformance"
	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
	"github.com/ctwiz-nurse/ctwiz-nurse/query"
)

// Options are what an onboarding run needs.
type Options struct {
	// Config is the profile's client configuration with its account, as
	// the app queries; Run sets its Exchanged hook.
	Config      query.Config
	Scenarios   []Scenario
	Environment string // PRODUCTION, QA/TEST or SANDBOX
	Profile     string
	Version     string // the app's version, for the report
	// Messages keeps the HL7 exchanged, redacted, for the report's
	// appendix (--include-messages).
	Messages bool
	// Now is the report's date; time.Now when nil.
	Now func() time.Time
}

// Phase names, as the report and the exit codes use them.
const (
	PhaseConnect  = 1 // credentials, URL and connectivity
	PhaseQueries  = 2 // query and response configuration
	PhaseWorkflow = 3 // workflow: the fetch of a chosen candidate, timings
)

// Report is the result of a run.
type Report struct {
	Environment, Profile, Endpoint, Facility, Version string
	Date                                              time.Time
	Phases                                            [3]Phase
	Timings                                           Timings
	Messages                                          []Message // when Options.Messages
}

// Phase is one test phase's result.
type Phase struct {
	Number  int
	Title   string
	Ran     bool   // false when an earlier phase stopped the run
	Why     string // why it did not run, or what to do when it failed
	Checks  []Check
	Queries []QueryResult // phase 2 and 3
	Summary string        // the line DPH can quote
}

// Passed reports whether the phase ran and nothing in it failed.
func (p Phase) Passed() bool {
	if !p.Ran {
		return false
	}
	for _, c := range p.Checks {
		if c.Level == conformance.Fail {
			return false
		}
	}
	for _, q := range p.Queries {
		if !q.AsExpected {
			return false
		}
		if fails, _ := conformance.Count(q.Findings); fails > 0 {
			return false
		}
	}
	return true
}

// Check is one check of phase 1 or 3 that is not a reply's conformance.
type Check struct {
	Name   string
	Level  conformance.Level
	Detail string
}

// QueryResult is one scenario's query (phase 2) or fetch (phase 3).
type QueryResult struct {
	Label      string
	Expected   string // the expected outcome
	Got        string // the outcome, or the failure's kind
	AsExpected bool
	Detail     string // what differed, or what failed; never patient data
	Findings   []conformance.Finding
	Took       time.Duration // the query's round trips, retries included
}

// Message is one HL7 exchange for the appendix, redacted.
type Message struct {
	Step        string // "Phase 2, scenario twins"
	Sent, Reply string // redacted as the --debug trace; Reply empty when none came
}

// Timings summarises the queries' round trips (every submitSingleMessage
// of phases 1 to 3).
type Timings struct {
	Count                int
	Median, P95, Slowest time.Duration
	SlowestStep          string
}

// Failed returns the first phase that did not pass, or 0.
func (r *Report) Failed() int {
	for _, p := range r.Phases {
		if !p.Passed() {
			return p.Number
		}
	}
	return 0
}

// run is one onboarding run in progress.
type run struct {
	opts   Options
	client *query.Client
	rep    *Report

	mu        sync.Mutex
	exchanges []query.Exchange // since the last take
	took      []step
	// firstExchanges are the first scenario's, sent in phase 1 to check
	// the account and judged with the others in phase 2.
	firstExchanges []query.Exchange
}

type step struct {
	name string
	d    time.Duration
}

// Run runs the three phases and returns the report. It returns an error
// only when it cannot start (no scenario, a configuration the client
// refuses); everything that fails later is in the report.
func Run(ctx context.Context, opts Options) (*Report, error) {
	if len(opts.Scenarios) == 0 {
		return nil, errors.New("no scenarios to run: give a scenario file")
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	r := &run{opts: opts, rep: &Report{
		Environment: opts.Environment, Profile: opts.Profile, Endpoint: opts.Config.Endpoint,
		Facility: opts.Config.FacilityID, Version: opts.Version, Date: opts.Now(),
	}}
	cfg := opts.Config
	cfg.Exchanged = r.exchanged
	client, err := query.New(cfg)
	if err != nil {
		return nil, err
	}
	r.client = client
	for i, t := range []string{"Credentials, URL and connectivity", "Query and response configuration", "Workflow: the second step and timings"} {
		r.rep.Phases[i] = Phase{Number: i + 1, Title: t}
	}

	first, firstErr := r.phase1(ctx)
	p1 := &r.rep.Phases[0]
	if !p1.Passed() {
		for _, p := range r.rep.Phases[1:] {
			r.rep.Phases[p.Number-1].Why = "not run: phase 1 failed"
			r.rep.Phases[p.Number-1].Summary = fmt.Sprintf("Phase %d: not run (phase 1 failed)", p.Number)
		}
		r.summarise()
		return r.rep, nil
	}
	results := r.phase2(ctx, first, firstErr)
	r.phase3(ctx, results)
	r.summarise()
	return r.rep, nil
}

func (r *run) exchanged(x query.Exchange) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.exchanges = append(r.exchanges, x)
}

// take returns the exchanges since the last take, recording their timings
// and messages under the step's name.
func (r *run) take(stepName string) []query.Exchange {
	r.mu.Lock()
	xs := r.exchanges
	r.exchanges = nil
	r.mu.Unlock()
	for _, x := range xs {
		r.took = append(r.took, step{stepName, x.Took})
		if r.opts.Messages {
			m := Message{Step: stepName, Sent: r.client.Redact(x.Sent)}
			if x.Reply != nil {
				m.Reply = r.client.Redact(x.Reply)
			}
			r.rep.Messages = append(r.rep.Messages, m)
		}
	}
	return xs
}

// scenarioResult is a phase-2 query kept for phase 3.
type scenarioResult struct {
	s    Scenario
	resp *hl7.Response
}

// phase2 queries each scenario as the app queries (query.Client.Find) and
// checks the outcome and every reply's conformance. The first scenario's
// answer came in phase 1.
func (r *run) phase2(ctx context.Context, first *hl7.Response, firstErr error) []scenarioResult {
	p := &r.rep.Phases[1]
	p.Ran = true
	var out []scenarioResult
	for i, s := range r.opts.Scenarios {
		resp, err := first, firstErr
		if i > 0 {
			resp, err = r.client.Find(ctx, s.Demographics)
		}
		xs := r.take("Phase 2, scenario " + s.Label)
		if i == 0 {
			xs = r.firstExchanges
		}
		q := r.judge(s, resp, err, xs)
		p.Queries = append(p.Queries, q)
		if err == nil {
			out = append(out, scenarioResult{s, resp})
		}
		if ctx.Err() != nil {
			p.Why = "interrupted"
			break
		}
	}
	return out
}

// judge compares a scenario's answer with what was expected, and checks
// each exchange's conformance.
func (r *run) judge(s Scenario, resp *hl7.Response, err error, xs []query.Exchange) QueryResult {
	q := QueryResult{Label: s.Label, Expected: string(s.Expect)}
	for _, x := range xs {
		q.Took += x.Took
		if x.Reply != nil {
			q.Findings = append(q.Findings, conformance.CheckExchange(x.Sent, x.Reply)...)
		}
	}
	if err != nil {
		q.Got, q.Detail = failure(err)
		return q
	}
	q.Got = string(resp.Outcome)
	switch {
	case resp.Outcome != s.Expect:
		q.Detail = fmt.Sprintf("expected %s, CT WiZ answered %s", s.Expect, resp.Outcome)
	case s.RegistryID != "" && s.Expect == hl7.OutcomeRecord && resp.Patients[0].RegistryID != s.RegistryID:
		q.Detail = "the record's registry ID is not the one the scenario expects"
	case s.RegistryID != "" && s.Expect == hl7.OutcomeCandidates && !slices.ContainsFunc(resp.Patients, func(p hl7.Patient) bool { return p.RegistryID == s.RegistryID }):
		q.Detail = "the expected registry ID is not among the candidates"
	default:
		q.AsExpected = true
		q.Detail = fmt.Sprintf("%s, as expected", describe(resp))
	}
	return q
}

// describe says what a reply held, without patient data.
func describe(resp *hl7.Response) string {
	switch resp.Outcome {
	case hl7.OutcomeRecord:
		return fmt.Sprintf("one record (%s) with %d immunizations and %d forecast groups", resp.Profile, len(resp.Immunizations), len(resp.Forecast))
	case hl7.OutcomeCandidates:
		return fmt.Sprintf("%d candidates (%s)", len(resp.Patients), resp.Profile)
	}
	return fmt.Sprintf("%s (%s QAK-2 %s)", resp.Outcome, resp.Profile, resp.Status)
}

// failure names a failed query by its kind and says what it means, in the
// program's words: the error's own text may quote a registry ID.
func failure(err error) (got, detail string) {
	var qe *query.Error
	if !errors.As(err, &qe) {
		return "error", "the query failed"
	}
	what := map[query.Kind]string{
		query.KindAuth:      "CT WiZ refused the username, password or facility ID",
		query.KindFault:     "CT WiZ answered with a SOAP fault",
		query.KindHTTP:      fmt.Sprintf("the endpoint answered HTTP %d", qe.Status),
		query.KindTLS:       "the secure connection failed",
		query.KindDNS:       "the endpoint's name could not be found",
		query.KindRefused:   "the connection was refused",
		query.KindTimeout:   "CT WiZ did not answer in time",
		query.KindTooLarge:  "the reply was over the size limit",
		query.KindBadReply:  "the reply was not a usable answer (not SOAP or HL7, or not the patient asked for)",
		query.KindControlID: "the reply answers another query (MSA-2 is not the query's MSH-10), so the app discards it",
		query.KindCanceled:  "the run was interrupted",
		query.KindConfig:    "the configuration cannot work",
		query.KindInvalid:   "the scenario's demographics are not valid",
		query.KindNetwork:   "the connection closed before the reply was complete",
	}[qe.Kind]
	if qe.Fault != nil {
		what += " (" + qe.Fault.Kind.Name() + ")"
	}
	return "failed: " + string(qe.Kind), what
}

// phase3 fetches, for each scenario that listed candidates, the expected
// candidate (or the first) by registry ID, as the app does once the nurse
// has chosen; the reply must be that one student's record.
func (r *run) phase3(ctx context.Context, results []scenarioResult) {
	p := &r.rep.Phases[2]
	p.Ran = true
	for _, sr := range results {
		if sr.resp.Outcome != hl7.OutcomeCandidates || len(sr.resp.Patients) == 0 {
			continue
		}
		chosen := sr.resp.Patients[0]
		for _, c := range sr.resp.Patients {
			if sr.s.RegistryID != "" && c.RegistryID == sr.s.RegistryID {
				chosen = c
			}
		}
		resp, err := r.client.Fetch(ctx, chosen, sr.s.Demographics)
		xs := r.take("Phase 3, scenario " + sr.s.Label + ", fetch by registry ID")
		q := r.judge(Scenario{Label: sr.s.Label, Expect: hl7.OutcomeRecord, RegistryID: chosen.RegistryID}, resp, err, xs)
		if q.AsExpected {
			q.Detail = "the fetch by registry ID returned that one student: " + describe(resp)
		}
		p.Queries = append(p.Queries, q)
	}
	if len(p.Queries) == 0 {
		p.Checks = append(p.Checks, Check{"second-step", conformance.Warn,
			"no scenario listed candidates, so the fetch by registry ID was not tried: add a scenario that expects candidates"})
	}
}

// summarise writes each phase's summary line and the timings.
func (r *run) summarise() {
	ds := make([]time.Duration, len(r.took))
	for i, s := range r.took {
		ds[i] = s.d
	}
	slices.Sort(ds)
	t := &r.rep.Timings
	t.Count = len(ds)
	if len(ds) > 0 {
		t.Median = ds[(len(ds)-1)/2]
		// Nearest rank: the smallest value at or above 95% of the queries.
		t.P95 = ds[(95*len(ds)+99)/100-1]
		t.Slowest = ds[len(ds)-1]
		for _, s := range r.took {
			if s.d == t.Slowest {
				t.SlowestStep = s.name
				break
			}
		}
	}
	for i := range r.rep.Phases {
		p := &r.rep.Phases[i]
		if !p.Ran {
			continue
		}
		fails, warns := 0, 0
		for _, c := range p.Checks {
			switch c.Level {
			case conformance.Fail:
				fails++
			case conformance.Warn:
				warns++
			}
		}
		cfails, cwarns, ok := 0, 0, 0
		for _, q := range p.Queries {
			f, w := conformance.Count(q.Findings)
			cfails, cwarns = cfails+f, cwarns+w
			if q.AsExpected {
				ok++
			}
		}
		if p.Number != PhaseConnect && !p.Passed() && p.Why == "" {
			p.Why = fmt.Sprintf("%d of %d queries not as expected, %d conformance errors: each scenario below says what differed and which check failed, with its rule.", len(p.Queries)-ok, len(p.Queries), cfails)
		}
		switch p.Number {
		case PhaseConnect:
			p.Summary = fmt.Sprintf("Phase 1: %d of %d checks passed, %d failed, %d warnings", len(p.Checks)-fails-warns, len(p.Checks), fails, warns)
		case PhaseQueries:
			p.Summary = fmt.Sprintf("Phase 2: %d of %d scenarios as expected, %d conformance errors, %d warnings", ok, len(p.Queries), cfails, cwarns)
		case PhaseWorkflow:
			p.Summary = fmt.Sprintf("Phase 3: %d of %d candidate fetches returned that one student, %d conformance errors, %d warnings", ok, len(p.Queries), cfails, cwarns+warns)
			if t.Count > 0 {
				p.Summary += fmt.Sprintf("; %d queries: median %s, 95th percentile %s, slowest %s", t.Count, ms(t.Median), ms(t.P95), ms(t.Slowest))
			}
		}
	}
}

// ms writes a duration in milliseconds, as onboarding staff compare them.
func ms(d time.Duration) string {
	if d < 10*time.Millisecond {
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%d ms", d.Round(time.Millisecond)/time.Millisecond)
}

// joinNonEmpty joins the non-empty parts.
func joinNonEmpty(sep string, parts ...string) string {
	return strings.Join(slices.DeleteFunc(parts, func(s string) bool { return s == "" }), sep)
}
