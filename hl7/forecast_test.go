package hl7

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// viewText writes a view compactly: one "group status due [then dates]"
// per row, then the done groups and the adult entries.
func viewText(v ForecastView) string {
	var lines []string
	for _, r := range v.Rows {
		l := r.Group + " " + r.Next.Status + " " + r.Next.Due
		for _, f := range r.Then {
			l += " then " + cmpOr(f.Due, f.Status)
		}
		lines = append(lines, l)
	}
	for _, d := range v.Done {
		lines = append(lines, d.Status+": "+strings.Join(d.Groups, ", "))
	}
	for _, a := range v.Adult {
		lines = append(lines, fmt.Sprintf("adult: %s at %d", a.Group, a.Age))
	}
	return strings.Join(lines, "\n")
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// The real CT WiZ reply: 18 entries become one row per vaccine group, the
// most urgent entry first and the projected later dose as "then"; the
// complete and too-old groups gather; Zoster at 50 and the pneumococcal
// dose at 65 are left out for a girl born in 2014.
func TestViewForecastCTWiZ(t *testing.T) {
	r := decodeSample(t, "rsp_z42_ct_wiz_webiz.hl7")
	want := strings.Join([]string{
		"DTaP/Tdap/Td overdue 2014-10-15 then 2018-09-24",
		"HepA overdue 2015-08-15 then 2019-02-27",
		"HepB overdue 2014-08-15 then 2018-09-24",
		"Hib overdue 2014-10-15",
		"Pneumococcal overdue 2014-10-15",
		"Polio overdue 2014-10-15 then 2018-09-24",
		"HPV on schedule 2025-08-15",
		"Influenza on schedule 2018-09-23",
		"Meningococcal on schedule 2025-08-15",
		"complete: MMR, Varicella",
		"too old: Rotavirus",
		"adult: Zoster at 50",
		"adult: Pneumococcal at 65",
	}, "\n")
	if got := viewText(ViewForecast(r.Forecast, r.Patients[0].BirthDate)); got != want {
		t.Errorf("view\n%s\nwant\n%s", got, want)
	}
	// The JSON's order and adultOnly say the same, entry by entry.
	v := ViewForecast(r.Forecast, r.Patients[0].BirthDate)
	shown := 0
	for _, row := range v.Rows {
		shown += 1 + len(row.Then)
		if row.Next.Order != 1 {
			t.Errorf("%s: the row's entry has order %d", row.Group, row.Next.Order)
		}
		for i, f := range row.Then {
			if f.Order != i+2 {
				t.Errorf("%s: then entry %d has order %d", row.Group, i, f.Order)
			}
		}
	}
	for _, a := range v.Adult {
		if !a.Entry.AdultOnly || a.Entry.Order != 0 {
			t.Errorf("%s: adult entry with order %d, adultOnly %v", a.Group, a.Entry.Order, a.Entry.AdultOnly)
		}
	}
	if shown+3+len(v.Adult) != len(r.Forecast) {
		t.Errorf("%d entries shown, 3 done, %d adult; the reply has %d", shown, len(v.Adult), len(r.Forecast))
	}
}

func TestViewForecast(t *testing.T) {
	const born = "2015-03-01"
	cases := []struct {
		name  string
		birth string
		fc    []Forecast
		want  string
	}{
		{"the most urgent entry leads whatever the order sent, later ones by date", born, []Forecast{
			{Group: "HepB", Status: StatusOnSchedule, Due: "2027-01-01"},
			{Group: "HepB", Status: StatusOnSchedule, Due: "2026-01-01"},
			{Group: "HepB", Status: StatusOverdue, Due: "2020-01-01"},
		}, "HepB overdue 2020-01-01 then 2026-01-01 then 2027-01-01"},
		{"groups by urgency, then name; a registry's own word between upcoming and not recommended", born, []Forecast{
			{Group: "Varicella", Status: StatusNotRecommended},
			{Group: "Polio", Status: "incomplete", Due: "2026-01-01"},
			{Group: "MMR", Status: StatusOnSchedule, Due: "2026-01-01"},
			{Group: "Hib", Status: StatusContraindicated},
			{Group: "HepA", Status: StatusDue, Due: "2025-01-01"},
			{Group: "DTaP/Tdap/Td", Status: StatusOverdue, Due: "2024-01-01"},
		}, "DTaP/Tdap/Td overdue 2024-01-01\nHepA due 2025-01-01\nMMR on schedule 2026-01-01\nPolio incomplete 2026-01-01\nHib contraindicated \nVaricella not recommended "},
		{"group names match regardless of case; the registry's name is kept", born, []Forecast{
			{Group: "JAPANESE ENCEPHALITIS", Status: StatusOnSchedule, Due: "2030-01-01"},
			{Group: "Japanese Encephalitis", Status: StatusOnSchedule, Due: "2031-01-01"},
		}, "JAPANESE ENCEPHALITIS on schedule 2030-01-01 then 2031-01-01"},
		{"an entry with no group takes the CDC group of its CVX", born, []Forecast{
			{CVX: "03", Status: StatusOnSchedule, Due: "2030-01-01"},
		}, "MMR on schedule 2030-01-01"},
		{"done statuses gather in their order; a done group with a later entry stays a row", born, []Forecast{
			{Group: "Rotavirus", Status: StatusTooOld},
			{Group: "MMR", Status: StatusComplete},
			{Group: "Varicella", Status: StatusImmune},
			{Group: "HepB", Status: StatusComplete},
			{Group: "Influenza", Status: StatusComplete},
			{Group: "Influenza", Status: StatusOnSchedule, Due: "2026-09-01"},
		}, "Influenza on schedule 2026-09-01 then complete\ncomplete: HepB, MMR\nimmune: Varicella\ntoo old: Rotavirus"},
		{"adult entries: from 19 on; one due or overdue is shown; before 19 is a student's", born, []Forecast{
			{Group: "Zoster", Status: StatusOnSchedule, Earliest: "2065-03-01", Due: "2065-03-01"},
			{Group: "DTaP/Tdap/Td", Status: StatusOnSchedule, Earliest: "2034-03-01"},
			{Group: "Meningococcal", Status: StatusOnSchedule, Earliest: "2034-02-28", Due: "2034-02-28"},
			{Group: "HPV", Status: StatusOverdue, Earliest: "2040-01-01", Due: "2040-01-01"},
		}, "HPV overdue 2040-01-01\nMeningococcal on schedule 2034-02-28\nadult: Zoster at 50\nadult: DTaP/Tdap/Td at 19"},
		{"without a birth date nothing is taken for adult", "", []Forecast{
			{Group: "Zoster", Status: StatusOnSchedule, Due: "2065-03-01"},
		}, "Zoster on schedule 2065-03-01"},
		{"no forecast", born, nil, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sent := mustJSON(t, c.fc)
			if got := viewText(ViewForecast(c.fc, c.birth)); got != c.want {
				t.Errorf("view\n%s\nwant\n%s", got, c.want)
			}
			if mustJSON(t, c.fc) != sent {
				t.Error("ViewForecast changed the entries")
			}
		})
	}
}

func TestUrgencyOrder(t *testing.T) {
	order := []string{StatusOverdue, StatusDue, StatusOnSchedule, "queued", StatusContraindicated, StatusNotRecommended, StatusTooOld, StatusImmune, StatusComplete}
	for i := 1; i < len(order); i++ {
		if Urgency(order[i-1]) >= Urgency(order[i]) {
			t.Errorf("%q is not more urgent than %q", order[i-1], order[i])
		}
	}
}

// dateKey and addYears replace time.Parse and AddDate in decoding: they
// must agree with them on every day of years around century and leap
// rules, and refuse what Parse refuses.
func TestDateKeyAgreesWithTime(t *testing.T) {
	for _, year := range []int{0, 1899, 1900, 1999, 2000, 2014, 2016, 2023, 2024, 2081, 2100, 9980} {
		for day := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC); day.Year() == year; day = day.AddDate(0, 0, 1) {
			iso := day.Format(time.DateOnly)
			key, ok := dateKey(iso)
			if want := day.Year()*10000 + int(day.Month())*100 + day.Day(); !ok || key != want {
				t.Fatalf("dateKey(%q) = %d, %v; want %d", iso, key, ok, want)
			}
			adult := day.AddDate(AdultAge, 0, 0)
			if got, want := addYears(key, AdultAge), adult.Year()*10000+int(adult.Month())*100+adult.Day(); got != want {
				t.Fatalf("addYears(%q) = %d, want %d", iso, got, want)
			}
		}
	}
	for _, v := range []string{
		"", "2014-08-1", "20140815", "2014-08-15x", "2014-08-15 ", " 2014-08-15", "+014-08-15", "-014-08-15",
		"2014/08/15", "2014-0a-15", "2014-13-01", "2014-00-10", "2014-08-00", "2014-08-32", "2014-04-31",
		"2014-02-29", "1900-02-29", "2100-02-29", "2014-8-015",
	} {
		_, err := time.Parse(time.DateOnly, v)
		if _, ok := dateKey(v); ok != (err == nil) {
			t.Errorf("dateKey(%q) ok = %v, time.Parse error %v", v, ok, err)
		}
	}
}
