package sandbox

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
)

// Student is one built-in synthetic student, listed so a new user can try
// each case (ctwiz-nurse sandbox --list prints them).
type Student struct {
	Last, First, Middle string
	Born                string // YYYY-MM-DD
	Sex                 string
	RegistryID          string // the SR ID the sandbox gives the student
	Case                string // what querying this student shows
	Query               string // what to type to see it, when not simply the name
	mother              [2]string
	address             [4]string // street, city, zip, phone
	multipleBirth       string
	birthOrder          string
	doses               []string // "DTaP 2008-06-12", see parseDoseLine
	mr                  string   // the clinic's own ID (PID-3 MR) when not SB and the message number
	deleted             []string // doses submitted, then deleted by a second VXU
}

// routine is the ACIP routine schedule as given on time at a clinic:
// vaccine and age, as "vaccine age" lines.
var routine = []struct {
	vaccine string
	age     string // e.g. "2m", "4y", "11y6m", "0"
}{
	{"HepB", "0"}, {"HepB", "2m"}, {"Rotateq", "2m"}, {"DTaP", "2m"}, {"Hib", "2m"}, {"PCV13", "2m"}, {"IPV", "2m"},
	{"Rotateq", "4m"}, {"DTaP", "4m"}, {"Hib", "4m"}, {"PCV13", "4m"}, {"IPV", "4m"},
	{"HepB", "6m"}, {"Rotateq", "6m"}, {"DTaP", "6m"}, {"Hib", "6m"}, {"PCV13", "6m"}, {"IPV", "6m"},
	{"MMR", "12m"}, {"Varicella", "12m"}, {"HepA", "12m"}, {"Hib", "12m"}, {"PCV13", "12m"},
	{"DTaP", "15m"}, {"HepA", "18m"},
	{"DTaP", "4y"}, {"IPV", "4y"}, {"MMR", "4y"}, {"Varicella", "4y"},
	{"Tdap", "11y"}, {"MenACWY", "11y"}, {"HPV9", "11y"}, {"HPV9", "11y6m"}, {"MenACWY", "16y"},
}

// onSchedule returns the routine doses of a child born on born given up to
// (not after) the age until, leaving out the vaccines named in skip.
func onSchedule(born, until string, skip ...string) []string {
	return between(born, "", until, skip...)
}

// between returns the routine doses due after the age from ("" for all)
// up to the age until.
func between(born, from, until string, skip ...string) []string {
	b, _ := time.Parse(time.DateOnly, born)
	limit := addAge(b, until)
	var out []string
	for _, d := range routine {
		if containsFold(skip, d.vaccine) {
			continue
		}
		at := addAge(b, d.age)
		if at.After(limit) || (from != "" && !at.After(addAge(b, from))) {
			continue
		}
		out = append(out, d.vaccine+" "+at.Format(time.DateOnly))
	}
	return out
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

// addAge adds an age such as "2m", "4y" or "11y6m" to a birth date.
func addAge(b time.Time, age string) time.Time {
	var y, m int
	if age != "0" {
		if strings.Contains(age, "y") {
			fmt.Sscanf(age, "%dy%dm", &y, &m)
		} else {
			fmt.Sscanf(age, "%dm", &m)
		}
	}
	return b.AddDate(y, m, 0)
}

// fluSeasons returns one influenza dose each October from first to last year.
func fluSeasons(first, last int) []string {
	var out []string
	for y := first; y <= last; y++ {
		out = append(out, fmt.Sprintf("Flu %d-10-15", y))
	}
	return out
}

func join(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// smiths are eleven students with the same last name and birth date: more
// than the 10 candidates a query may return, so "too many matches".
var smiths = []string{"Emma", "Olivia", "Ava", "Sophia", "Isabella", "Mia", "Noah", "Elijah", "James", "William", "Lucas"}

// Students are the built-in synthetic students, in the order they are
// stored (which fixes their registry IDs, from 9000001).
func Students() []Student {
	out := []Student{
		{Last: "SANDOVAL", First: "Maya", Middle: "Rose", Born: "2008-04-12", Sex: "F",
			Case:   "complete record: every school-required series complete (influenza due each season)",
			mother: [2]string{"REYES", "Ana"}, address: [4]string{"14 Elm St", "Hartford", "06105", "8605550142"},
			doses: onSchedule("2008-04-12", "18y")},
		{Last: "PARKER", First: "Liam", Middle: "James", Born: "2019-06-20", Sex: "M",
			Case:   "missing and overdue doses: 4-6 year boosters (polio 4, MMR 2, varicella 2) and HepA 2 overdue (past 7, four DTaP doses are enough: Tdap next at 11); a dose entered in error was deleted (RXA-21 D)",
			mother: [2]string{"COLE", "Dana"}, address: [4]string{"88 Maple Ave", "New Britain", "06051", "8605550178"},
			doses:   onSchedule("2019-06-20", "15m"),
			deleted: []string{"HepA 2020-12-01"}},
		{Last: "NGUYEN", First: "Minh Anh", Born: "2017-09-03", Sex: "F", multipleBirth: "Y", birthOrder: "1",
			Case:   "twin: 'NGUYEN, Minh' with this birth date matches both twins: two candidates (Z31)",
			Query:  "NGUYEN, Minh, 2017-09-03",
			mother: [2]string{"TRAN", "Lan"}, address: [4]string{"5 Birch Rd", "West Hartford", "06107", "8605550111"},
			doses: onSchedule("2017-09-03", "9y")},
		{Last: "NGUYEN", First: "Minh Khoa", Born: "2017-09-03", Sex: "M", multipleBirth: "Y", birthOrder: "2",
			Case:   "the other twin; each twin's full name gives one record",
			mother: [2]string{"TRAN", "Lan"}, address: [4]string{"5 Birch Rd", "West Hartford", "06107", "8605550111"},
			doses: onSchedule("2017-09-03", "9y")},
		{Last: "O'BRIEN", First: "Siobhán", Middle: "Máire", Born: "2016-11-30", Sex: "F",
			Case:   "apostrophe and accents: 'OBrien, Siobhan' finds her",
			Query:  "OBRIEN, Siobhan, 2016-11-30",
			mother: [2]string{"Ní BHRIAIN", "Aoife"}, address: [4]string{"210 Whitney Ave", "New Haven", "06511", "2035550190"},
			doses: onSchedule("2016-11-30", "9y")},
		{Last: "GARCÍA-LÓPEZ", First: "José", Middle: "Ángel", Born: "2014-07-04", Sex: "M",
			Case:   "hyphen and accents, and historical doses from another registry: 'Garcia Lopez, Jose' finds him",
			Query:  "GARCIA LOPEZ, Jose, 2014-07-04",
			mother: [2]string{"LÓPEZ", "María"}, address: [4]string{"31 Park St", "Bridgeport", "06604", "2035550133"},
			doses: join(historical(onSchedule("2014-07-04", "5y")), between("2014-07-04", "5y", "12y"))},
		{Last: "WHITEHORSE", First: "Dakota", Middle: "Rain", Born: "2013-02-17", Sex: "F",
			Case:   "historical and refused doses: infant doses reported from another record (RXA-9 01), HPV and influenza refused (RXA-20 RE)",
			mother: [2]string{"SMALLWOOD", "June"}, address: [4]string{"7 River Rd", "Norwich", "06360", "8605550167"},
			doses: join(historical(onSchedule("2013-02-17", "24m")), between("2013-02-17", "24m", "13y", "HPV9"),
				[]string{"HPV9 2024-03-04 refused", "Flu 2025-10-20 refused"})},
		{Last: "KOWALSKI", First: "Zofia", Born: "2020-02-14", Sex: "F",
			Case:   "doses not valid: MMR and varicella 9 days before the first birthday (beyond the 4-day grace period) do not count and were repeated",
			mother: [2]string{"NOWAK", "Ewa"}, address: [4]string{"19 Oak St", "Stamford", "06901", "2035550121"},
			doses: join(onSchedule("2020-02-14", "9m"), []string{"MMR 2021-02-05", "Varicella 2021-02-05", "MMR 2021-03-10", "Varicella 2021-03-10", "HepA 2021-03-10", "Hib 2021-03-10", "PCV13 2021-03-10", "DTaP 2021-05-14", "HepA 2021-09-14"},
				[]string{"DTaP 2024-02-20", "IPV 2024-02-20", "MMR 2024-02-20", "Varicella 2024-02-20"})},
		{Last: "MONTGOMERY-BLAKE", First: "Theodore", Born: "2008-01-05", Sex: "M",
			Case:   "large record: more than 60 doses (routine, yearly influenza since 2008, COVID-19, travel vaccines)",
			mother: [2]string{"BLAKE", "Caroline"}, address: [4]string{"400 Main St", "Middletown", "06457", "8605550100"},
			doses: join(onSchedule("2008-01-05", "18y"), []string{"Flu 2008-07-10", "Flu 2008-08-10"}, fluSeasons(2009, 2025),
				[]string{"COVID 2021-05-20", "COVID 2021-06-10", "COVID 2022-01-15", "COVID 2023-10-01", "COVID 2024-10-01",
					"Typhoid 2023-06-01", "HepA 2023-06-01", "JE 2023-06-01", "JE 2023-06-29", "Rabies 2023-06-01", "Rabies 2023-06-08", "Rabies 2023-06-22"})},
	}
	for i, first := range smiths {
		st := Student{Last: "SMITH", First: first, Born: "2015-09-01", Sex: sexOf(first),
			Case:   "one of the eleven SMITH students born 2015-09-01 (one record each)",
			mother: [2]string{"JONES", ""}, address: [4]string{"1 School St", "Waterbury", "06702", ""},
			doses: onSchedule("2015-09-01", "11y")}
		if i == 0 {
			st.Case = "common name: eleven SMITH students share this birth date, so any other first name (e.g. Michael) is too many matches (Z33 TM); 'SMITH, Emma' is her record"
			st.Query = "SMITH, Michael, 2015-09-01"
		}
		out = append(out, st)
	}
	// Students for Connecticut's school-entry rules that no one above
	// shows; after the SMITHs, so the earlier registry IDs stay as they
	// were, and youngest last (see builtinMessages).
	out = append(out,
		Student{Last: "OKAFOR", First: "Chidi", Born: "2011-10-02", Sex: "M",
			Case:   "grade 9 school entry: Tdap at 6 years 11 months, no MenACWY, varicella first at 13 with the second dose 21 days later: not compliant",
			mother: [2]string{"EZE", "Ngozi"}, address: [4]string{"150 Asylum Ave", "Hartford", "06105", "8605550183"},
			doses: join(onSchedule("2011-10-02", "4y", "Varicella"), []string{"Tdap 2018-09-02", "Varicella 2025-01-15", "Varicella 2025-02-05"})},
		Student{Last: "KIM", First: "Jae", Born: "2021-05-10", Sex: "M",
			Case:   "kindergarten school entry: varicella 14 days after MMR (live-virus conflict) not valid and repeated; hepatitis A started late (in process)",
			mother: [2]string{"PARK", "Soo"}, address: [4]string{"9 Ridge Rd", "Glastonbury", "06033", "8605550126"},
			doses: join(onSchedule("2021-05-10", "4y", "HepA", "Varicella"),
				[]string{"Varicella 2022-05-10", "Varicella 2025-05-24", "Varicella 2025-07-01", "HepA 2026-10-15"})},
		Student{Last: "ADEYEMI", First: "Tobi", Born: "2022-10-15", Sex: "M",
			Case:   "pre-K school entry: influenza not yet given this season (in process until 31 December); Hib and pneumococcal asked under 5",
			mother: [2]string{"BELLO", "Funmi"}, address: [4]string{"62 Chapel St", "New Haven", "06513", "2035550155"},
			doses: join(onSchedule("2022-10-15", "18m"), []string{"Flu 2024-10-20", "Flu 2024-11-20", "Flu 2025-10-15"})},
	)
	for i := range out {
		out[i].RegistryID = strconv.Itoa(firstRegistryID + i)
	}
	return out
}

func sexOf(first string) string {
	switch first {
	case "Noah", "Elijah", "James", "William", "Lucas":
		return "M"
	}
	return "F"
}

// historical marks doses as reported from another record (RXA-9 01).
func historical(doses []string) []string {
	out := make([]string, len(doses))
	for i, d := range doses {
		out[i] = d + " historical"
	}
	return out
}

// NotFound is a student who has no record, for trying "not found".
var NotFound = Student{Last: "DOE", First: "Jane", Born: "2016-01-01", Sex: "F",
	Case: "no record: not found (Z33 NF)"}

// products are the vaccines the built-in students get: CVX, and for doses
// given at the sandbox clinic the manufacturer (MVX).
var products = map[string]struct{ cvx, mvx, mfr string }{
	"HepB": {"08", "MSD", "Merck and Co., Inc."}, "Rotateq": {"116", "MSD", "Merck and Co., Inc."},
	"DTaP": {"20", "PMC", "sanofi pasteur"}, "Hib": {"48", "PMC", "sanofi pasteur"},
	"PCV13": {"133", "PFR", "Pfizer, Inc"}, "IPV": {"10", "PMC", "sanofi pasteur"},
	"MMR": {"03", "MSD", "Merck and Co., Inc."}, "Varicella": {"21", "MSD", "Merck and Co., Inc."},
	"HepA": {"83", "SKB", "GlaxoSmithKline"}, "Tdap": {"115", "SKB", "GlaxoSmithKline"},
	"MenACWY": {"114", "PMC", "sanofi pasteur"}, "HPV9": {"165", "MSD", "Merck and Co., Inc."},
	"Flu": {"150", "SKB", "GlaxoSmithKline"}, "COVID": {"208", "PFR", "Pfizer, Inc"},
	"Typhoid": {"101", "PMC", "sanofi pasteur"}, "JE": {"134", "VAL", "Valneva"},
	"Rabies": {"175", "PMC", "sanofi pasteur"},
}

// earlier are the products given before a vaccine's usual one was
// licensed, so no record shows a vaccine before it existed: PCV7 before
// PCV13 (2010), trivalent influenza before quadrivalent (2013-14 season).
var earlier = map[string]struct {
	until string // YYYY-MM-DD: from this day on, the usual product
	cvx   string
}{"PCV13": {"2010-03-01", "100"}, "Flu": {"2013-08-01", "140"}}

// product is the vaccine given as name on day (YYYY-MM-DD).
func product(name, day string) struct{ cvx, mvx, mfr string } {
	p := products[name]
	if e, ok := earlier[name]; ok && day < e.until {
		p.cvx = e.cvx
	}
	return p
}

// builtinMessages are the built-in students as VXU^V04 messages, stored
// through the same path as any submission: their records as they stood on
// the day today (doses given later are left out), so a sandbox set to an
// earlier day (--today) still starts. Students at the end of the list born
// after today (the school-entry ones, listed youngest last) are left out;
// every other student must be born by then, or the listed registry IDs
// would shift.
func builtinMessages(today time.Time) ([][]byte, error) {
	students := Students()
	for len(students) > 0 && students[len(students)-1].Born > today.Format(time.DateOnly) {
		students = students[:len(students)-1]
	}
	youngest := slices.MaxFunc(students, func(a, b Student) int { return strings.Compare(a.Born, b.Born) })
	if born, _ := time.Parse(time.DateOnly, youngest.Born); born.After(today) {
		return nil, fmt.Errorf("the youngest built-in student was born on %s, after the sandbox's day %s: choose a day on or after %s, or start without the built-in students",
			youngest.Born, today.Format(time.DateOnly), youngest.Born)
	}
	var out [][]byte
	n := 0
	for _, s := range students {
		doses, deleted := givenBy(s.doses, today), givenBy(s.deleted, today)
		n++
		out = append(out, s.vxu(n, append(doses, deleted...), "A"))
		if len(deleted) > 0 {
			n++
			out = append(out, s.vxu(n, deleted, "D"))
		}
	}
	return out, nil
}

// givenBy keeps the dose lines ("vaccine YYYY-MM-DD ...") dated on or
// before day.
func givenBy(doses []string, day time.Time) []string {
	var out []string
	for _, d := range doses {
		if at, err := time.Parse(time.DateOnly, strings.Fields(d)[1]); err == nil && !at.After(day) {
			out = append(out, d)
		}
	}
	return out
}

// vxu writes a VXU^V04 for the student from the sandbox's synthetic clinic.
func (s Student) vxu(n int, doses []string, action string) []byte {
	born, _ := time.Parse(time.DateOnly, s.Born)
	mr := fmt.Sprintf("SB%04d", n)
	switch {
	case s.mr != "":
		mr = s.mr
	case action == "D":
		mr = fmt.Sprintf("SB%04d", n-1)
	}
	var phone hl7.Field
	if p := s.address[3]; p != "" {
		phone = hl7.F("", "PRN", "PH", "", "", p[:3], p[3:])
	}
	segs := []hl7.Segment{
		hl7.NewMSH(hl7.F("SANDBOX-EHR"), hl7.F("SANDBOX-CLINIC"), hl7.F(SendingApp), hl7.F(SendingFacility),
			hl7.F("20260101120000-0500"), nil, hl7.F("VXU", "V04", "VXU_V04"), hl7.F(fmt.Sprintf("SEED%04d", n)),
			hl7.F("T"), hl7.F("2.5.1"), nil, nil, hl7.F("ER"), hl7.F("AL"), nil, nil, nil, nil, hl7.F("Z22", "CDCPHINVS")),
		hl7.NewSegment("PID", hl7.F("1"), nil, hl7.F(mr, "", "", "SANDBOX-EHR", "MR"), nil,
			hl7.F(s.Last, s.First, s.Middle, "", "", "", "L"), hl7.F(s.mother[0], s.mother[1], "", "", "", "", "M"),
			hl7.F(born.Format("20060102")), hl7.F(s.Sex), nil, nil,
			hl7.F(s.address[0], "", s.address[1], "CT", s.address[2], "USA", "P"), nil, phone,
			nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, hl7.F(s.multipleBirth), hl7.F(s.birthOrder)),
	}
	if s.mother[1] != "" {
		segs = append(segs, hl7.NewSegment("NK1", hl7.F("1"), hl7.F(s.mother[0], s.mother[1], "", "", "", "", "L"),
			hl7.F("MTH", "Mother", "HL70063")))
	}
	for i, line := range doses {
		f := strings.Fields(line)
		p := product(f[0], f[1])
		date := strings.ReplaceAll(f[1], "-", "")
		flags := strings.Join(f[2:], " ")
		id := fmt.Sprintf("%s-%s-%s", mr, p.cvx, date)
		source, amount, unit, lot, mfr := hl7.F("00", "New Immunization Record", "NIP001"), "0.5", hl7.F("mL", "mL", "UCUM"),
			fmt.Sprintf("SB%s%02d", date[2:6], i%97), hl7.F(p.mvx, p.mfr, "MVX")
		if strings.Contains(flags, "historical") {
			source, amount, unit, lot, mfr = hl7.F("01", "Historical Information - Source Unspecified", "NIP001"), "999", nil, "", nil
		}
		var refusal hl7.Field
		status := "CP"
		if strings.Contains(flags, "refused") {
			refusal, status, amount, unit, lot, mfr = hl7.F("00", "Parental decision", "NIP002"), "RE", "999", nil, "", nil
		}
		segs = append(segs,
			hl7.NewSegment("ORC", hl7.F("RE"), nil, hl7.F(id, "SANDBOX-EHR")),
			hl7.NewSegment("RXA", hl7.F("0"), hl7.F("1"), hl7.F(date), hl7.F(date), hl7.F(p.cvx, hl7.VaccineName(p.cvx), "CVX"),
				hl7.F(amount), unit, nil, source, nil, nil, nil, nil, nil, hl7.F(lot), nil, mfr, refusal, nil,
				hl7.F(status), hl7.F(action)))
	}
	m, _ := hl7.NewMessage(segs...)
	return hl7.Encode(m)
}
