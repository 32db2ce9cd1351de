package schoolentry

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
)

// products names the vaccines the tests give, as a nurse reads them.
var products = map[string]string{
	"DTaP": "20", "Tdap": "115", "Td": "113", "IPV": "10", "MMR": "03", "MMRV": "94", "Varicella": "21",
	"HepB": "08", "Hib": "48", "PCV13": "133", "HepA": "83", "Flu": "150", "MenACWY": "114",
	"Pediarix": "110", "Kinrix": "130", "Rotateq": "116",
}

// record builds a Z42 record from dose lines "VACCINE YYYY-MM-DD [flag]":
// flag "valid" or "invalid" is the registry's evaluation for every group
// of the vaccine (none: not evaluated), "refused" and "not-given" RXA-20.
func record(t testing.TB, born string, lines ...string) *hl7.Response {
	t.Helper()
	r := &hl7.Response{Outcome: hl7.OutcomeRecord, Patients: []hl7.Patient{{BirthDate: born}}}
	for _, l := range lines {
		f := strings.Fields(l)
		cvx, ok := products[f[0]]
		if !ok || len(f) < 2 {
			t.Fatalf("dose line %q: want a known vaccine and a date", l)
		}
		im := hl7.Immunization{Date: f[1], CVX: cvx, Status: "CP"}
		for _, flag := range f[2:] {
			switch flag {
			case "valid", "invalid":
				for _, g := range hl7.VaccineGroups(cvx) {
					im.Evaluations = append(im.Evaluations, hl7.Evaluation{Group: g.Name, CVX: g.CVX, Valid: map[string]string{"valid": "Y", "invalid": "N"}[flag]})
				}
			case "refused":
				im.Status = "RE"
			case "not-given":
				im.Status = "NA"
			default:
				t.Fatalf("dose line %q: unknown flag %q", l, flag)
			}
		}
		r.Immunizations = append(r.Immunizations, im)
	}
	return r
}

func day(t testing.TB, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// summary writes a requirement as the tables below expect it: "MMR met",
// "Varicella in_process 2027-02-20", or "Hib absent" when not listed.
func summary(res *Result, vaccine string) (string, *Requirement) {
	for i, q := range res.Requirements {
		if q.Vaccine == vaccine {
			s := q.Vaccine + " " + q.Status
			if q.Earliest != "" {
				s += " " + q.Earliest
			}
			return s, &res.Requirements[i]
		}
	}
	return vaccine + " absent", nil
}

// ruleCase is one line of a table a school nurse can check: a student,
// her grade, the day of the check, her doses, and what one requirement
// says (and, optionally, words its message must hold).
type ruleCase struct {
	name  string
	born  string
	grade Grade
	asOf  string
	doses []string
	want  string // "VACCINE STATUS [EARLIEST]" or "VACCINE absent"
	says  string
}

func runCases(t *testing.T, cases []ruleCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := Check(record(t, c.born, c.doses...), c.grade, day(t, c.asOf))
			if err != nil {
				t.Fatal(err)
			}
			vaccine := strings.Fields(c.want)[0]
			got, req := summary(res, vaccine)
			if got != c.want {
				t.Errorf("got %q, want %q\n%s", got, c.want, dump(res))
			}
			if c.says != "" && (req == nil || !strings.Contains(req.Message, c.says)) {
				t.Errorf("message %q does not say %q", message(req), c.says)
			}
		})
	}
}

func message(q *Requirement) string {
	if q == nil {
		return ""
	}
	return q.Message
}

func dump(res *Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %s\n", res.RulesVersion, res.Grade, res.Status)
	for _, q := range res.Requirements {
		fmt.Fprintf(&b, "  %s\n", q.Message)
	}
	return b.String()
}

// A child born 2021-03-10 entering kindergarten in 2026: her 4th
// birthday was 2025-03-10, so a dose counts from 2025-03-06.
var dtapInfant = []string{"DTaP 2021-05-10", "DTaP 2021-07-10", "DTaP 2021-09-10"}

func TestDTaP(t *testing.T) {
	runCases(t, []ruleCase{
		{name: "4 doses, the last 2 days before the 4th birthday: counts by the grace period",
			born: "2021-03-10", grade: "K", asOf: "2026-12-01",
			doses: append(dtapInfant[:3:3], "DTaP 2025-03-08"), want: "DTaP/Tdap/Td met"},
		{name: "4 doses, the last 5 days before the 4th birthday: does not",
			born: "2021-03-10", grade: "K", asOf: "2026-12-01",
			doses: append(dtapInfant[:3:3], "DTaP 2025-03-05"), want: "DTaP/Tdap/Td missing",
			says: "4 doses count (2021-05-10 to 2025-03-05), none on or after the 4th birthday"},
		{name: "the 4th dose after the 4th birthday",
			born: "2021-03-10", grade: "K", asOf: "2026-12-01",
			doses: append(dtapInfant[:3:3], "DTaP 2026-09-10"), want: "DTaP/Tdap/Td met"},
		{name: "pre-K: 4 doses at any age",
			born: "2022-03-10", grade: "PK", asOf: "2026-12-01",
			doses: []string{"DTaP 2022-05-10", "DTaP 2022-07-10", "DTaP 2022-09-10", "DTaP 2023-06-10"}, want: "DTaP/Tdap/Td met"},
		{name: "the 4th dose 10 days before the 4th birthday: the 5th waits 6 months (in process)",
			born: "2022-01-20", grade: "K", asOf: "2026-03-01",
			doses: []string{"DTaP 2022-03-20", "DTaP 2022-05-20", "DTaP 2022-07-20", "DTaP 2026-01-10"},
			want:  "DTaP/Tdap/Td in_process 2026-07-10", says: "the next dose can be given from 2026-07-10"},
		{name: "series started at 7 years: 3 Td/Tdap",
			born: "2015-02-01", grade: "6", asOf: "2026-12-01",
			doses: []string{"Tdap 2022-03-01", "Td 2022-04-01", "Td 2022-10-01"}, want: "DTaP/Tdap/Td met",
			says: "(2022-03-01, 2022-04-01, 2022-10-01)"},
		{name: "a dose the registry marks not valid does not count",
			born: "2021-03-10", grade: "K", asOf: "2026-12-01",
			doses: append(dtapInfant[:3:3], "DTaP 2025-03-20 invalid"), want: "DTaP/Tdap/Td missing",
			says: "2025-03-20 not valid in the registry"},
		{name: "a dose the registry marks valid counts, though early by the schedule",
			born: "2021-03-10", grade: "K", asOf: "2026-12-01",
			doses: []string{"DTaP 2021-05-10 valid", "DTaP 2021-05-20 valid", "DTaP 2021-09-10 valid", "DTaP 2025-03-20 valid"}, want: "DTaP/Tdap/Td met"},
	})
}

func TestTdapAndMenACWY(t *testing.T) {
	runCases(t, []ruleCase{
		{name: "Tdap at 6 years 11 months does not count for grade 7",
			born: "2014-01-15", grade: "7", asOf: "2026-12-01",
			doses: []string{"Tdap 2020-12-15"}, want: "Tdap missing",
			says: "Tdap: 1 dose of Tdap on or after the 7th birthday needed for grade 7; none that counts; not counted: 2020-12-15 before the 7th birthday"},
		{name: "Tdap at 7 years counts",
			born: "2014-01-15", grade: "7", asOf: "2026-12-01",
			doses: []string{"Tdap 2021-01-15"}, want: "Tdap met"},
		{name: "Tdap with none recorded",
			born: "2014-01-15", grade: "7", asOf: "2026-12-01",
			want: "Tdap missing", says: "Tdap: 1 dose of Tdap on or after the 7th birthday needed for grade 7; none recorded; the next dose can be given now"},
		{name: "Tdap is not asked in grade 6",
			born: "2015-01-15", grade: "6", asOf: "2026-12-01", want: "Tdap absent"},
		{name: "MenACWY for grade 7",
			born: "2014-01-15", grade: "7", asOf: "2026-12-01",
			doses: []string{"MenACWY 2025-02-01"}, want: "MenACWY met"},
		{name: "MenACWY missing in grade 12",
			born: "2009-01-15", grade: "12", asOf: "2026-12-01", want: "MenACWY missing"},
	})
}

func TestPolio(t *testing.T) {
	runCases(t, []ruleCase{
		{name: "pre-K: 3 doses",
			born: "2022-03-10", grade: "PK", asOf: "2026-12-01",
			doses: []string{"IPV 2022-05-10", "IPV 2022-07-10", "IPV 2023-03-10"}, want: "Polio met"},
		{name: "kindergarten: 3 doses before the 4th birthday are not enough",
			born: "2021-03-10", grade: "K", asOf: "2026-12-01",
			doses: []string{"IPV 2021-05-10", "IPV 2021-07-10", "IPV 2022-03-10"}, want: "Polio missing"},
		{name: "kindergarten: a 4th dose on the 4th birthday",
			born: "2021-03-10", grade: "K", asOf: "2026-12-01",
			doses: []string{"IPV 2021-05-10", "IPV 2021-07-10", "IPV 2022-03-10", "IPV 2025-03-10"}, want: "Polio met"},
		{name: "combination vaccines count per component (Pediarix, Kinrix)",
			born: "2021-03-10", grade: "K", asOf: "2026-12-01",
			doses: []string{"Pediarix 2021-05-10", "Pediarix 2021-07-10", "Pediarix 2021-09-10", "Kinrix 2025-03-10"}, want: "Polio met"},
	})
}

func TestMMR(t *testing.T) {
	runCases(t, []ruleCase{
		{name: "2 doses 28 days apart",
			born: "2020-06-01", grade: "K", asOf: "2026-12-01",
			doses: []string{"MMR 2021-06-01", "MMR 2021-06-29"}, want: "MMR met"},
		{name: "2 doses 27 days apart: the second does not count (28 days, no grace period)",
			born: "2020-06-01", grade: "K", asOf: "2026-12-01",
			doses: []string{"MMR 2021-06-01", "MMR 2021-06-28"}, want: "MMR missing",
			says: "2021-06-28 only 27 days after the previous dose"},
		{name: "a first dose before the 1st birthday does not count",
			born: "2020-06-01", grade: "K", asOf: "2026-12-01",
			doses: []string{"MMR 2021-05-20", "MMR 2021-07-01", "MMR 2024-06-01"}, want: "MMR met"},
		{name: "pre-K: 1 dose",
			born: "2022-06-01", grade: "PK", asOf: "2026-12-01",
			doses: []string{"MMR 2023-06-01"}, want: "MMR met"},
		{name: "a refused dose does not count",
			born: "2020-06-01", grade: "K", asOf: "2026-12-01",
			doses: []string{"MMR 2021-06-01", "MMR 2024-06-01 refused"}, want: "MMR missing",
			says: "2024-06-01 refused"},
		{name: "a dose not given does not count",
			born: "2020-06-01", grade: "K", asOf: "2026-12-01",
			doses: []string{"MMR 2021-06-01", "MMR 2024-06-01 not-given"}, want: "MMR missing",
			says: "2024-06-01 not given"},
		{name: "an MMRV counts for MMR",
			born: "2020-06-01", grade: "K", asOf: "2026-12-01",
			doses: []string{"MMRV 2021-06-01", "MMRV 2024-06-01"}, want: "MMR met"},
		{name: "the second dose waits 28 days: in process",
			born: "2020-06-01", grade: "K", asOf: "2026-12-01",
			doses: []string{"MMR 2021-06-01", "MMR 2026-11-20"}, want: "MMR met"},
		{name: "one dose, the second not yet possible: in process",
			born: "2020-06-01", grade: "K", asOf: "2026-12-01",
			doses: []string{"MMR 2026-11-20"}, want: "MMR in_process 2026-12-18"},
	})
}

func TestVaricella(t *testing.T) {
	runCases(t, []ruleCase{
		{name: "an MMRV counts for varicella",
			born: "2020-06-01", grade: "K", asOf: "2026-12-01",
			doses: []string{"MMRV 2021-06-01", "MMRV 2024-06-01"}, want: "Varicella met"},
		{name: "live-virus conflict: varicella 14 days after MMR does not count",
			born: "2020-06-01", grade: "K", asOf: "2026-12-01",
			doses: []string{"MMR 2021-06-01", "Varicella 2021-06-15", "Varicella 2024-06-01"}, want: "Varicella missing",
			says: "2021-06-15 within 28 days of another live vaccine"},
		{name: "live vaccines on the same day do not conflict",
			born: "2020-06-01", grade: "K", asOf: "2026-12-01",
			doses: []string{"MMR 2021-06-01", "Varicella 2021-06-01", "Varicella 2024-06-01"}, want: "Varicella met"},
		{name: "first dose at 13: the second 4 weeks later",
			born: "2012-05-01", grade: "8", asOf: "2026-12-01",
			doses: []string{"Varicella 2026-11-20"}, want: "Varicella in_process 2026-12-18",
			says: "2 doses at least 4 weeks apart (first dose at 13 years or older)"},
		{name: "first dose at 12: the second 3 months later",
			born: "2014-03-01", grade: "7", asOf: "2026-12-01",
			doses: []string{"Varicella 2026-11-20"}, want: "Varicella in_process 2027-02-20"},
		{name: "first dose at 13: 2 doses 4 weeks apart",
			born: "2012-05-01", grade: "8", asOf: "2026-12-01",
			doses: []string{"Varicella 2025-06-01", "Varicella 2025-06-29"}, want: "Varicella met"},
		{name: "first dose at 13: 2 doses 20 days apart",
			born: "2012-05-01", grade: "8", asOf: "2026-12-01",
			doses: []string{"Varicella 2025-06-01", "Varicella 2025-06-21"}, want: "Varicella missing"},
		{name: "pre-K: 1 dose",
			born: "2022-06-01", grade: "PK", asOf: "2026-12-01",
			doses: []string{"Varicella 2023-06-01"}, want: "Varicella met"},
	})
}

func TestHepB(t *testing.T) {
	runCases(t, []ruleCase{
		{name: "3 doses, the last at 24 weeks",
			born: "2020-06-01", grade: "K", asOf: "2026-12-01",
			doses: []string{"HepB 2020-06-01", "HepB 2020-08-01", "HepB 2020-11-16"}, want: "HepB met"},
		{name: "the last dose before 24 weeks of age does not count",
			born: "2020-06-01", grade: "K", asOf: "2026-12-01",
			doses: []string{"HepB 2020-06-01", "HepB 2020-08-01", "HepB 2020-10-01"}, want: "HepB missing",
			says: "2020-10-01 before the minimum age (24 weeks)"},
	})
}

func TestHibAndPneumococcal(t *testing.T) {
	runCases(t, []ruleCase{
		{name: "Hib for a 5-year-old in kindergarten: not required",
			born: "2021-06-01", grade: "K", asOf: "2026-12-01", want: "Hib absent"},
		{name: "Hib for a 4-year-old in kindergarten: 1 dose on or after the 1st birthday",
			born: "2022-02-01", grade: "K", asOf: "2026-12-01",
			doses: []string{"Hib 2022-04-01", "Hib 2022-06-01", "Hib 2023-02-01"}, want: "Hib met"},
		{name: "Hib: infant doses only",
			born: "2022-02-01", grade: "PK", asOf: "2026-12-01",
			doses: []string{"Hib 2022-04-01", "Hib 2022-06-01"}, want: "Hib missing",
			says: "not counted: 2022-04-01 before the 1st birthday, 2022-06-01 before the 1st birthday"},
		{name: "pneumococcal for a 4-year-old in pre-K",
			born: "2022-02-01", grade: "PK", asOf: "2026-12-01",
			doses: []string{"PCV13 2023-02-01"}, want: "Pneumococcal met"},
		{name: "pneumococcal: not asked in grade 1",
			born: "2020-02-01", grade: "1", asOf: "2026-12-01", want: "Pneumococcal absent"},
	})
}

func TestHepA(t *testing.T) {
	runCases(t, []ruleCase{
		{name: "born 31 December 2006: before the cohort",
			born: "2006-12-31", grade: "12", asOf: "2025-12-01", want: "HepA absent"},
		{name: "born 1 January 2007: in the cohort",
			born: "2007-01-01", grade: "12", asOf: "2025-12-01", want: "HepA missing"},
		{name: "2 doses 6 months apart",
			born: "2020-06-01", grade: "K", asOf: "2026-12-01",
			doses: []string{"HepA 2021-06-01", "HepA 2021-12-01"}, want: "HepA met"},
		{name: "one dose 2 months ago: in process until 6 months after it",
			born: "2020-06-01", grade: "K", asOf: "2026-12-01",
			doses: []string{"HepA 2026-10-01"}, want: "HepA in_process 2027-04-01"},
	})
}

func TestInfluenza(t *testing.T) {
	// A pre-K child born 2023-03-01, vaccinated last season.
	last := "Flu 2025-10-01"
	runCases(t, []ruleCase{
		{name: "given 31 December: counts",
			born: "2023-03-01", grade: "PK", asOf: "2027-01-15",
			doses: []string{last, "Flu 2026-12-31"}, want: "Influenza met"},
		{name: "given 2 January: after the window",
			born: "2023-03-01", grade: "PK", asOf: "2027-01-15",
			doses: []string{last, "Flu 2027-01-02"}, want: "Influenza missing",
			says: "2027-01-02 after 31 December 2026"},
		{name: "none yet in October: due by 31 December",
			born: "2023-03-01", grade: "PK", asOf: "2026-10-15",
			doses: []string{last}, want: "Influenza in_process 2026-10-15", says: "due by 31 December 2026"},
		{name: "first season: 2 doses 28 days apart",
			born: "2023-03-01", grade: "PK", asOf: "2027-01-15",
			doses: []string{"Flu 2026-09-01", "Flu 2026-09-29"}, want: "Influenza met"},
		{name: "first season: one dose is not enough",
			born: "2023-03-01", grade: "PK", asOf: "2027-01-15",
			doses: []string{"Flu 2026-09-01"}, want: "Influenza missing"},
		{name: "under 24 months: not asked",
			born: "2025-03-01", grade: "PK", asOf: "2026-12-01", want: "Influenza absent"},
		{name: "not asked in kindergarten",
			born: "2021-10-01", grade: "K", asOf: "2026-12-01", want: "Influenza absent"},
	})
}

func TestOverallStatus(t *testing.T) {
	// A kindergartner born 2021-03-10 with everything on schedule.
	full := []string{
		"HepB 2021-03-10", "HepB 2021-05-10", "HepB 2021-09-10",
		"DTaP 2021-05-10", "DTaP 2021-07-10", "DTaP 2021-09-10", "DTaP 2022-06-10", "DTaP 2025-03-10",
		"IPV 2021-05-10", "IPV 2021-07-10", "IPV 2021-09-10", "IPV 2025-03-10",
		"MMR 2022-03-10", "MMR 2025-03-10", "Varicella 2022-03-10", "Varicella 2025-03-10",
		"HepA 2022-03-10", "HepA 2022-09-10",
	}
	cases := []struct {
		name  string
		doses []string
		want  string
	}{
		{"everything", full, Compliant},
		{"the second HepA given last month", append(full[:16:16], "HepA 2026-11-01"), InProcess},
		{"no second HepA", full[:17], NotCompliant},
	}
	for _, c := range cases {
		res, err := Check(record(t, "2021-03-10", c.doses...), "K", day(t, "2026-12-01"))
		if err != nil {
			t.Fatal(err)
		}
		if res.Status != c.want {
			t.Errorf("%s: %s, want %s\n%s", c.name, res.Status, c.want, dump(res))
		}
	}
}

func TestDocuments(t *testing.T) {
	cases := []struct {
		born    string
		grade   Grade
		vaccine string
		want    []string
	}{
		{"2020-06-01", "K", "Varicella", []string{LabImmunity, VaricellaHistory, MedicalExemption, ReligiousExemption}},
		{"2020-06-01", "K", "MMR", []string{LabImmunity, MedicalExemption, ReligiousExemption}},
		{"2020-06-01", "K", "DTaP/Tdap/Td", []string{MedicalExemption, ReligiousExemption}},
		// Religious exemptions survive only for K-12 students with one on file in April 2021.
		{"2022-06-01", "PK", "MMR", []string{LabImmunity, MedicalExemption}},
	}
	for _, c := range cases {
		res, err := Check(record(t, c.born), c.grade, day(t, "2026-12-01"))
		if err != nil {
			t.Fatal(err)
		}
		_, q := summary(res, c.vaccine)
		if q == nil || !slices.Equal(q.Documents, c.want) {
			t.Errorf("%s in %s: documents %v, want %v", c.vaccine, c.grade, q, c.want)
		}
	}
	// A requirement that is met needs no document.
	res, err := Check(record(t, "2022-06-01", "MMR 2023-06-01"), "PK", day(t, "2026-12-01"))
	if err != nil {
		t.Fatal(err)
	}
	if _, q := summary(res, "MMR"); q == nil || len(q.Documents) != 0 {
		t.Errorf("MMR met: documents %v, want none", q)
	}
	if DocumentWords(LabImmunity) == "" || DocumentWords(ReligiousExemption) == "" {
		t.Error("a document key has no words")
	}
}

func TestRegistryForecastEarliest(t *testing.T) {
	// When the next dose is in process, the registry's later earliest date wins.
	r := record(t, "2020-06-01", "HepA 2026-10-01")
	r.Forecast = []hl7.Forecast{{Group: "HepA", Dose: "2", Earliest: "2027-05-01"}}
	res, err := Check(r, "K", day(t, "2026-12-01"))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := summary(res, "HepA"); got != "HepA in_process 2027-05-01" {
		t.Errorf("got %q, want the registry's earliest date 2027-05-01", got)
	}
	// A dose Connecticut needs now stays missing, though the registry
	// (following ACIP) offers the group's next dose only years later: four
	// DTaP before the 4th birthday, and the registry's adolescent Tdap at 10.
	r = record(t, "2019-06-20", "DTaP 2019-08-20", "DTaP 2019-10-20", "DTaP 2019-12-20", "DTaP 2020-09-20")
	r.Forecast = []hl7.Forecast{{Group: "DTaP/Tdap/Td", Dose: "5", Status: "on schedule", Earliest: "2029-06-20"}}
	if res, err = Check(r, "2", day(t, "2026-12-01")); err != nil {
		t.Fatal(err)
	}
	if got, _ := summary(res, "DTaP/Tdap/Td"); got != "DTaP/Tdap/Td missing" {
		t.Errorf("got %q, want missing: a Td/Tdap can be given now", got)
	}
}

func TestCheckErrors(t *testing.T) {
	asOf := day(t, "2026-12-01")
	if _, err := Check(record(t, "2020-06-01"), "13", asOf); err == nil || !strings.Contains(err.Error(), "grade \"13\"") {
		t.Errorf("grade 13: %v", err)
	}
	cands := &hl7.Response{Outcome: hl7.OutcomeCandidates, Patients: []hl7.Patient{{BirthDate: "2020-06-01"}, {BirthDate: "2020-06-01"}}}
	if _, err := Check(cands, "K", asOf); err == nil || !strings.Contains(err.Error(), "not one student's record") {
		t.Errorf("candidates: %v", err)
	}
	if _, err := Check(record(t, ""), "K", asOf); err == nil || !strings.Contains(err.Error(), "no usable birth date") {
		t.Errorf("no birth date: %v", err)
	}
}

// BenchmarkCheck65Doses checks the largest built-in record's size: 65
// doses, each evaluated by the registry, for grade 12.
func BenchmarkCheck65Doses(b *testing.B) {
	var lines []string
	start := day(b, "2008-03-01")
	names := []string{"HepB", "DTaP", "IPV", "Hib", "PCV13", "MMRV", "HepA", "Flu", "Tdap", "MenACWY"}
	for i := range 65 {
		d := start.AddDate(0, 0, 45*i).Format(time.DateOnly)
		flag := "valid"
		if i%4 == 0 {
			flag = "" // a quarter not evaluated: the check judges them
		}
		lines = append(lines, strings.TrimSpace(names[i%len(names)]+" "+d+" "+flag))
	}
	r := record(b, "2008-01-05", lines...)
	asOf := day(b, "2026-12-01")
	if len(r.Immunizations) != 65 {
		b.Fatalf("%d doses", len(r.Immunizations))
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Check(r, "12", asOf); err != nil {
			b.Fatal(err)
		}
	}
}

func TestNextDoseAfterLiveVaccine(t *testing.T) {
	// Varicella 10 days ago: the second MMR waits 28 days after it.
	res, err := Check(record(t, "2020-06-01", "MMR 2021-06-01", "Varicella 2021-06-01", "Varicella 2026-11-21"), "K", day(t, "2026-12-01"))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := summary(res, "MMR"); got != "MMR in_process 2026-12-19" {
		t.Errorf("got %q, want in process until 28 days after the varicella dose", got)
	}
}
