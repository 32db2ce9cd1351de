package forecast

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// vaccines names the products the tests give, as a nurse reads them.
var vaccines = map[string]string{
	"HepB": "08", "Rotateq": "116", "Rotarix": "119", "DTaP": "20", "Pediarix": "110",
	"Hib": "48", "PCV13": "133", "IPV": "10", "MMR": "03", "MMRV": "94", "Varicella": "21",
	"HepA": "83", "Tdap": "115", "Td": "113", "MenACWY": "114", "HPV9": "165", "Flu": "150",
	"LAIV": "149", "PCV20": "216", "Flu3": "140",
}

func date(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// doses reads lines such as "DTaP 2021-05-01" (and "MMR 2022-03-01 refused").
func doses(t *testing.T, lines ...string) []Dose {
	t.Helper()
	var out []Dose
	for _, l := range lines {
		f := strings.Fields(l)
		cvx, ok := vaccines[f[0]]
		if !ok {
			t.Fatalf("test vaccine %q unknown", f[0])
		}
		d := Dose{CVX: cvx, Date: date(t, f[1]), Status: "CP"}
		if len(f) > 2 && f[2] == "refused" {
			d.Status = "RE"
		}
		out = append(out, d)
	}
	return out
}

func forecastFor(t *testing.T, r Result, group string) Forecast {
	t.Helper()
	for _, f := range r.Forecasts {
		if f.Group == group {
			return f
		}
	}
	t.Fatalf("no forecast for %s", group)
	return Forecast{}
}

// TestForecast: for a child and their doses, as of a day, the forecast of
// one vaccine group, written as "group: status dose N earliest ... due ...
// overdue ... latest ...", and, when give is set, the vaccine offered.
func TestForecast(t *testing.T) {
	cases := []struct {
		name  string
		born  string
		doses []string
		today string
		want  string
		give  string
	}{
		{
			name:  "DTaP at 2, 4 and 6 months: dose 4 due at 15 months, earliest 12 months and 6 months after dose 3",
			born:  "2021-03-01",
			doses: []string{"DTaP 2021-05-01", "DTaP 2021-07-01", "DTaP 2021-09-01"},
			today: "2021-12-01",
			want:  "DTaP/Tdap/Td: on schedule dose 4 earliest 2022-03-01 due 2022-06-01 overdue 2022-10-01",
		},
		{
			name:  "DTaP dose 3 given late: dose 4 no earlier than 6 months after dose 3",
			born:  "2021-03-01",
			doses: []string{"DTaP 2021-05-01", "DTaP 2021-07-01", "DTaP 2021-12-15"},
			today: "2022-04-01",
			want:  "DTaP/Tdap/Td: on schedule dose 4 earliest 2022-06-15 due 2022-06-15 overdue 2022-10-01",
		},
		{
			name:  "DTaP dose 4 not given by 19 months: overdue",
			born:  "2021-03-01",
			doses: []string{"DTaP 2021-05-01", "DTaP 2021-07-01", "DTaP 2021-09-01"},
			today: "2022-11-01",
			want:  "DTaP/Tdap/Td: overdue dose 4 earliest 2022-03-01 due 2022-06-01 overdue 2022-10-01",
		},
		{
			name:  "DTaP dose 4 at 4 years or later: dose 5 not needed, adolescent Tdap next at 11",
			born:  "2015-01-10",
			doses: []string{"DTaP 2015-03-10", "DTaP 2015-05-10", "DTaP 2015-07-10", "DTaP 2019-02-01"},
			today: "2024-01-01",
			want:  "DTaP/Tdap/Td: on schedule dose 5 earliest 2025-01-10 due 2026-01-10 overdue 2028-01-10",
			give:  "Tdap",
		},
		{
			name:  "6-year-old with four DTaP, the last before 4 years: the 4-6 year dose is due",
			born:  "2020-06-20",
			doses: []string{"DTaP 2020-08-20", "DTaP 2020-10-20", "DTaP 2020-12-20", "DTaP 2021-09-20"},
			today: "2026-06-01",
			want:  "DTaP/Tdap/Td: due dose 5 earliest 2024-06-20 due 2024-06-20 overdue 2027-06-20",
			give:  "DTaP",
		},
		{
			name:  "7-year-old with four DTaP, the first before 1 year: no 4-6 year dose after 7 (ACIP catch-up), Tdap at 11",
			born:  "2019-06-20",
			doses: []string{"DTaP 2019-08-20", "DTaP 2019-10-20", "DTaP 2019-12-20", "DTaP 2020-09-20"},
			today: "2026-11-25",
			want:  "DTaP/Tdap/Td: on schedule dose 5 earliest 2029-06-20 due 2030-06-20 overdue 2032-06-20",
			give:  "Tdap",
		},
		{
			name:  "7-year-old whose first DTaP was at 2 years: three doses are enough, Tdap at 11",
			born:  "2018-01-01",
			doses: []string{"DTaP 2020-01-01", "DTaP 2020-02-01", "DTaP 2020-08-01"},
			today: "2025-03-01",
			want:  "DTaP/Tdap/Td: on schedule dose 4 earliest 2028-01-01 due 2029-01-01 overdue 2031-01-01",
		},
		{
			name:  "8-year-old with two infant DTaP: catch-up dose 3 overdue, with Tdap (no DTaP from 7 years)",
			born:  "2018-01-01",
			doses: []string{"DTaP 2018-03-01", "DTaP 2018-05-01"},
			today: "2026-03-01",
			want:  "DTaP/Tdap/Td: overdue dose 3 earliest 2018-05-29 due 2018-07-01 overdue 2018-08-01",
			give:  "Tdap",
		},
		{
			name:  "two MMR after the first birthday, 28 days or more apart: complete",
			born:  "2018-06-15",
			doses: []string{"MMR 2019-06-15", "MMR 2019-07-13"},
			today: "2025-01-01",
			want:  "MMR: complete",
		},
		{
			name:  "one MMR at 12 months: dose 2 due at 4 years",
			born:  "2020-02-14",
			doses: []string{"MMR 2021-02-14"},
			today: "2023-01-01",
			want:  "MMR: on schedule dose 2 earliest 2021-03-14 due 2024-02-14 overdue 2027-02-14",
		},
		{
			name:  "MMR 5 days before the first birthday does not count: dose 1 still needed",
			born:  "2020-02-14",
			doses: []string{"MMR 2021-02-09"},
			today: "2021-03-01",
			want:  "MMR: due dose 1 earliest 2021-02-14 due 2021-02-14 overdue 2021-06-14",
		},
		{
			name:  "no HepB at all: dose 1 overdue from 1 month",
			born:  "2024-01-01",
			today: "2024-03-01",
			want:  "HepB: overdue dose 1 earliest 2024-01-01 due 2024-01-01 overdue 2024-02-01",
		},
		{
			name:  "HepB dose 3: 8 weeks after dose 2, 16 weeks after dose 1, not before 24 weeks",
			born:  "2024-01-01",
			doses: []string{"HepB 2024-01-01", "HepB 2024-02-01"},
			today: "2024-04-01",
			want:  "HepB: on schedule dose 3 earliest 2024-06-17 due 2024-07-01 overdue 2025-08-01",
		},
		{
			name:  "no rotavirus by 15 weeks: too old to start",
			born:  "2024-01-01",
			today: "2024-05-01",
			want:  "Rotavirus: too old",
		},
		{
			name:  "two Rotarix doses complete rotavirus",
			born:  "2024-01-01",
			doses: []string{"Rotarix 2024-03-01", "Rotarix 2024-05-01"},
			today: "2024-06-01",
			want:  "Rotavirus: complete",
		},
		{
			name:  "first Hib at 15 months or later: one dose completes the series",
			born:  "2020-01-01",
			doses: []string{"Hib 2021-05-01"},
			today: "2022-01-01",
			want:  "Hib: complete",
		},
		{
			name:  "first Hib at 13 months: one more dose, 8 weeks later, completes the series",
			born:  "2020-01-01",
			doses: []string{"Hib 2021-02-01"},
			today: "2021-03-01",
			want:  "Hib: on schedule dose 2 earliest 2021-03-29 due 2021-03-29 overdue 2021-05-01 latest 2024-12-31",
		},
		{
			name:  "Hib at 2 and 4 months, now 13 months: the next dose is the final one (12 months and 8 weeks)",
			born:  "2020-01-01",
			doses: []string{"Hib 2020-03-01", "Hib 2020-05-01"},
			today: "2021-02-01",
			want:  "Hib: due dose 3 earliest 2021-01-01 due 2021-01-01 overdue 2021-05-01 latest 2024-12-31",
		},
		{
			name:  "first Hib at 8 months, second 4 weeks later: a final dose at 12 months (3 doses in all)",
			born:  "2020-01-01",
			doses: []string{"Hib 2020-09-01", "Hib 2020-10-01"},
			today: "2020-11-01",
			want:  "Hib: on schedule dose 3 earliest 2021-01-01 due 2021-01-01 overdue 2021-05-01 latest 2024-12-31",
		},
		{
			name:  "Hib at 2, 4 and 12 months: complete",
			born:  "2020-01-01",
			doses: []string{"Hib 2020-03-01", "Hib 2020-05-01", "Hib 2021-01-05"},
			today: "2021-06-01",
			want:  "Hib: complete",
		},
		{
			name:  "Hib at 2, 4 and 6 months: the 12-15 month dose",
			born:  "2020-01-01",
			doses: []string{"Hib 2020-03-01", "Hib 2020-05-01", "Hib 2020-07-01"},
			today: "2020-12-01",
			want:  "Hib: on schedule dose 4 earliest 2021-01-01 due 2021-01-01 overdue 2021-05-01 latest 2024-12-31",
		},
		{
			name:  "first pneumococcal at 18 months: one more dose 8 weeks later",
			born:  "2020-01-01",
			doses: []string{"PCV13 2021-07-01"},
			today: "2021-08-01",
			want:  "Pneumococcal: on schedule dose 2 earliest 2021-08-26 due 2021-08-26 overdue 2021-08-26 latest 2024-12-31",
			give:  "PCV20",
		},
		{
			name:  "first pneumococcal at 2 years: one dose is enough for a healthy child",
			born:  "2020-01-01",
			doses: []string{"PCV13 2022-02-01"},
			today: "2022-06-01",
			want:  "Pneumococcal: complete",
		},
		{
			name:  "Hib incomplete at 5 years: no longer recommended",
			born:  "2015-01-01",
			doses: []string{"Hib 2015-03-01"},
			today: "2021-01-01",
			want:  "Hib: too old",
		},
		{
			name:  "polio dose 3 at 4 years but only 4 weeks after dose 2: dose 4 still needed, 6 months after dose 3",
			born:  "2015-01-01",
			doses: []string{"IPV 2015-03-01", "IPV 2019-01-10", "IPV 2019-02-07"},
			today: "2019-06-01",
			want:  "Polio: on schedule dose 4 earliest 2019-08-07 due 2019-08-07 overdue 2022-01-01",
		},
		{
			name:  "polio dose 3 at 4 years or later (6 months after dose 2): polio complete",
			born:  "2015-01-01",
			doses: []string{"IPV 2015-03-01", "IPV 2015-05-01", "IPV 2019-02-01"},
			today: "2021-01-01",
			want:  "Polio: complete",
		},
		{
			name:  "one varicella at 12 months: dose 2 earliest 3 months later (under 13), due at 4 years",
			born:  "2020-02-14",
			doses: []string{"Varicella 2021-02-14"},
			today: "2023-01-01",
			want:  "Varicella: on schedule dose 2 earliest 2021-05-14 due 2024-02-14 overdue 2027-02-14",
		},
		{
			name:  "first varicella at 14 years: dose 2 four weeks later",
			born:  "2010-01-01",
			doses: []string{"Varicella 2024-03-01"},
			today: "2024-03-10",
			want:  "Varicella: on schedule dose 2 earliest 2024-03-29 due 2024-03-29 overdue 2024-03-29",
		},
		{
			name:  "two RotaTeq doses: the third is needed before 8 months",
			born:  "2024-01-01",
			doses: []string{"Rotateq 2024-03-01", "Rotateq 2024-05-01"},
			today: "2024-06-01",
			want:  "Rotavirus: on schedule dose 3 earliest 2024-05-29 due 2024-07-01 overdue 2024-08-01 latest 2024-08-31",
		},
		{
			name:  "HepA dose 2 six months after dose 1",
			born:  "2022-01-01",
			doses: []string{"HepA 2023-01-05"},
			today: "2023-03-01",
			want:  "HepA: on schedule dose 2 earliest 2023-07-05 due 2023-07-05 overdue 2024-07-05",
		},
		{
			name:  "HPV started at 11: second dose 6 months later, then complete",
			born:  "2012-03-01",
			doses: []string{"HPV9 2023-04-01", "HPV9 2023-10-01"},
			today: "2024-01-01",
			want:  "HPV: complete",
		},
		{
			name:  "HPV started at 11: dose 2 earliest 5 months, due 6 months after dose 1",
			born:  "2012-03-01",
			doses: []string{"HPV9 2023-04-01"},
			today: "2023-06-01",
			want:  "HPV: on schedule dose 2 earliest 2023-09-01 due 2023-10-01 overdue 2024-04-01 latest 2039-02-28",
		},
		{
			name:  "MenACWY at 11: booster due at 16",
			born:  "2010-05-01",
			doses: []string{"MenACWY 2021-06-01"},
			today: "2025-01-01",
			want:  "Meningococcal: on schedule dose 2 earliest 2026-05-01 due 2026-05-01 overdue 2029-05-01",
		},
		{
			name:  "MenACWY first at 16: no booster",
			born:  "2008-01-01",
			doses: []string{"MenACWY 2024-03-01"},
			today: "2025-01-01",
			want:  "Meningococcal: complete",
		},
		{
			name:  "HPV started at 15: three doses, the third 12 weeks after dose 2 and 5 months after dose 1",
			born:  "2009-01-01",
			doses: []string{"HPV9 2024-02-01", "HPV9 2024-03-15"},
			today: "2024-04-01",
			want:  "HPV: on schedule dose 3 earliest 2024-07-01 due 2024-07-15 overdue 2024-08-15 latest 2035-12-31",
		},
		{
			name:  "HPV started at 11, second dose only 2 months later: a third dose is needed",
			born:  "2012-03-01",
			doses: []string{"HPV9 2023-04-01", "HPV9 2023-06-01"},
			today: "2023-07-01",
			want:  "HPV: on schedule dose 3 earliest 2023-09-01 due 2023-10-01 overdue 2023-11-01 latest 2039-02-28",
		},
		{
			name:  "under 9 with a first-ever flu dose this season: dose 2 four weeks later",
			born:  "2020-01-01",
			doses: []string{"Flu 2024-10-01"},
			today: "2024-10-15",
			want:  "Influenza: on schedule dose 2 earliest 2024-10-29 due 2024-10-29",
			give:  "Flu3",
		},
		{
			name:  "in July, between seasons, after a missed season: the next season's dose from 1 August",
			born:  "2012-09-01",
			doses: []string{"Flu 2021-10-01", "Flu 2022-10-01"},
			today: "2024-07-15",
			want:  "Influenza: on schedule dose 1 earliest 2024-08-01 due 2024-08-01",
		},
		{
			name:  "11-year-old with three infant DTaP: a Tdap now is dose 4 and the adolescent dose too (complete)",
			born:  "2013-01-01",
			doses: []string{"DTaP 2013-03-01", "DTaP 2013-05-01", "DTaP 2013-07-01", "Tdap 2024-02-01"},
			today: "2024-06-01",
			want:  "DTaP/Tdap/Td: complete",
		},
		{
			name:  "8-year-old who had a catch-up Tdap at 7: the adolescent Tdap is still due at 11",
			born:  "2016-01-01",
			doses: []string{"DTaP 2016-03-01", "DTaP 2016-05-01", "DTaP 2016-07-01", "Tdap 2023-03-01"},
			today: "2024-06-01",
			want:  "DTaP/Tdap/Td: on schedule dose 5 earliest 2026-01-01 due 2027-01-01 overdue 2029-01-01",
		},
		{
			name:  "first-ever flu dose at 8, turning 9 before dose 2: the second dose is still due",
			born:  "2015-11-01",
			doses: []string{"Flu 2024-10-01"},
			today: "2024-11-15",
			want:  "Influenza: due dose 2 earliest 2024-10-29 due 2024-10-29",
		},
		{
			name:  "child of 5 never vaccinated against flu: two doses this season",
			born:  "2019-09-01",
			today: "2024-10-15",
			want:  "Influenza: due dose 1 earliest 2024-08-01 due 2024-08-01",
		},
		{
			name:  "under 9, first-ever flu doses in July and August: one season, both doses given",
			born:  "2018-01-01",
			doses: []string{"Flu 2024-07-10", "Flu 2024-08-15"},
			today: "2024-09-01",
			want:  "Influenza: on schedule dose 1 earliest 2025-08-01 due 2025-08-01",
		},
		{
			name:  "under 9, first-ever flu dose in July: dose 2 of the coming season four weeks later",
			born:  "2018-01-01",
			doses: []string{"Flu 2024-07-10"},
			today: "2024-07-20",
			want:  "Influenza: on schedule dose 2 earliest 2024-08-07 due 2024-08-07",
		},
		{
			name:  "flu given this season to a child with earlier doses: next season",
			born:  "2012-09-01",
			doses: []string{"Flu 2022-10-01", "Flu 2023-10-01", "Flu 2024-09-20"},
			today: "2024-12-01",
			want:  "Influenza: on schedule dose 1 earliest 2025-08-01 due 2025-08-01",
		},
		{
			name:  "a refused dose is not a dose",
			born:  "2020-02-14",
			doses: []string{"MMR 2021-02-14", "MMR 2024-03-01 refused"},
			today: "2024-06-01",
			want:  "MMR: due dose 2 earliest 2021-03-14 due 2024-02-14 overdue 2027-02-14",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := Evaluate(date(t, c.born), doses(t, c.doses...), date(t, c.today))
			if err != nil {
				t.Fatal(err)
			}
			group, _, _ := strings.Cut(c.want, ":")
			f := forecastFor(t, r, group)
			if got := f.String(); got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
			if c.give != "" && f.Recommend != vaccines[c.give] {
				t.Errorf("offers CVX %s, want %s (%s)", f.Recommend, vaccines[c.give], c.give)
			}
		})
	}
}

// TestEvaluateDoses: each dose's verdict for one vaccine group: "valid
// dose N" or "not valid: reason".
func TestEvaluateDoses(t *testing.T) {
	cases := []struct {
		name  string
		born  string
		doses []string
		group string
		want  []string // one per dose
	}{
		{
			name:  "MMR 5 days before the first birthday (beyond the 4-day grace) is not valid",
			born:  "2020-02-14",
			doses: []string{"MMR 2021-02-09", "MMR 2021-03-15"},
			group: "MMR",
			want:  []string{"not valid: Too young", "valid dose 1"},
		},
		{
			name:  "MMR 4 days before the first birthday counts (grace period)",
			born:  "2020-02-14",
			doses: []string{"MMR 2021-02-10"},
			group: "MMR",
			want:  []string{"valid dose 1"},
		},
		{
			name:  "second MMR 20 days after the first: too soon",
			born:  "2018-01-15",
			doses: []string{"MMR 2019-06-15", "MMR 2019-07-05", "MMR 2019-08-01"},
			group: "MMR",
			want:  []string{"valid dose 1", "not valid: Too soon", "valid dose 2"},
		},
		{
			name:  "varicella 10 days after MMR (live-virus conflict): not valid",
			born:  "2018-06-15",
			doses: []string{"MMR 2019-06-15", "Varicella 2019-06-25"},
			group: "Varicella",
			want:  []string{"", "not valid: Live vaccine"},
		},
		{
			name:  "MMRV counts for MMR and varicella",
			born:  "2018-06-15",
			doses: []string{"MMRV 2019-06-15"},
			group: "Varicella",
			want:  []string{"valid dose 1"},
		},
		{
			name:  "DTaP dose 2 three weeks after dose 1: too soon",
			born:  "2021-03-01",
			doses: []string{"DTaP 2021-04-15", "DTaP 2021-05-06", "DTaP 2021-06-15"},
			group: "DTaP/Tdap/Td",
			want:  []string{"valid dose 1", "not valid: Too soon", "valid dose 2"},
		},
		{
			name:  "DTaP at 8 years is not valid; Tdap at 11 is the adolescent dose",
			born:  "2010-01-01",
			doses: []string{"DTaP 2010-03-01", "DTaP 2010-05-01", "DTaP 2010-07-01", "DTaP 2011-04-01", "DTaP 2014-02-01", "DTaP 2018-02-01", "Tdap 2021-02-01"},
			group: "DTaP/Tdap/Td",
			want:  []string{"valid dose 1", "valid dose 2", "valid dose 3", "valid dose 4", "valid dose 5", "not valid: DTaP given on or after the 7th birthday", "valid dose 6"},
		},
		{
			name:  "DTaP dose 2 exactly 24 days after dose 1 counts (4 weeks less the 4-day grace); 23 days does not",
			born:  "2021-03-01",
			doses: []string{"DTaP 2021-04-15", "DTaP 2021-05-09", "DTaP 2021-06-01", "DTaP 2021-06-24"},
			group: "DTaP/Tdap/Td",
			want:  []string{"valid dose 1", "valid dose 2", "not valid: Too soon", "valid dose 3"},
		},
		{
			name:  "HepB dose 3 at 20 weeks is too young (24 weeks); at 24 weeks but 15 weeks after dose 1, too soon (16 weeks)",
			born:  "2024-01-01",
			doses: []string{"HepB 2024-03-01", "HepB 2024-04-01", "HepB 2024-05-20", "HepB 2024-06-14", "HepB 2024-06-21"},
			group: "HepB",
			want:  []string{"valid dose 1", "valid dose 2", "not valid: Too young", "not valid: Too soon", "valid dose 3"},
		},
		{
			name:  "varicella 28 days after MMR counts",
			born:  "2018-06-15",
			doses: []string{"MMR 2019-06-15", "Varicella 2019-07-13"},
			group: "Varicella",
			want:  []string{"", "valid dose 1"},
		},
		{
			name:  "varicella 27 days after MMR does not count: no grace period between two different live vaccines (CDSi)",
			born:  "2018-06-15",
			doses: []string{"MMR 2019-06-15", "Varicella 2019-07-12"},
			group: "Varicella",
			want:  []string{"", "not valid: Live vaccine"},
		},
		{
			name:  "a second MMR 24 days after the first counts (same vaccine: the 4-day grace applies)",
			born:  "2018-01-15",
			doses: []string{"MMR 2019-06-15", "MMR 2019-07-09"},
			group: "MMR",
			want:  []string{"valid dose 1", "valid dose 2"},
		},
		{
			name:  "varicella dose 2 four weeks after dose 1 at 2 years still counts (3 months is only recommended)",
			born:  "2018-06-15",
			doses: []string{"Varicella 2020-06-15", "Varicella 2020-07-13"},
			group: "Varicella",
			want:  []string{"valid dose 1", "valid dose 2"},
		},
		{
			name:  "DTaP dose 4 at 12 months, 4 months after dose 3: need not be repeated (6 months is only recommended)",
			born:  "2021-03-01",
			doses: []string{"DTaP 2021-05-01", "DTaP 2021-07-01", "DTaP 2021-11-01", "DTaP 2022-03-01"},
			group: "DTaP/Tdap/Td",
			want:  []string{"valid dose 1", "valid dose 2", "valid dose 3", "valid dose 4"},
		},
		{
			name:  "DTaP dose 4 three months after dose 3: too soon",
			born:  "2021-03-01",
			doses: []string{"DTaP 2021-05-01", "DTaP 2021-07-01", "DTaP 2021-12-01", "DTaP 2022-03-01"},
			group: "DTaP/Tdap/Td",
			want:  []string{"valid dose 1", "valid dose 2", "valid dose 3", "not valid: Too soon"},
		},
		{
			name:  "Td before the 7th birthday does not count",
			born:  "2015-01-01",
			doses: []string{"DTaP 2015-03-01", "Td 2018-01-01"},
			group: "DTaP/Tdap/Td",
			want:  []string{"valid dose 1", "not valid: Td/Tdap given before the 7th birthday"},
		},
		{
			name:  "Tdap at 11 after four DTaP, the last at 4 years: the adolescent dose, numbered 5",
			born:  "2010-01-01",
			doses: []string{"DTaP 2010-03-01", "DTaP 2010-05-01", "DTaP 2010-07-01", "DTaP 2014-01-05", "Tdap 2021-02-01"},
			group: "DTaP/Tdap/Td",
			want:  []string{"valid dose 1", "valid dose 2", "valid dose 3", "valid dose 4", "valid dose 5"},
		},
		{
			name:  "Hib at 2, 4 and 12 months: the 12-month dose is dose 3 and the last",
			born:  "2020-01-01",
			doses: []string{"Hib 2020-03-01", "Hib 2020-05-01", "Hib 2021-01-05", "Hib 2021-04-01"},
			group: "Hib",
			want:  []string{"valid dose 1", "valid dose 2", "valid dose 3", "valid: Extra dose"},
		},
		{
			name:  "rotavirus first given at 16 weeks: past the maximum age of 15 weeks for dose 1, not counted",
			born:  "2024-01-01",
			doses: []string{"Rotateq 2024-04-22"},
			group: "Rotavirus",
			want:  []string{"not valid: Too old"},
		},
		{
			name:  "nasal influenza (LAIV) at 18 months does not count (from 2 years)",
			born:  "2022-01-01",
			doses: []string{"LAIV 2023-07-01", "Flu 2023-10-01"},
			group: "Influenza",
			want:  []string{"not valid: Too young: the nasal", "valid dose 1"},
		},
		{
			name:  "LAIV 10 days after MMR does not count (live-virus conflict)",
			born:  "2018-01-01",
			doses: []string{"MMR 2023-10-01", "LAIV 2023-10-11"},
			group: "Influenza",
			want:  []string{"", "not valid: Live vaccine"},
		},
		{
			name:  "influenza before 6 months does not count",
			born:  "2024-01-01",
			doses: []string{"Flu 2024-06-20", "Flu 2024-07-20"},
			group: "Influenza",
			want:  []string{"not valid: Too young", "valid dose 1"},
		},
		{
			name:  "two flu doses in one season, the first in July (the coming season's): doses 1 and 2",
			born:  "2018-01-01",
			doses: []string{"Flu 2023-07-10", "Flu 2023-08-15"},
			group: "Influenza",
			want:  []string{"valid dose 1", "valid dose 2"},
		},
		{
			name:  "Pediarix counts for DTaP, HepB and polio",
			born:  "2021-03-01",
			doses: []string{"Pediarix 2021-05-01"},
			group: "Polio",
			want:  []string{"valid dose 1"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ds := doses(t, c.doses...)
			r, err := Evaluate(date(t, c.born), ds, date(t, "2026-01-01"))
			if err != nil {
				t.Fatal(err)
			}
			for i, want := range c.want {
				got := ""
				for _, v := range r.Verdicts[i] {
					if v.Group != c.group {
						continue
					}
					switch {
					case v.Valid && v.Dose == 0:
						got = "valid: " + v.Reason
					case v.Valid:
						got = "valid dose " + strconv.Itoa(v.Dose)
					default:
						got = "not valid: " + v.Reason
					}
				}
				if !strings.HasPrefix(got, want) || (want == "" && got != "") {
					t.Errorf("dose %d (%s): got %q, want %q", i+1, c.doses[i], got, want)
				}
			}
		})
	}
}
