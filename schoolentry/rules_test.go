package schoolentry

import (
	"slices"
	"strings"
	"testing"
)

func TestRuleFiles(t *testing.T) {
	if got, want := SchoolYears(), []string{"2025-26", "2026-27"}; !slices.Equal(got, want) {
		t.Fatalf("school years %v, want %v", got, want)
	}
	for _, y := range SchoolYears() {
		rs := loaded.sets[y]
		if rs.Version != "ct-"+y {
			t.Errorf("%s: version %q, want ct-%s", y, rs.Version, y)
		}
		var vaccines []string
		for _, r := range rs.Rules {
			if !slices.Contains(vaccines, r.Vaccine) {
				vaccines = append(vaccines, r.Vaccine)
			}
		}
		want := []string{"DTaP/Tdap/Td", "Tdap", "Polio", "MMR", "HepB", "Varicella", "Hib", "Pneumococcal", "HepA", "Influenza", "MenACWY"}
		if !slices.Equal(vaccines, want) {
			t.Errorf("%s: requirements %v, want %v", y, vaccines, want)
		}
		for _, key := range []string{LabImmunity, VaricellaHistory, MedicalExemption, ReligiousExemption} {
			if rs.Documents[key].Source == "" {
				t.Errorf("%s: document %s has no source", y, key)
			}
		}
	}
}

func TestRulesChosenBySchoolYear(t *testing.T) {
	r := record(t, "2020-06-01")
	for asOf, want := range map[string]string{"2026-07-31": "ct-2025-26", "2026-08-01": "ct-2026-27", "2027-07-31": "ct-2026-27"} {
		res, err := Check(r, "K", day(t, asOf))
		if err != nil {
			t.Fatal(err)
		}
		if res.RulesVersion != want {
			t.Errorf("checked %s: rules %s, want %s", asOf, res.RulesVersion, want)
		}
		if !strings.Contains(res.Label(), "CT DPH requirements for "+res.SchoolYear+"; not an official determination") {
			t.Errorf("label %q", res.Label())
		}
	}
	_, err := Check(r, "K", day(t, "2027-08-01"))
	if err == nil || !strings.Contains(err.Error(), "no Connecticut school-entry rules for the 2027-28 school year") || !strings.Contains(err.Error(), "update ctwiz-nurse") {
		t.Errorf("a year without rules: %v", err)
	}
}

func TestValidateRejectsIncompleteRules(t *testing.T) {
	SchoolYears() // loads the files
	good := loaded.sets["2026-27"]
	bad := *good
	bad.Rules = slices.Clone(good.Rules)
	bad.Rules[0].Source = ""
	if err := bad.validate(); err == nil || !strings.Contains(err.Error(), "requirement 1 (DTaP/Tdap/Td)") {
		t.Errorf("a rule without a source: %v", err)
	}
	bad.Rules = slices.Clone(good.Rules)
	bad.Rules[2].Group = "Smallpox"
	if err := bad.validate(); err == nil || !strings.Contains(err.Error(), `no schedule for the vaccine group "Smallpox"`) {
		t.Errorf("a rule for an unknown group: %v", err)
	}
}
