package forecast

import (
	"strings"
	"testing"
	"time"
)

// vaccines names the products the tests give, as a nurse reads them.
var vaccines = map[string]string{
	"HepB": "08", "Rotateq": "116", "Rotarix": "119", "DTaP": "20", "Pediarix": "110",
	"Hib": "48", "PCV13": "133", "IPV": "10", "MMR": "03", "MMRV": "94", "Varicella": "21",
	"HepA": "83", "Tdap": "115", "Td": "113", "MenACWY": "114", "HPV9": "165", "Flu": "150",
	"LAIV": "149",
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
// overdue ... latest ...".
func TestForecast(t *testing.T) {
	cases := []struct {
		name  string
		born  string
		doses []string
		today string
		want  string
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
			want:  "DTaP/Tdap/Td: on schedule dose 6 earliest 2025-01-10 due 2026-01-10 overdue 2028-01-10",
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
			name:  "Hib incomplete at 5 years: no longer recommended",
			born:  "2015-01-01",
			doses: []string{"Hib 2015-03-01"},
			today: "2021-01-01",
			want:  "Hib: too old",
		},
		{
			name:  "polio dose 3 at 4 years or later (6 months after dose 2): polio complete",
			born:  "2015-01-01",
			doses: []string{"IPV 2015-03-01", "IPV 2015-05-01", "IPV 2019-02-01"},
			today: "2021-01-01",
			want:  "Polio: complete",
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
			name:  "child of 5 never vaccinated against flu: two doses this season",
			born:  "2019-09-01",
			today: "2024-10-15",
			want:  "Influenza: due dose 1 earliest 2024-08-01 due 2024-08-01",
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
			if got := forecastFor(t, r, group).String(); got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
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
					if v.Valid {
						got = "valid dose " + string(rune('0'+v.Dose))
					} else {
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

func TestSpanFrom(t *testing.T) {
	cases := []struct {
		from string
		span Span
		want string
	}{
		{"2021-03-01", months(15), "2022-06-01"},
		{"2000-01-31", months(1), "2000-03-01"}, // 31 February does not exist: first of March
		{"2016-02-29", years(1), "2017-03-01"},
		{"2024-01-01", weeks(24), "2024-06-17"},
		{"2024-01-01", Span{Days: -4}, "2023-12-28"},
	}
	for _, c := range cases {
		if got := c.span.From(date(t, c.from)).Format(time.DateOnly); got != c.want {
			t.Errorf("%s + %s = %s, want %s", c.from, c.span, got, c.want)
		}
	}
}

func TestParseSpan(t *testing.T) {
	for in, want := range map[string]Span{"24 days": {Days: 24}, "1 day": {Days: 1}, "6 months - 4 days": {Months: 6, Days: -4}, "10 years": {Years: 10}} {
		got, err := parseSpan(in)
		if err != nil || got != want {
			t.Errorf("parseSpan(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := parseSpan("soon"); err == nil {
		t.Error("parseSpan(\"soon\") succeeded")
	}
}
