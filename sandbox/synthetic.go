package sandbox

import (
	"encoding/csv"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ctwiz-nurse/ctwiz-nurse/cdsi"
	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
)

// Synthetic is a generated school for trying and testing a roster run
// (ctwiz-nurse sandbox --synthetic N): the students of its roster, each
// with the outcome a check must give (Truth), and the registry's side of
// them (their records, and others sharing their names and birth dates).
//
// The truth is not computed from the records: the generator first chooses
// each student's outcome and then writes the doses that give it (a
// routine record with chosen doses left out, or a late series started
// recently), so a test comparing a roster run with the truth compares two
// independent paths.
type Synthetic struct {
	// Day is the check date the truths hold for: the sandbox's day.
	Day time.Time
	// Roster are the roster's students in the roster's order (by name,
	// as student information systems export a class).
	Roster []RosterStudent
	// stored are the records to store, in order: the roster students
	// with one and the others (Roster[i].stored indexes it).
	stored []Student
}

// RosterStudent is one row of the synthetic roster.
type RosterStudent struct {
	Number              string // the school's student number
	Last, First, Middle string // as the school lists her (a nickname for some)
	Born                string // YYYY-MM-DD
	Sex                 string // F or M
	Grade               string // PK, K, 1-12 (schoolentry.Grade)
	Case                string // what the row shows, in words
	Truth               Truth
	stored              int // index in Synthetic.stored of her record, -1 for none
}

// Truth is what a roster run must report for a synthetic student on
// Synthetic.Day. Outcome is one of the roster's outcome words:
// compliant, in_process, not_compliant, not_found, needs_review,
// too_many.
type Truth struct {
	Outcome string
	// Record is the school-entry check of her own record: the same as
	// Outcome for a student found at once; for needs_review and too_many
	// what her record gives once the nurse picks it; empty when she has
	// none (not_found).
	Record string
	// Missing are the requirements not met (schoolentry's vaccine names,
	// in the order of the rules), when Record is not_compliant.
	Missing []string
	// NextDate is the ISO date the next dose can be given, when Record
	// is in_process.
	NextDate string
	// RegistryID is her record's registry ID, once stored (Server.New
	// with Options.Synthetic); empty when she has none.
	RegistryID string
	// Candidates is how many patients the registry lists for her row
	// (needs_review), or finds too many of (too_many: more than 10).
	Candidates int
}

// The outcome words of Truth, as the roster package writes them.
const (
	synCompliant    = "compliant"
	synInProcess    = "in_process"
	synNotCompliant = "not_compliant"
	synNotFound     = "not_found"
	synNeedsReview  = "needs_review"
	synTooMany      = "too_many"
)

// units is the cycle of what the generator makes next, so that every
// case appears in any roster of 20 rows or more and a roster of any size
// has them in the same proportions. Each unit gives one roster row or
// more.
var units = []string{
	"single", "single", "absent", "single", "twins", "nickname", "single", "cluster", "single", "absent",
	"single", "twin-nickname", "single", "single", "cluster-nickname", "single", "too-many", "single", "single", "single",
}

// records is the cycle of what a student's record gives: 60% compliant,
// 25% not compliant, 15% in process.
var records = []string{
	synCompliant, synNotCompliant, synCompliant, synInProcess, synCompliant, synCompliant, synNotCompliant,
	synCompliant, synCompliant, synNotCompliant, synCompliant, synInProcess, synCompliant, synNotCompliant,
	synCompliant, synCompliant, synNotCompliant, synInProcess, synCompliant, synCompliant,
}

// grades is the cycle of the units' grades: mostly the entry grades a
// nurse checks each fall (kindergarten, 7th), some others.
var grades = []string{"K", "7", "K", "7", "1", "K", "7", "4", "9", "K", "7", "12", "K", "7", "3"}

// requirementOrder is the order of schoolentry's rules, the order of
// Truth.Missing.
var requirementOrder = []string{"DTaP/Tdap/Td", "Tdap", "Polio", "MMR", "HepB", "Varicella", "Hib", "Pneumococcal", "HepA", "Influenza", "MenACWY"}

// gaps are the ways a record is not compliant: the routine doses left
// out, and the requirement that is then missing. Each applies to some
// grades only (the Tdap given at 11 counts toward DTaP/Tdap/Td from
// grade 7, so leaving out the 4-year DTaP misses nothing there).
var gaps = []struct {
	requirement string
	drop        []string // "vaccine age" of routine
	from, to    int      // grades (K = 0)
}{
	{"DTaP/Tdap/Td", []string{"DTaP 4y"}, 0, 6},
	{"Tdap", []string{"Tdap 11y"}, 7, 12},
	{"Polio", []string{"IPV 4y"}, 0, 12},
	{"MMR", []string{"MMR 4y"}, 0, 12},
	{"Varicella", []string{"Varicella 4y"}, 0, 12},
	{"HepA", []string{"HepA 12m", "HepA 18m"}, 0, 12},
	{"MenACWY", []string{"MenACWY 11y", "MenACWY 16y"}, 7, 12},
}

// Names for synthetic students: common in Connecticut schools, a few
// with an apostrophe, a hyphen or an accent as registries hold them.
var (
	lastNames = []string{"RODRIGUEZ", "SMITH", "JOHNSON", "WILLIAMS", "BROWN", "JONES", "GARCIA", "MILLER", "DAVIS", "MARTINEZ",
		"LOPEZ", "GONZALEZ", "WILSON", "ANDERSON", "THOMAS", "TAYLOR", "MOORE", "JACKSON", "MARTIN", "LEE",
		"PEREZ", "THOMPSON", "WHITE", "HARRIS", "SANCHEZ", "CLARK", "RAMIREZ", "LEWIS", "ROBINSON", "WALKER",
		"NGUYEN", "PATEL", "KOWALSKI", "O'CONNOR", "MURPHY", "SULLIVAN", "RIVERA", "TORRES", "FLORES", "COLÓN",
		"ORTIZ", "CRUZ", "REYES", "MORALES", "ROSSI", "ESPOSITO", "BIANCHI", "COHEN", "KIM", "CHEN",
		"OKAFOR", "MENSAH", "SHAH", "SINGH", "BAPTISTE", "PIERRE", "SANTOS", "SILVA", "FERREIRA", "NOVAK",
		"MÜLLER", "SCHMIDT", "DUBOIS", "MORIN", "CARTER-HAYES", "BENNETT", "HUGHES", "PRICE", "BROOKS", "FOSTER"}
	girls = []string{"Olivia", "Emma", "Charlotte", "Amelia", "Sophia", "Mia", "Isabella", "Ava", "Evelyn", "Luna",
		"Harper", "Camila", "Sofía", "Scarlett", "Elizabeth", "Eleanor", "Emily", "Chloe", "Mila", "Violet",
		"Penelope", "Gianna", "Aria", "Abigail", "Ella", "Avery", "Hazel", "Nora", "Layla", "Lily",
		"Aaliyah", "Nevaeh", "Zoe", "Maya", "Priya", "Ananya", "Fatima", "Amara", "Valentina", "Ximena"}
	boys = []string{"Liam", "Noah", "Oliver", "James", "Elijah", "Mateo", "Theodore", "Henry", "Lucas", "William",
		"Benjamin", "Levi", "Sebastian", "Jack", "Ezra", "Michael", "Daniel", "Leo", "Owen", "Samuel",
		"Hudson", "Alexander", "Asher", "Luca", "Ethan", "John", "David", "Jackson", "Joseph", "Mason",
		"Luis", "Santiago", "Aarav", "Omar", "Kwame", "Jayden", "Isaiah", "Carlos", "Dmitri", "Andrés"}
	middles = []string{"", "", "Marie", "Grace", "Rose", "Ann", "James", "Lee", "Alexander", "Jose", "Elizabeth", "Michael"}
	// nicknames are the names a school lists a student by when the
	// registry has the full name: the school's row then matches no one
	// exactly, and the registry lists candidates.
	nicknames = map[string]string{
		"Elizabeth": "Liz", "Abigail": "Abby", "Isabella": "Bella", "Penelope": "Penny", "Eleanor": "Ellie",
		"Valentina": "Vale", "Alexander": "Alex", "Benjamin": "Ben", "William": "Will", "Theodore": "Teddy",
		"Sebastian": "Seb", "Michael": "Mike", "Daniel": "Dan", "Samuel": "Sam", "Joseph": "Joe",
	}
	towns = []struct{ city, zip, area string }{
		{"Hartford", "06105", "860"}, {"New Haven", "06511", "203"}, {"Bridgeport", "06604", "203"},
		{"Waterbury", "06702", "203"}, {"Norwalk", "06850", "203"}, {"New Britain", "06051", "860"},
		{"Danbury", "06810", "203"}, {"Meriden", "06450", "203"}, {"Bristol", "06010", "860"}, {"Norwich", "06360", "860"},
	}
	streets = []string{"Main St", "Elm St", "Park Ave", "Church St", "Maple Ave", "Oak St", "Washington St", "High St", "Prospect St", "Broad St"}
)

// Synthesize generates a school of n roster students from seed, their
// records as they stand on day, and the truth of each for a check on
// day. The same n, seed and day always give the same school. Birth dates
// and names never fall on those of the built-in students, so each
// student's matches are only the ones the generator intends.
func Synthesize(n int, seed uint64, day time.Time) (*Synthetic, error) {
	if n < 1 {
		return nil, fmt.Errorf("synthetic students: %d: give a number from 1", n)
	}
	if n > maxSynthetic {
		return nil, fmt.Errorf("synthetic students: %d is more than the sandbox makes (%d)", n, maxSynthetic)
	}
	day = time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC)
	g := &generator{rng: rand.New(rand.NewPCG(seed, 0x5c4001)), day: day, syn: &Synthetic{Day: day},
		last: map[string]int{}, first: map[string]int{}, full: map[string]bool{}, frozen: map[string]bool{}}
	for _, s := range Students() {
		g.note(s)
	}
	g.note(NotFound)
	for u := 0; len(g.syn.Roster) < n; u++ {
		if err := g.unit(units[u%len(units)], grades[u%len(grades)], n-len(g.syn.Roster)); err != nil {
			return nil, err
		}
	}
	for i := range g.syn.Roster {
		g.syn.Roster[i].Number = strconv.Itoa(100001 + 7*i) // in the order of enrolment, not of names
	}
	slices.SortStableFunc(g.syn.Roster, func(a, b RosterStudent) int {
		return strings.Compare(a.Last+"\x00"+a.First+"\x00"+a.Born, b.Last+"\x00"+b.First+"\x00"+b.Born)
	})
	return g.syn, nil
}

// maxSynthetic bounds --synthetic: the sandbox's own patient limit is far
// above it, decoys included.
const maxSynthetic = 20_000

type generator struct {
	rng *rand.Rand
	day time.Time
	syn *Synthetic
	// The registry's names by birth date, as the sandbox matches them
	// (hl7.FoldName): how many patients have each birth date and last name,
	// each birth date and first name, and which full names are taken.
	last, first map[string]int
	full        map[string]bool
	// frozen are birth-date-and-name keys a roster row's answer depends
	// on: no other patient may take them.
	frozen  map[string]bool
	records int // students given a record so far, for the records cycle
}

func key(born, name string) string { return born + "|" + hl7.FoldName(name) }

// note files a patient about to be stored.
func (g *generator) note(s Student) {
	g.last[key(s.Born, s.Last)]++
	g.first[key(s.Born, s.First)]++
	g.full[key(s.Born, s.Last+" "+s.First)] = true
}

// free says whether a new patient with these names and birth date can be
// stored without changing any answer already decided.
func (g *generator) free(born, last, first string) bool {
	return !g.full[key(born, last+" "+first)] && !g.frozen[key(born, last)] && !g.frozen[key(born, first)]
}

// born picks a birth date for a grade in the school year of the day: a
// kindergartner is 5 on 1 September, a 7th grader 12.
func (g *generator) born(grade string) string {
	age := 5 + gradeNumber(grade)
	y := g.day.Year()
	if g.day.Month() < time.August {
		y--
	}
	latest := time.Date(y-age, time.September, 1, 0, 0, 0, 0, time.UTC)
	return latest.AddDate(0, 0, -g.rng.IntN(365)).Format(time.DateOnly)
}

// gradeNumber is K 0, grade n n.
func gradeNumber(grade string) int {
	n, _ := strconv.Atoi(grade)
	return n
}

func (g *generator) pick(list []string) string { return list[g.rng.IntN(len(list))] }

// person draws a new student of the grade not yet in the registry:
// names, birth date (born, when given), sex, family.
func (g *generator) person(grade, born, last string, firsts []string) Student {
	for {
		b, l := born, last
		if b == "" {
			b = g.born(grade)
		}
		if l == "" {
			l = g.pick(lastNames)
		}
		sex, names := "F", girls
		if g.rng.IntN(2) == 1 {
			sex, names = "M", boys
		}
		if firsts != nil {
			names = firsts
			sex = "F"
			if slices.Contains(boys, names[0]) {
				sex = "M"
			}
		}
		f := g.pick(names)
		if !g.free(b, l, f) {
			continue
		}
		t := towns[g.rng.IntN(len(towns))]
		motherFirst := g.pick(girls)
		phone := t.area + "555" + fmt.Sprintf("%04d", 100+g.rng.IntN(9900))
		return Student{Last: l, First: f, Middle: g.pick(middles), Born: b, Sex: sex,
			mother:  [2]string{g.pick(lastNames), motherFirst},
			address: [4]string{fmt.Sprintf("%d %s", 1+g.rng.IntN(400), g.pick(streets)), t.city, t.zip, phone}}
	}
}

// store gives s a record that checks as want for the grade, files it,
// and returns its index in stored and the truth of the record.
func (g *generator) store(s Student, grade, want string) (int, Truth) {
	t := Truth{Record: want}
	n := gradeNumber(grade)
	var drop []string
	var extra []string
	switch want {
	case synNotCompliant:
		var can []int
		for i, gp := range gaps {
			if n >= gp.from && n <= gp.to {
				can = append(can, i)
			}
		}
		chosen := []int{can[g.rng.IntN(len(can))]}
		if g.rng.IntN(3) == 0 { // a third miss two requirements
			if other := can[g.rng.IntN(len(can))]; other != chosen[0] {
				chosen = append(chosen, other)
			}
		}
		for _, i := range chosen {
			drop = append(drop, gaps[i].drop...)
			t.Missing = append(t.Missing, gaps[i].requirement)
		}
		slices.SortFunc(t.Missing, func(a, b string) int {
			return slices.Index(requirementOrder, a) - slices.Index(requirementOrder, b)
		})
	case synInProcess:
		// A series caught up late: one dose given in the last months,
		// the next not yet due.
		if g.rng.IntN(2) == 0 {
			given := g.day.AddDate(0, 0, -20-g.rng.IntN(130))
			drop = []string{"HepA 12m", "HepA 18m"}
			extra = []string{"HepA " + given.Format(time.DateOnly)}
			t.NextDate = cdsi.Span{Months: 6}.From(given).Format(time.DateOnly)
		} else {
			given := g.day.AddDate(0, 0, -10-g.rng.IntN(40))
			drop = []string{"HepB 2m", "HepB 6m"}
			extra = []string{"HepB " + given.Format(time.DateOnly)}
			t.NextDate = cdsi.Span{Weeks: 8}.From(given).Format(time.DateOnly)
		}
	}
	s.doses = append(g.routine(s.Born, n, drop), extra...)
	s.mr = fmt.Sprintf("SY%06d", len(g.syn.stored)+1)
	g.note(s)
	g.syn.stored = append(g.syn.stored, s)
	return len(g.syn.stored) - 1, t
}

// routine is a record on schedule up to a month before the day, without
// the doses in drop ("vaccine age"). Adolescent doses (11 years on) are
// there from grade 7: a younger student's record stops before them.
func (g *generator) routine(born string, grade int, drop []string) []string {
	b, _ := time.Parse(time.DateOnly, born)
	cutoff := g.day.AddDate(0, -1, 0)
	adolescent := addAge(b, "11y")
	var out []string
	for _, d := range routine {
		at := addAge(b, d.age)
		if at.After(cutoff) || slices.Contains(drop, d.vaccine+" "+d.age) || (grade < 7 && !at.Before(adolescent)) {
			continue
		}
		out = append(out, d.vaccine+" "+at.Format(time.DateOnly))
	}
	return out
}

// row adds a roster row for s as the school lists her (first may be a
// nickname), with her record at stored (-1 for none).
func (g *generator) row(s Student, first, grade string, stored int, t Truth, what string) {
	if stored >= 0 {
		g.syn.stored[stored].Case = what
	}
	g.syn.Roster = append(g.syn.Roster, RosterStudent{Last: s.Last, First: first, Middle: s.Middle, Born: s.Born,
		Sex: s.Sex, Grade: grade, Case: what, Truth: t, stored: stored})
}

// nextRecord is the next outcome of the records cycle.
func (g *generator) nextRecord() string {
	r := records[g.records%len(records)]
	g.records++
	return r
}

// unit makes one unit of the cycle (see units), giving at most room rows.
func (g *generator) unit(kind, grade string, room int) error {
	found := func(s Student, want string, what string) {
		i, t := g.store(s, grade, want)
		t.Outcome = want
		g.row(s, s.First, grade, i, t, what)
	}
	switch kind {
	case "single":
		found(g.person(grade, "", "", nil), g.nextRecord(), "one record")
	case "absent":
		// Not in the registry: no one shares her birth date with her
		// last or first name, so the registry finds no one.
		for {
			s := g.person(grade, "", "", nil)
			if g.last[key(s.Born, s.Last)] == 0 && g.first[key(s.Born, s.First)] == 0 {
				g.frozen[key(s.Born, s.Last)], g.frozen[key(s.Born, s.First)] = true, true
				g.row(s, s.First, grade, -1, Truth{Outcome: synNotFound}, "not in the registry")
				return nil
			}
		}
	case "twins":
		a := g.person(grade, "", "", nil)
		b := g.twin(&a, grade)
		found(a, g.nextRecord(), "twin: her full name finds her own record")
		if room > 1 {
			found(b, g.nextRecord(), "twin: his or her full name finds the own record")
		} else {
			g.store(b, grade, synCompliant)
		}
	case "cluster":
		// Unrelated students with a common last name and the same
		// birth date: each full name still finds one record.
		a := g.person(grade, "", g.pick(lastNames[:10]), nil)
		found(a, g.nextRecord(), "common name: others share her last name and birth date")
		for i := 1; i < 3; i++ {
			o := g.person(grade, a.Born, a.Last, nil)
			if room > i {
				found(o, g.nextRecord(), "common name: others share the last name and birth date")
			} else {
				g.store(o, grade, synCompliant)
			}
		}
	case "nickname":
		s := g.nicknamed(grade, "")
		g.review(s, grade, 1, "listed by a nickname: the registry lists one candidate")
		g.freeze(s)
	case "twin-nickname":
		a := g.nicknamed(grade, "")
		b := g.twin(&a, grade)
		g.review(a, grade, 2, "twin listed by a nickname: the registry lists both twins")
		if room > 1 {
			found(b, g.nextRecord(), "twin of a student listed by a nickname: the full name finds the own record")
		} else {
			g.store(b, grade, synCompliant)
		}
		g.freeze(a)
	case "cluster-nickname":
		a := g.nicknamed(grade, g.pick(lastNames[:10]))
		g.review(a, grade, 3, "common name listed by a nickname: the registry lists three candidates")
		for i := 0; i < 2; i++ {
			o := g.person(grade, a.Born, a.Last, nil)
			if room > i+1 {
				found(o, g.nextRecord(), "common name: others share the last name and birth date")
			} else {
				g.store(o, grade, synCompliant)
			}
		}
		g.freeze(a)
	case "too-many":
		// Eleven others with her last name and birth date, none in the
		// school: more than the registry lists.
		a := g.nicknamed(grade, "")
		g.review(a, grade, 12, "listed by a nickname, and eleven others share her last name and birth date: too many to list")
		for i := 0; i < 11; i++ {
			g.store(g.person(grade, a.Born, a.Last, nil), grade, synCompliant)
		}
		g.freeze(a)
	default:
		return fmt.Errorf("synthetic students: unknown unit %q", kind)
	}
	return nil
}

// nicknamed draws a student whose name has a nickname, not yet in the
// registry, and whose nickname no one born that day has.
func (g *generator) nicknamed(grade, last string) Student {
	full := slices.Sorted(maps.Keys(nicknames))
	for {
		s := g.person(grade, "", last, []string{g.pick(full)})
		if g.first[key(s.Born, nicknames[s.First])] == 0 && g.last[key(s.Born, s.Last)] == 0 && !g.frozen[key(s.Born, s.Last)] {
			return s
		}
	}
}

// twin draws a twin of a (marked as one): same last name, birth date,
// mother and home, another first name.
func (g *generator) twin(a *Student, grade string) Student {
	a.multipleBirth, a.birthOrder = "Y", "1"
	for {
		b := g.person(grade, a.Born, a.Last, nil)
		if b.Born != a.Born || b.Last != a.Last || hl7.FoldName(b.First) == hl7.FoldName(a.First) {
			continue
		}
		b.mother, b.address, b.multipleBirth, b.birthOrder = a.mother, a.address, "Y", "2"
		return b
	}
}

// review stores s and adds her row as the school lists her, by her
// nickname: candidates (needs_review) or too many (too_many).
func (g *generator) review(s Student, grade string, candidates int, what string) {
	i, t := g.store(s, grade, g.nextRecord())
	t.Outcome, t.Candidates = synNeedsReview, candidates
	if candidates > 10 {
		t.Outcome = synTooMany
	}
	g.row(s, nicknames[s.First], grade, i, t, what)
	g.frozen[key(s.Born, nicknames[s.First])] = true
}

// freeze keeps everyone else off a's last name and birth date, whose
// candidates a row counts.
func (g *generator) freeze(a Student) { g.frozen[key(a.Born, a.Last)] = true }

// WriteRoster writes the roster as a student information system exports
// a class (PowerSchool's column names, US dates, CRLF): Student_Number,
// Last_Name, First_Name, Middle_Name, DOB, Gender, Grade_Level.
func (s *Synthetic) WriteRoster(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	_ = cw.Write([]string{"Student_Number", "Last_Name", "First_Name", "Middle_Name", "DOB", "Gender", "Grade_Level"})
	for _, r := range s.Roster {
		b, _ := time.Parse(time.DateOnly, r.Born)
		grade := r.Grade
		if n, err := strconv.Atoi(grade); err == nil {
			grade = fmt.Sprintf("%02d", n)
		}
		_ = cw.Write([]string{r.Number, r.Last, r.First, r.Middle, b.Format("01/02/2006"), r.Sex, grade})
	}
	cw.Flush()
	return cw.Error()
}

// storeSynthetic stores the school's records through the same path as
// any submission and gives each roster student her registry ID.
func (s *Server) storeSynthetic(syn *Synthetic) error {
	if day := s.now(); syn.Day.Format(time.DateOnly) != day.Format(time.DateOnly) {
		return fmt.Errorf("the synthetic students were made for %s, not the sandbox's day %s", syn.Day.Format(time.DateOnly), day.Format(time.DateOnly))
	}
	ids := make([]string, len(syn.stored))
	for i, st := range syn.stored {
		if err := s.seed(st.vxu(i+1, st.doses, "A")); err != nil {
			return fmt.Errorf("synthetic student %d: %w", i+1, err)
		}
		s.reg.mu.RLock()
		p := s.reg.byIdent[hl7.Identifier{ID: st.mr, Authority: "SANDBOX-EHR", Type: "MR"}]
		s.reg.mu.RUnlock()
		if p == nil {
			return fmt.Errorf("synthetic student %d was not stored", i+1)
		}
		ids[i] = p.id
	}
	for i := range syn.Roster {
		if r := &syn.Roster[i]; r.stored >= 0 {
			r.Truth.RegistryID = ids[r.stored]
		}
	}
	return nil
}
