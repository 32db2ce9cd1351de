package schoolentry

import (
	"fmt"
	"strings"
	"time"
)

// Needed is what the requirements named by vaccines (Requirement.Vaccine,
// as a roster report lists the missing ones) ask for grade in the school
// year of asOf, without a record: one Requirement each, in the order
// given, with Status Missing, Needed in words (a rule's alternatives
// joined by "; or "), the Documents that could satisfy it and its
// Source. A parent's letter lists them.
func Needed(grade Grade, asOf time.Time, vaccines []string) ([]Requirement, error) {
	if grade.rank() < 0 {
		_, err := ParseGrade(string(grade))
		return nil, err
	}
	rs, err := rulesFor(asOf)
	if err != nil {
		return nil, err
	}
	out := make([]Requirement, 0, len(vaccines))
	for _, v := range vaccines {
		ru := rs.rule(grade, v)
		if ru == nil {
			return nil, fmt.Errorf("%s is not a %s requirement for %s", v, rs.SchoolYear, grade.Words())
		}
		words := []string{ru.Needed}
		for _, a := range ru.Alternatives {
			words = append(words, a.Needed)
		}
		out = append(out, Requirement{Vaccine: ru.Vaccine, Status: Missing, Needed: strings.Join(words, "; or "),
			Counted: []string{}, Documents: rs.documents(grade, ru.Vaccine), Source: ru.Source})
	}
	return out, nil
}

// rule is the requirement named vaccine for grade; nil when none is.
func (rs *ruleSet) rule(grade Grade, vaccine string) *rule {
	for i := range rs.Rules {
		if ru := &rs.Rules[i]; ru.Vaccine == vaccine && ru.Grades.has(grade) {
			return ru
		}
	}
	return nil
}
