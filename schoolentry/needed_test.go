package schoolentry

import (
	"slices"
	"strings"
	"testing"
)

// TestNeeded: what a letter lists for the requirements a report names,
// per grade, with the rule's alternatives and the documents that could
// satisfy it; a requirement the grade does not have is refused.
func TestNeeded(t *testing.T) {
	asOf := day(t, "2026-12-01")
	for _, tc := range []struct {
		grade    Grade
		vaccines []string
		want     []string // "Vaccine: needed | documents"
		err      string
	}{
		{"9", []string{"Tdap", "Varicella", "MenACWY"}, []string{
			"Tdap: 1 dose of Tdap on or after the 7th birthday | medical_exemption religious_exemption",
			"Varicella: 2 doses, the first on or after the 1st birthday; or 2 doses at least 4 weeks apart (first dose at 13 years or older) | lab_immunity varicella_history medical_exemption religious_exemption",
			"MenACWY: 1 dose of MenACWY | medical_exemption religious_exemption",
		}, ""},
		{"K", []string{"DTaP/Tdap/Td", "Hib"}, []string{
			"DTaP/Tdap/Td: 4 or more doses, the last on or after the 4th birthday; or 3 doses of Td/Tdap (series started at 7 years or older) | medical_exemption religious_exemption",
			"Hib: 1 dose on or after the 1st birthday (under 5 years) | medical_exemption religious_exemption",
		}, ""},
		{"PK", []string{"MMR", "Influenza"}, []string{
			"MMR: 1 dose on or after the 1st birthday | lab_immunity medical_exemption",
			"Influenza: 1 dose between 1 August and 31 December; or 2 doses at least 28 days apart between 1 August and 31 December (first season of influenza vaccine) | medical_exemption",
		}, ""},
		{"9", []string{"Hib"}, nil, "Hib is not a 2026-27 requirement for grade 9"},
		{"13", []string{"MMR"}, nil, "grade"},
	} {
		got, err := Needed(tc.grade, asOf, tc.vaccines)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s %v: error %v, want %q", tc.grade, tc.vaccines, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		lines := make([]string, len(got))
		for i, q := range got {
			lines[i] = q.Vaccine + ": " + q.Needed + " | " + strings.Join(q.Documents, " ")
			if q.Status != Missing || q.Source == "" {
				t.Errorf("%s: status %q, source %q", q.Vaccine, q.Status, q.Source)
			}
		}
		if !slices.Equal(lines, tc.want) {
			t.Errorf("grade %s:\n%s\nwant\n%s", tc.grade, strings.Join(lines, "\n"), strings.Join(tc.want, "\n"))
		}
	}
}

// TestNeededAgreesWithCheck: for a student with no doses, Needed names
// the documents Check does and, among its alternatives, what Check asked.
func TestNeededAgreesWithCheck(t *testing.T) {
	asOf := day(t, "2026-12-01")
	for _, g := range []Grade{"PK", "K", "7"} {
		res, err := Check(record(t, "2021-09-01"), g, asOf)
		if err != nil {
			t.Fatal(err)
		}
		var vaccines []string
		for _, q := range res.Requirements {
			if q.Status == Missing {
				vaccines = append(vaccines, q.Vaccine)
			}
		}
		needed, err := Needed(g, asOf, vaccines)
		if err != nil || len(needed) != len(vaccines) {
			t.Fatalf("grade %s: %d of %d, %v", g, len(needed), len(vaccines), err)
		}
		i := 0
		for _, q := range res.Requirements {
			if q.Status != Missing {
				continue
			}
			n := needed[i]
			i++
			if !slices.Contains(strings.Split(n.Needed, "; or "), q.Needed) || !slices.Equal(n.Documents, q.Documents) {
				t.Errorf("grade %s %s: Needed %q %v, Check %q %v", g, q.Vaccine, n.Needed, n.Documents, q.Needed, q.Documents)
			}
		}
	}
}
