package sandbox_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
	"github.com/ctwiz-nurse/ctwiz-nurse/query"
	"github.com/ctwiz-nurse/ctwiz-nurse/sandbox"
)

// today is the sandbox's clock in tests, so forecasts are fixed.
var today = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

// start runs a sandbox on loopback and returns a real query client for it.
func start(t testing.TB, o sandbox.Options, cfg query.Config) *query.Client {
	t.Helper()
	if o.Now == nil {
		o.Now = func() time.Time { return today }
	}
	s, err := sandbox.New(o)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	user, pass, fac := s.Credentials()
	cfg.Endpoint = srv.URL + sandbox.Path
	if cfg.Username == "" {
		cfg.Username, cfg.Password, cfg.FacilityID = user, pass, fac
	}
	if cfg.RetryBackoff == 0 {
		cfg.RetryBackoff = time.Millisecond
	}
	c, err := query.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func demo(t testing.TB, last, first, born string) hl7.Demographics {
	t.Helper()
	b, err := time.Parse(time.DateOnly, born)
	if err != nil {
		t.Fatal(err)
	}
	return hl7.Demographics{Last: last, First: first, BirthDate: b}
}

func forecastOf(r *hl7.Response, group string) hl7.Forecast {
	for _, f := range r.Forecast {
		if f.Group == group {
			return f
		}
	}
	return hl7.Forecast{}
}

func dosesOf(r *hl7.Response, cvx string) []hl7.Immunization {
	var out []hl7.Immunization
	for _, im := range r.Immunizations {
		if im.CVX == cvx {
			out = append(out, im)
		}
	}
	return out
}

// schoolGroups are the groups the Connecticut school rules look at.
var schoolGroups = []string{"DTaP/Tdap/Td", "Polio", "MMR", "HepB", "Varicella", "HepA", "Meningococcal"}

// TestBuiltinScenarios queries every built-in student through the real
// query client and checks the profile, the outcome and the key fields.
func TestBuiltinScenarios(t *testing.T) {
	c := start(t, sandbox.Options{}, query.Config{})
	z34 := start(t, sandbox.Options{}, query.Config{Profile: hl7.ProfileZ34})
	cases := []struct {
		name    string
		client  *query.Client
		d       hl7.Demographics
		profile string
		outcome hl7.Outcome
		check   func(t *testing.T, r *hl7.Response)
	}{
		{"complete record", c, demo(t, "Sandoval", "Maya", "2008-04-12"), "Z42", hl7.OutcomeRecord, func(t *testing.T, r *hl7.Response) {
			p := r.Patients[0]
			if p.RegistryID != "9000001" || p.Family != "SANDOVAL" || p.Given != "Maya" || p.BirthDate != "2008-04-12" {
				t.Errorf("patient %+v", p)
			}
			for _, g := range append(schoolGroups, "HPV", "Hib", "Pneumococcal", "Rotavirus") {
				if f := forecastOf(r, g); f.Status != hl7.StatusComplete {
					t.Errorf("%s: %q, want complete", g, f.Status)
				}
			}
			if f := forecastOf(r, "Influenza"); f.Status != hl7.StatusDue {
				t.Errorf("influenza %q, want due", f.Status)
			}
			for _, im := range r.Immunizations {
				for _, e := range im.Evaluations {
					if e.Valid != "Y" {
						t.Errorf("%s %s not valid: %s", im.Date, e.Group, e.Reason)
					}
				}
			}
		}},
		{"complete record, history only (Z34)", z34, demo(t, "SANDOVAL", "MAYA", "2008-04-12"), "Z32", hl7.OutcomeRecord, func(t *testing.T, r *hl7.Response) {
			if len(r.Immunizations) != 34 || len(r.Forecast) != 0 {
				t.Errorf("%d doses, %d forecasts; want 34 and none", len(r.Immunizations), len(r.Forecast))
			}
			im := r.Immunizations[0]
			if im.CVX != "08" || im.Date != "2008-04-12" || im.Lot == "" || im.Manufacturer == "" || im.Historical {
				t.Errorf("first dose %+v", im)
			}
		}},
		{"missing and overdue", c, demo(t, "Parker", "Liam", "2019-06-20"), "Z42", hl7.OutcomeRecord, func(t *testing.T, r *hl7.Response) {
			for g, dose := range map[string]string{"Polio": "4", "MMR": "2", "Varicella": "2", "HepA": "2"} {
				if f := forecastOf(r, g); f.Status != hl7.StatusOverdue || f.Dose != dose || f.Overdue == "" {
					t.Errorf("%s: %+v, want overdue dose %s", g, f, dose)
				}
			}
			// Past 7, his four DTaP doses (the first before 1 year) are
			// enough (ACIP catch-up): next is the adolescent Tdap.
			if f := forecastOf(r, "DTaP/Tdap/Td"); f.Status != hl7.StatusOnSchedule || f.Dose != "5" ||
				f.Earliest != "2029-06-20" || !strings.Contains(f.Reason, "Tdap") {
				t.Errorf("DTaP/Tdap/Td: %+v, want on schedule for the adolescent Tdap", f)
			}
			for _, im := range r.Immunizations {
				if im.Date == "2020-12-01" {
					t.Errorf("the dose deleted with RXA-21 D is still listed: %+v", im)
				}
			}
		}},
		{"twins: two candidates", c, demo(t, "Nguyen", "Minh", "2017-09-03"), "Z31", hl7.OutcomeCandidates, func(t *testing.T, r *hl7.Response) {
			if len(r.Patients) != 2 || r.Patients[0].Given != "Minh Anh" || r.Patients[1].Given != "Minh Khoa" {
				t.Fatalf("candidates %+v", r.Patients)
			}
			if len(r.Immunizations) != 0 {
				t.Error("a candidate list carries doses")
			}
			// The second step: the nurse picks the second twin.
			rec, err := c.Fetch(context.Background(), r.Patients[1], demo(t, "Nguyen", "Minh", "2017-09-03"))
			if err != nil {
				t.Fatal(err)
			}
			if rec.Outcome != hl7.OutcomeRecord || rec.Profile != "Z42" || rec.Patients[0].RegistryID != r.Patients[1].RegistryID || rec.Patients[0].Sex != "M" {
				t.Errorf("fetched %s %s %+v", rec.Outcome, rec.Profile, rec.Patients)
			}
		}},
		{"twin by full name", c, demo(t, "NGUYEN", "Minh Anh", "2017-09-03"), "Z42", hl7.OutcomeRecord, func(t *testing.T, r *hl7.Response) {
			if r.Patients[0].Given != "Minh Anh" || r.Patients[0].Sex != "F" {
				t.Errorf("patient %+v", r.Patients[0])
			}
		}},
		{"common name: too many", c, demo(t, "Smith", "Michael", "2015-09-01"), "Z33", hl7.OutcomeTooMany, func(t *testing.T, r *hl7.Response) {
			if r.Status != "TM" || len(r.Patients) != 0 {
				t.Errorf("status %s, %d patients", r.Status, len(r.Patients))
			}
		}},
		{"common name, exact", c, demo(t, "Smith", "Emma", "2015-09-01"), "Z42", hl7.OutcomeRecord, func(t *testing.T, r *hl7.Response) {
			if r.Patients[0].Given != "Emma" {
				t.Errorf("patient %+v", r.Patients[0])
			}
		}},
		{"apostrophe and accents", c, demo(t, "OBrien", "Siobhan", "2016-11-30"), "Z42", hl7.OutcomeRecord, func(t *testing.T, r *hl7.Response) {
			if p := r.Patients[0]; p.Family != "O'BRIEN" || p.Given != "Siobhán" || p.Middle != "Máire" {
				t.Errorf("patient %+v", p)
			}
		}},
		{"hyphen and accents, historical doses", c, demo(t, "Garcia Lopez", "Jose", "2014-07-04"), "Z42", hl7.OutcomeRecord, func(t *testing.T, r *hl7.Response) {
			if p := r.Patients[0]; p.Family != "GARCÍA-LÓPEZ" || p.Given != "José" {
				t.Errorf("patient %+v", p)
			}
			if im := r.Immunizations[0]; !im.Historical || im.Lot != "" {
				t.Errorf("first dose %+v, want historical", im)
			}
		}},
		{"historical and refused doses", c, demo(t, "Whitehorse", "Dakota", "2013-02-17"), "Z42", hl7.OutcomeRecord, func(t *testing.T, r *hl7.Response) {
			refused := 0
			for _, im := range r.Immunizations {
				if im.Status == "RE" {
					refused++
					if im.Refusal == "" || len(im.Evaluations) != 0 {
						t.Errorf("refused dose %+v", im)
					}
				}
			}
			if refused != 2 {
				t.Errorf("%d refused doses, want 2", refused)
			}
			if !r.Immunizations[0].Historical {
				t.Error("infant doses are not historical")
			}
			if f := forecastOf(r, "HPV"); f.Status != hl7.StatusOverdue {
				t.Errorf("HPV after a refusal: %q, want overdue", f.Status)
			}
		}},
		{"invalid doses", c, demo(t, "Kowalski", "Zofia", "2020-02-14"), "Z42", hl7.OutcomeRecord, func(t *testing.T, r *hl7.Response) {
			mmr := dosesOf(r, "03")
			if len(mmr) != 3 || mmr[0].Date != "2021-02-05" || mmr[0].Evaluations[0].Valid != "N" ||
				!strings.Contains(mmr[0].Evaluations[0].Reason, "Too young") || mmr[1].Evaluations[0].Valid != "Y" {
				t.Errorf("MMR doses %+v", mmr)
			}
			if f := forecastOf(r, "MMR"); f.Status != hl7.StatusComplete {
				t.Errorf("MMR %q, want complete", f.Status)
			}
		}},
		{"large record", c, demo(t, "Montgomery-Blake", "Theodore", "2008-01-05"), "Z42", hl7.OutcomeRecord, func(t *testing.T, r *hl7.Response) {
			if len(r.Immunizations) <= 60 {
				t.Errorf("%d doses, want more than 60", len(r.Immunizations))
			}
			if f := forecastOf(r, "Influenza"); f.Status != hl7.StatusDue {
				t.Errorf("influenza %+v", f)
			}
		}},
		{"not found", c, demo(t, "Doe", "Jane", "2016-01-01"), "Z33", hl7.OutcomeNotFound, func(t *testing.T, r *hl7.Response) {
			if r.Status != "NF" || r.Ack != "AA" {
				t.Errorf("status %s ack %s", r.Status, r.Ack)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := tc.client.Find(context.Background(), tc.d)
			if err != nil {
				t.Fatal(err)
			}
			if r.Profile != tc.profile || r.Outcome != tc.outcome {
				t.Fatalf("profile %s outcome %s, want %s %s (errors %+v)", r.Profile, r.Outcome, tc.profile, tc.outcome, r.Errors)
			}
			if tc.outcome == hl7.OutcomeRecord && len(r.Patients) != 1 {
				t.Fatalf("%d patients in a record", len(r.Patients))
			}
			if len(r.Warnings) > 0 {
				t.Errorf("decoder warnings: %v", r.Warnings)
			}
			tc.check(t, r)
		})
	}
}

// TestStudentsDocumented: every built-in student gives the answer its
// description promises (the README's table comes from Students()).
func TestStudentsDocumented(t *testing.T) {
	c := start(t, sandbox.Options{}, query.Config{})
	for _, s := range append(sandbox.Students(), sandbox.NotFound) {
		r, err := c.Find(context.Background(), demo(t, s.Last, s.First, s.Born))
		if err != nil {
			t.Fatalf("%s, %s: %v", s.Last, s.First, err)
		}
		want := hl7.OutcomeRecord
		if s.Last == sandbox.NotFound.Last {
			want = hl7.OutcomeNotFound
		}
		if r.Outcome != want {
			t.Errorf("%s, %s %s: %s, want %s", s.Last, s.First, s.Born, r.Outcome, want)
		}
		if want == hl7.OutcomeRecord && r.Patients[0].RegistryID != s.RegistryID {
			t.Errorf("%s, %s: registry ID %s, listed as %s", s.Last, s.First, r.Patients[0].RegistryID, s.RegistryID)
		}
	}
}

func TestPing(t *testing.T) {
	c := start(t, sandbox.Options{}, query.Config{})
	echo, err := c.Ping(context.Background())
	if err != nil || echo != "ctwiz-nurse connectivity test" {
		t.Errorf("Ping = %q, %v", echo, err)
	}
}

func TestWrongCredentialsSecurityFault(t *testing.T) {
	for _, cfg := range []query.Config{
		{Username: sandbox.DefaultUsername, Password: "wrong", FacilityID: sandbox.DefaultFacility},
		{Username: "someone", Password: sandbox.DefaultPassword, FacilityID: sandbox.DefaultFacility},
		{Username: sandbox.DefaultUsername, Password: sandbox.DefaultPassword, FacilityID: "OTHER"},
	} {
		c := start(t, sandbox.Options{}, cfg)
		_, err := c.Find(context.Background(), demo(t, "Sandoval", "Maya", "2008-04-12"))
		qe, ok := errors.AsType[*query.Error](err)
		if !ok || qe.Kind != query.KindAuth || qe.Retryable || qe.Fault == nil || qe.Fault.Code != "401" {
			t.Errorf("%+v: got %v", cfg.FacilityID, err)
		}
	}
}

// TestMisbehave: each misbehaviour as the real client meets it.
func TestMisbehave(t *testing.T) {
	find := func(t *testing.T, o sandbox.Options, cfg query.Config) (*hl7.Response, error) {
		return start(t, o, cfg).Find(context.Background(), demo(t, "Sandoval", "Maya", "2008-04-12"))
	}
	wantKind := func(t *testing.T, err error, k query.Kind) {
		t.Helper()
		qe, ok := errors.AsType[*query.Error](err)
		if !ok || qe.Kind != k {
			t.Errorf("error %v (%T), want kind %s", err, err, k)
		}
	}
	wantRecord := func(t *testing.T, r *hl7.Response, err error, profile string) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		if r.Outcome != hl7.OutcomeRecord || r.Profile != profile || len(r.Immunizations) != 34 {
			t.Errorf("outcome %s profile %s, %d doses", r.Outcome, r.Profile, len(r.Immunizations))
		}
	}
	t.Run("slow", func(t *testing.T) {
		_, err := find(t, sandbox.Options{Misbehave: sandbox.Slow, Latency: 2 * time.Second}, query.Config{Timeout: 200 * time.Millisecond})
		wantKind(t, err, query.KindTimeout)
	})
	t.Run("latency within the timeout", func(t *testing.T) {
		r, err := find(t, sandbox.Options{Latency: 50 * time.Millisecond}, query.Config{})
		wantRecord(t, r, err, "Z42")
	})
	t.Run("drop", func(t *testing.T) {
		_, err := find(t, sandbox.Options{Misbehave: sandbox.Drop}, query.Config{})
		wantKind(t, err, query.KindNetwork)
	})
	for _, m := range []sandbox.Mode{sandbox.SOAP11, sandbox.CDATA, sandbox.LF} {
		t.Run(string(m), func(t *testing.T) {
			r, err := find(t, sandbox.Options{Misbehave: m}, query.Config{})
			wantRecord(t, r, err, "Z42")
		})
	}
	t.Run("ae-warning", func(t *testing.T) {
		r, err := find(t, sandbox.Options{Misbehave: sandbox.AEWarning}, query.Config{})
		wantRecord(t, r, err, "Z42")
		if r != nil && (r.Ack != "AE" || len(r.Errors) != 1 || r.Errors[0].Severity != "W") {
			t.Errorf("ack %s errors %+v", r.Ack, r.Errors)
		}
	})
	t.Run("no-forecast", func(t *testing.T) {
		r, err := find(t, sandbox.Options{Misbehave: sandbox.NoForecast}, query.Config{})
		wantRecord(t, r, err, "Z32")
		if r != nil && len(r.Forecast) != 0 {
			t.Errorf("%d forecasts", len(r.Forecast))
		}
	})
	t.Run("html-error", func(t *testing.T) {
		_, err := find(t, sandbox.Options{Misbehave: sandbox.HTMLError}, query.Config{})
		wantKind(t, err, query.KindHTTP)
	})
	t.Run("bad-xml", func(t *testing.T) {
		_, err := find(t, sandbox.Options{Misbehave: sandbox.BadXML}, query.Config{})
		wantKind(t, err, query.KindBadReply)
	})
	t.Run("wrong-patient", func(t *testing.T) {
		r, err := find(t, sandbox.Options{Misbehave: sandbox.WrongPatient}, query.Config{})
		if err != nil {
			t.Fatal(err)
		}
		if r.Outcome != hl7.OutcomeRecord || r.Patients[0].Family != "PARKER" || r.Mismatch == nil || len(r.Mismatch.Fields) != 3 {
			t.Errorf("outcome %s, patient %+v, mismatch %+v: want PARKER's record, marked on name and birth date", r.Outcome, r.Patients, r.Mismatch)
		}
	})
	t.Run("no-registry-id", func(t *testing.T) {
		c := start(t, sandbox.Options{Misbehave: sandbox.NoRegistryID}, query.Config{})
		r, err := c.Find(context.Background(), demo(t, "Sandoval", "Maya", "2008-04-12"))
		if err != nil || r.Outcome != hl7.OutcomeRecord || r.Patients[0].RegistryID != "" || r.Mismatch != nil {
			t.Fatalf("a search without ID: %v, %+v: want the record without ID, no mismatch", err, r)
		}
		twins, err := c.Find(context.Background(), demo(t, "Nguyen", "Minh", "2017-09-03"))
		if err != nil || twins.Outcome != hl7.OutcomeCandidates {
			t.Fatalf("twins: %v, %+v", err, twins)
		}
		r, err = c.Fetch(context.Background(), twins.Patients[1], demo(t, "Nguyen", "Minh", "2017-09-03"))
		if err != nil {
			t.Fatal(err)
		}
		if m := r.Mismatch; m == nil || len(m.Fields) != 1 || m.Fields[0].Field != "registryId" || m.Fields[0].Asked != "9000004" || m.Fields[0].Registry != "" {
			t.Errorf("the fetch of twin 2: mismatch %+v, want the registry ID 9000004 missing", m)
		}
	})
}

// TestStatusesStayTrue: the forecast statuses the README promises "as of
// late 2026 and afterwards" hold on later days too.
func TestStatusesStayTrue(t *testing.T) {
	claims := []struct {
		d      hl7.Demographics
		group  string
		status string
	}{
		{demo(t, "Sandoval", "Maya", "2008-04-12"), "DTaP/Tdap/Td", hl7.StatusComplete},
		{demo(t, "Sandoval", "Maya", "2008-04-12"), "MMR", hl7.StatusComplete},
		{demo(t, "Sandoval", "Maya", "2008-04-12"), "Meningococcal", hl7.StatusComplete},
		{demo(t, "Parker", "Liam", "2019-06-20"), "Polio", hl7.StatusOverdue},
		{demo(t, "Parker", "Liam", "2019-06-20"), "MMR", hl7.StatusOverdue},
		{demo(t, "Parker", "Liam", "2019-06-20"), "Varicella", hl7.StatusOverdue},
		{demo(t, "Parker", "Liam", "2019-06-20"), "HepA", hl7.StatusOverdue},
		{demo(t, "Whitehorse", "Dakota", "2013-02-17"), "HPV", hl7.StatusOverdue},
		{demo(t, "Kowalski", "Zofia", "2020-02-14"), "MMR", hl7.StatusComplete},
	}
	for _, day := range []time.Time{today, time.Date(2027, 7, 15, 9, 0, 0, 0, time.UTC), time.Date(2031, 3, 1, 9, 0, 0, 0, time.UTC)} {
		c := start(t, sandbox.Options{Now: func() time.Time { return day }}, query.Config{})
		for _, cl := range claims {
			r, err := c.Find(context.Background(), cl.d)
			if err != nil {
				t.Fatal(err)
			}
			if f := forecastOf(r, cl.group); f.Status != cl.status {
				t.Errorf("%s on %s: %s %q, want %q", cl.d.Last, day.Format(time.DateOnly), cl.group, f.Status, cl.status)
			}
		}
	}
}

// TestEarlierDay: a sandbox set to an earlier day (--today) holds the
// built-in records as they stood then; a day before the youngest student
// was born is refused, saying which day works.
func TestEarlierDay(t *testing.T) {
	day := time.Date(2021, 3, 1, 12, 0, 0, 0, time.UTC)
	c := start(t, sandbox.Options{Now: func() time.Time { return day }}, query.Config{})
	r, err := c.Find(context.Background(), demo(t, "Kowalski", "Zofia", "2020-02-14"))
	if err != nil {
		t.Fatal(err)
	}
	for _, im := range r.Immunizations {
		if im.Date > "2021-03-01" {
			t.Errorf("a dose of %s is on file on 2021-03-01", im.Date)
		}
	}
	if n := len(dosesOf(r, "03")); n != 1 {
		t.Errorf("%d MMR doses on 2021-03-01, want the one (not valid) of 2021-02-05", n)
	}
	if f := forecastOf(r, "MMR"); f.Status != hl7.StatusDue || f.Dose != "1" {
		t.Errorf("MMR on 2021-03-01: %+v, want dose 1 due", f)
	}
	if r, err := c.Find(context.Background(), demo(t, "Parker", "Liam", "2019-06-20")); err != nil || r.Outcome != hl7.OutcomeRecord {
		t.Errorf("Parker on 2021-03-01: %v %v", r, err)
	}

	_, err = sandbox.New(sandbox.Options{Now: func() time.Time { return time.Date(2019, 9, 1, 0, 0, 0, 0, time.UTC) }})
	if err == nil || !strings.Contains(err.Error(), "2020-02-14") {
		t.Errorf("a day before the youngest student was born: %v", err)
	}
	if _, err := sandbox.New(sandbox.Options{NoBuiltin: true, Now: func() time.Time { return time.Date(2019, 9, 1, 0, 0, 0, 0, time.UTC) }}); err != nil {
		t.Errorf("--no-builtin on any day: %v", err)
	}
}
