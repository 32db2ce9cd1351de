package forecast

import "time"

// Shorthands that keep the schedule below readable as the ACIP tables are.
func weeks(n int) Span  { return Span{Weeks: n} }
func months(n int) Span { return Span{Months: n} }
func years(n int) Span  { return Span{Years: n} }

// target is one dose of a series: when it may be given (minimum age and
// interval, less the 4-day grace period), when it is recommended (due) and
// when it is late (overdue).
type target struct {
	minAge, dueAge, overdueAge Span
	minInt, dueInt, overdueInt Span // from the previous valid dose
	minIntFirst                Span // from the first valid dose (HepB dose 3)
	maxAge                     Span // a dose given on or after this age does not count
	// earliestInt replaces minInt for the forecast's earliest date (when
	// set, only if the first dose was given before the age earliestUntil):
	// ACIP recommends the longer interval, yet a dose given after minInt
	// need not be repeated (DTaP 4: 6 months, 4 valid; varicella under 13:
	// 3 months, 4 weeks valid).
	earliestInt, earliestUntil Span
	onlyCVX                    []string
	recommend                  string // the CVX offered for this dose
	skip                       skipRule
	// hpv2 marks HPV dose 2: 5 months after dose 1 (due at 6) when dose 1
	// was given before the 15th birthday, which then ends the series.
	hpv2 bool
}

// given is a valid dose counted in a series.
type given struct {
	date time.Time
	cvx  string
}

// series is the schedule of one vaccine group.
type series struct {
	group  string // CDSi vaccine group name
	cvx    string // the group's CVX (unspecified formulation), sent in 30956-7
	doses  []target
	maxAge Span // not recommended from this age on: status "too old"
	// from7 is the CVX offered instead from the 7th birthday (Tdap for
	// DTaP, which is not given from 7 years).
	from7 string
}

// A skipRule says when a dose is not needed, from the birth date, the day
// it is judged on (the date of the dose being evaluated, or today for the
// forecast: ACIP's catch-up rules depend on the child's current age) and
// the valid doses so far.
type skipRule func(birth, at time.Time, valid []given) bool

// prevAtAge: the previous valid dose was given at or after age a.
func prevAtAge(a Span) skipRule {
	return func(birth, _ time.Time, valid []given) bool {
		return len(valid) > 0 && !valid[len(valid)-1].date.Before(a.From(birth))
	}
}

// prevAtAgeAfter: the previous valid dose was given at or after age a and
// at least gap (less the grace period) after the dose before it.
func prevAtAgeAfter(a, gap Span) skipRule {
	return func(birth, at time.Time, valid []given) bool {
		n := len(valid)
		return n >= 2 && prevAtAge(a)(birth, at, valid) && !valid[n-1].date.Before(grace(gap.From(valid[n-2].date)))
	}
}

// firstAtAge: the first valid dose was given at or after age a.
func firstAtAge(a Span) skipRule {
	return func(birth, _ time.Time, valid []given) bool {
		return len(valid) > 0 && !valid[0].date.Before(a.From(birth))
	}
}

// atAge: the child is age a or older on the day judged.
func atAge(a Span) skipRule {
	return func(birth, at time.Time, _ []given) bool { return !at.Before(a.From(birth)) }
}

// atLeast: at least n valid doses so far.
func atLeast(n int) skipRule {
	return func(_, _ time.Time, valid []given) bool { return len(valid) >= n }
}

func either(fs ...skipRule) skipRule {
	return func(birth, at time.Time, valid []given) bool {
		for _, f := range fs {
			if f(birth, at, valid) {
				return true
			}
		}
		return false
	}
}

func both(fs ...skipRule) skipRule {
	return func(birth, at time.Time, valid []given) bool {
		for _, f := range fs {
			if !f(birth, at, valid) {
				return false
			}
		}
		return true
	}
}

// pediatricDTaP are the DTaP and DTP products: not valid on or after the
// 7th birthday, when Td or Tdap is used instead.
var pediatricDTaP = map[string]bool{"01": true, "20": true, "22": true, "50": true, "102": true,
	"106": true, "107": true, "110": true, "120": true, "130": true, "132": true, "146": true}

// tdOrTdap are the adolescent and adult products: valid from the 7th birthday.
var tdOrTdap = map[string]bool{"09": true, "113": true, "115": true, "138": true, "139": true, "196": true}

// rotarix is the two-dose rotavirus vaccine.
const rotarix = "119"

// schedule is the childhood and adolescent schedule the sandbox forecasts,
// in the order a record lists it. Ages and intervals follow the ACIP
// schedule (CDSi minimums); see doc.go for what is simplified.
var schedule = []series{
	{group: "HepB", cvx: "45", doses: []target{
		{dueAge: Span{}, overdueAge: months(1), recommend: "08"},
		{minAge: weeks(4), minInt: weeks(4), dueAge: months(2), overdueAge: months(3), recommend: "08"},
		{minAge: weeks(24), minInt: weeks(8), minIntFirst: weeks(16), dueAge: months(6), overdueAge: months(19), recommend: "08"},
	}},
	{group: "Rotavirus", cvx: "122", maxAge: months(8), doses: []target{
		{minAge: weeks(6), dueAge: months(2), overdueAge: months(3), maxAge: weeks(15), recommend: "116"},
		{minInt: weeks(4), dueAge: months(4), overdueAge: months(5), maxAge: months(8), recommend: "116"},
		{minInt: weeks(4), dueAge: months(6), overdueAge: months(7), maxAge: months(8), recommend: "116",
			skip: rotarixOnly},
	}},
	{group: "DTaP/Tdap/Td", cvx: "107", from7: "115", doses: []target{
		{minAge: weeks(6), dueAge: months(2), overdueAge: months(3), recommend: "20"},
		{minInt: weeks(4), dueAge: months(4), overdueAge: months(5), recommend: "20"},
		{minInt: weeks(4), dueAge: months(6), overdueAge: months(7), recommend: "20"},
		// From 7 years (ACIP catch-up, 7-18 years), three doses are
		// enough when the first was given at 1 year or later...
		{minAge: months(12), minInt: months(4), earliestInt: months(6), dueAge: months(15), overdueAge: months(19),
			recommend: "20", skip: both(atAge(years(7)), firstAtAge(months(12)))},
		// ...and four always: the 4-6 year dose is then not given.
		{minAge: years(4), minInt: months(6), dueAge: years(4), overdueAge: years(7), recommend: "20",
			skip: either(prevAtAge(years(4)), atAge(years(7)))},
		// The adolescent Tdap: only Tdap counts, from the 10th birthday; a
		// catch-up Tdap given from 10 years already was it.
		{minAge: years(10), dueAge: years(11), overdueAge: years(13), onlyCVX: []string{"115"}, recommend: "115",
			skip: tdapFrom10},
	}},
	// Hib (PRP-T) and pneumococcal: the last dose is the "final dose" of
	// the ACIP catch-up table, at 12 months or later and 8 weeks after the
	// previous one; the skip rules say how many 4-week doses come before it
	// for a child who started late.
	{group: "Hib", cvx: "17", maxAge: years(5), doses: []target{
		{minAge: weeks(6), dueAge: months(2), overdueAge: months(3), recommend: "48"},
		// First dose at 12 months or later: the final dose comes next.
		{minInt: weeks(4), dueAge: months(4), overdueAge: months(5), recommend: "48",
			skip: firstAtAge(months(12))},
		// First dose at 7-11 months, or a child now 12 months or older:
		// the final dose comes next.
		{minInt: weeks(4), dueAge: months(6), overdueAge: months(7), recommend: "48",
			skip: either(firstAtAge(months(7)), prevAtAge(months(12)), atAge(months(12)))},
		// Not needed after a first dose at 15 months, a dose at 15 months,
		// or a third dose at 12 months or later.
		{minAge: months(12), minInt: weeks(8), dueAge: months(12), overdueAge: months(16), recommend: "48",
			skip: either(prevAtAge(months(15)), both(atLeast(3), prevAtAge(months(12))))},
	}},
	{group: "Pneumococcal", cvx: "152", maxAge: years(5), doses: []target{
		{minAge: weeks(6), dueAge: months(2), overdueAge: months(3), recommend: "216"},
		// First dose at 12 months or later: the final dose comes next.
		{minInt: weeks(4), dueAge: months(4), overdueAge: months(5), recommend: "216",
			skip: firstAtAge(months(12))},
		// Previous dose at 7 months or later, or a child now 12 months or
		// older: the final dose comes next.
		{minInt: weeks(4), dueAge: months(6), overdueAge: months(7), recommend: "216",
			skip: either(prevAtAge(months(7)), atAge(months(12)))},
		// Not needed after a dose at 24 months (healthy children), or a
		// third dose at 12 months or later.
		{minAge: months(12), minInt: weeks(8), dueAge: months(12), overdueAge: months(16), recommend: "216",
			skip: either(prevAtAge(months(24)), both(atLeast(3), prevAtAge(months(12))))},
	}},
	{group: "Polio", cvx: "89", doses: []target{
		{minAge: weeks(6), dueAge: months(2), overdueAge: months(3), recommend: "10"},
		{minInt: weeks(4), dueAge: months(4), overdueAge: months(5), recommend: "10"},
		{minInt: weeks(4), dueAge: months(6), overdueAge: months(19), recommend: "10"},
		// Not needed when dose 3 was given at 4 years or later and at
		// least 6 months after dose 2.
		{minAge: years(4), minInt: months(6), dueAge: years(4), overdueAge: years(7), recommend: "10",
			skip: prevAtAgeAfter(years(4), months(6))},
	}},
	{group: "MMR", cvx: "03", doses: []target{
		{minAge: months(12), dueAge: months(12), overdueAge: months(16), recommend: "03"},
		{minAge: months(13), minInt: weeks(4), dueAge: years(4), overdueAge: years(7), recommend: "03"},
	}},
	{group: "Varicella", cvx: "21", doses: []target{
		{minAge: months(12), dueAge: months(12), overdueAge: months(16), recommend: "21"},
		{minAge: months(13), minInt: weeks(4), earliestInt: months(3), earliestUntil: years(13),
			dueAge: years(4), overdueAge: years(7), recommend: "21"},
	}},
	{group: "HepA", cvx: "85", doses: []target{
		{minAge: months(12), dueAge: months(12), overdueAge: months(24), recommend: "83"},
		{minInt: months(6), dueInt: months(6), overdueInt: months(18), recommend: "83"},
	}},
	{group: "Meningococcal", cvx: "108", doses: []target{
		{minAge: years(10), dueAge: years(11), overdueAge: years(13), recommend: "114"},
		{minAge: years(16), minInt: weeks(8), dueAge: years(16), overdueAge: years(19), recommend: "114",
			skip: prevAtAge(years(16))},
	}},
	{group: "HPV", cvx: "137", maxAge: years(27), doses: []target{
		{minAge: years(9), dueAge: years(11), overdueAge: years(13), recommend: "165"},
		// Two doses 5 months apart when the first is given before the 15th
		// birthday; otherwise three (0, 1-2, 6 months).
		{minInt: weeks(4), dueInt: months(2), overdueInt: months(3), recommend: "165", hpv2: true},
		{minInt: weeks(12), minIntFirst: months(5), dueInt: months(4), overdueInt: months(5), recommend: "165",
			skip: hpvTwoDoses},
	}},
}

// hpvTwoDoses: the series ends after two doses when the first was given
// before the 15th birthday and the second at least 5 months after it.
func hpvTwoDoses(birth, _ time.Time, valid []given) bool {
	return len(valid) >= 2 && valid[0].date.Before(years(15).From(birth)) &&
		!valid[1].date.Before(grace(months(5).From(valid[0].date)))
}

// tdapFrom10: a valid Tdap was given on or after the 10th birthday (ACIP:
// it counts as the adolescent dose).
func tdapFrom10(birth, _ time.Time, valid []given) bool {
	for _, v := range valid {
		if v.cvx == "115" && !v.date.Before(grace(years(10).From(birth))) {
			return true
		}
	}
	return false
}

// rotarixOnly: two doses complete the series when every dose was Rotarix.
func rotarixOnly(_, _ time.Time, valid []given) bool {
	for _, v := range valid {
		if v.cvx != rotarix {
			return false
		}
	}
	return len(valid) >= 2
}

// Influenza is forecast per season (see flu.go).
const (
	fluGroup = "Influenza"
	fluCVX   = "88"
)
