package sandbox

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
	"github.com/ctwiz-nurse/ctwiz-nurse/sandbox/forecast"
)

// Authority is the assigning authority of the sandbox's registry IDs
// (PID-3 type SR); it says, in every record, that the data is synthetic.
const Authority = "SANDBOX"

// registry is the in-memory store: patients with their doses. Nothing is
// written to disk. Patients are indexed by every key a VXU or a query looks
// them up by, so storing and matching cost the same with 10 or 100,000
// patients on file; the lock is held only to look up and change the store,
// never while a message is read or a record evaluated.
type registry struct {
	mu       sync.RWMutex
	patients []*patient // in order of arrival, so answers are deterministic
	byID     map[string]*patient
	byIdent  map[hl7.Identifier]*patient // submitters' own IDs (MR, PI, ...): the first patient to bring each
	byLast   map[nameKey][]*patient      // birth date and matching last name, in order of arrival
	byFirst  map[nameKey][]*patient      // birth date and matching first name, in order of arrival
	doses    int                         // doses on file, all patients
	nextID   int
	nextDose int
	limits   Limits
}

// nameKey is a birth date with a name in its matching form (hl7.FoldName).
type nameKey struct {
	birth time.Time
	name  string
}

// maxIdentifiers is the most identifiers (PID-3, QPD-3 repetitions) read
// from a message or kept for a patient.
const maxIdentifiers = 20

type patient struct {
	seq                     int    // order of arrival
	version                 int    // counts the VXUs stored for the patient
	id                      string // registry ID (SR)
	ids                     []hl7.Identifier
	last, first, middle     string
	suffix                  string
	birth                   time.Time
	sex                     string
	motherLast, motherFirst string
	street, other           string
	city, state, zip        string
	phone                   string // digits
	multipleBirth           string
	birthOrder              string
	kin                     []kin
	// The names in their matching form (hl7.FoldName), computed once.
	normLast, normFirst, normMotherLast string
	// doses in order of arrival. A stored dose is never changed (an update
	// replaces it), so a copy of the slice can be read without the lock.
	// doseAt finds a dose by its key; holes counts the deleted doses a
	// message leaves as nil until compact.
	doses  []*dose
	doseAt map[string]int
	holes  int
}

type kin struct {
	last, first       string
	relCode, relText  string
	street, city      string
	state, zip, phone string
}

type dose struct {
	key          string // identity for update and delete: ORC-3, else ORC-2, else CVX and date
	id           string // ORC-3.1 as answered
	date         time.Time
	cvx, vaccine string
	amount, unit string
	source       string // RXA-9.1: 00 administered, 01-08 historical
	sourceText   string
	lot          string
	mvx, mfr     string
	refusal      string // RXA-18.1
	refusalText  string
	status       string // RXA-20: CP, RE, NA, PA
}

// firstRegistryID is the registry ID of the first patient stored.
const firstRegistryID = 9000001

func newRegistry(l Limits) *registry {
	return &registry{byID: map[string]*patient{}, byIdent: map[hl7.Identifier]*patient{},
		byLast: map[nameKey][]*patient{}, byFirst: map[nameKey][]*patient{},
		nextID: firstRegistryID, nextDose: 1, limits: l}
}

// hl7Error is one ERR segment to send.
type hl7Error struct {
	location []string // SEG, seq, field, rep, comp
	code     string   // HL7 table 0357
	severity string   // E, W, I
	app      string   // CDC table 0533
	message  string
}

var table0357 = map[string]string{
	"0": "Message accepted", "100": "Segment sequence error", "101": "Required field missing",
	"102": "Data type error", "103": "Table value not found", "200": "Unsupported message type",
	"201": "Unsupported event code", "202": "Unsupported processing id", "203": "Unsupported version id",
	"207": "Application internal error",
}

var table0533 = map[string]string{
	"1": "Illogical Date error", "2": "Invalid Date", "3": "Illogical Value error", "4": "Invalid value",
	"5": "Table value not found", "6": "Required observation missing", "7": "Required data missing",
	"8": "Data was ignored",
}

func (e hl7Error) segment() hl7.Segment {
	var app hl7.Field
	if e.app != "" {
		app = hl7.F(e.app, table0533[e.app], "HL70533")
	}
	return hl7.NewSegment("ERR", nil, hl7.F(e.location...), hl7.F(e.code, table0357[e.code], "HL70357"),
		hl7.F(e.severity), app, nil, nil, hl7.F(e.message))
}

func loc(seg string, seq, field int, comp ...int) []string {
	l := []string{seg, strconv.Itoa(seq), strconv.Itoa(field)}
	if len(comp) > 0 {
		l = append(l, "1")
		for _, c := range comp {
			l = append(l, strconv.Itoa(c))
		}
	}
	return l
}

// parseHL7Date reads an HL7 DT/DTM (YYYYMMDD[HHMM...]) as a calendar day.
func parseHL7Date(v string) (time.Time, bool) {
	if len(v) < 8 {
		return time.Time{}, false
	}
	t, err := time.Parse("20060102", v[:8])
	return t, err == nil
}

// ingestVXU stores the patient and doses of a VXU^V04 and says what was
// wrong; it never fails as a whole except for a missing or unusable PID, or
// a full store. Everything is read from the message and checked before the
// lock is taken.
func (r *registry) ingestVXU(m *hl7.Message, today time.Time) []hl7Error {
	pid, ok := m.First("PID")
	if !ok {
		return []hl7Error{{location: []string{"PID"}, code: "100", severity: "E", app: "7",
			message: "The VXU has no PID segment: nothing was stored"}}
	}
	var errs []hl7Error
	in := patient{
		last: pid.Value(5, 1, 1, 1), first: pid.Value(5, 1, 2, 1), middle: pid.Value(5, 1, 3, 1),
		suffix: pid.Value(5, 1, 4, 1), sex: strings.ToUpper(pid.Value(8, 1, 1, 1)),
		motherLast: pid.Value(6, 1, 1, 1), motherFirst: pid.Value(6, 1, 2, 1),
		street: pid.Value(11, 1, 1, 1), other: pid.Value(11, 1, 2, 1), city: pid.Value(11, 1, 3, 1),
		state: pid.Value(11, 1, 4, 1), zip: pid.Value(11, 1, 5, 1),
		phone:         hl7.Digits(pid.Value(13, 1, 6, 1) + pid.Value(13, 1, 7, 1)),
		multipleBirth: pid.Value(24, 1, 1, 1), birthOrder: pid.Value(25, 1, 1, 1),
	}
	if in.last == "" {
		errs = append(errs, hl7Error{loc("PID", 1, 5, 1), "101", "E", "7", "Patient last name (PID-5.1) is required: nothing was stored"})
	}
	if in.first == "" {
		errs = append(errs, hl7Error{loc("PID", 1, 5, 2), "101", "E", "7", "Patient first name (PID-5.2) is required: nothing was stored"})
	}
	birth, ok := parseHL7Date(pid.Value(7, 1, 1, 1))
	switch {
	case pid.Value(7, 1, 1, 1) == "":
		errs = append(errs, hl7Error{loc("PID", 1, 7), "101", "E", "7", "Patient birth date (PID-7) is required: nothing was stored"})
	case !ok:
		errs = append(errs, hl7Error{loc("PID", 1, 7), "102", "E", "2", "Patient birth date (PID-7) is not a date YYYYMMDD: nothing was stored"})
	case birth.After(today):
		errs = append(errs, hl7Error{loc("PID", 1, 7), "102", "E", "1", "Patient birth date (PID-7) is in the future: nothing was stored"})
	}
	if len(errs) > 0 {
		return errs
	}
	in.birth = birth
	in.normLast, in.normFirst, in.normMotherLast = hl7.FoldName(in.last), hl7.FoldName(in.first), hl7.FoldName(in.motherLast)
	var srID string
	reps := pid.Reps(3)
	if reps > maxIdentifiers {
		// Each repetition is found by scanning the field: bounded, so
		// reading them stays linear in the message.
		errs = append(errs, hl7Error{loc("PID", 1, 3), "0", "W", "8", fmt.Sprintf(
			"PID-3 holds %d identifiers; the sandbox reads the first %d: the rest were ignored", reps, maxIdentifiers)})
		reps = maxIdentifiers
	}
	for rep := 1; rep <= reps; rep++ {
		id := hl7.Identifier{ID: pid.Value(3, rep, 1, 1), Authority: pid.Value(3, rep, 4, 1), Type: pid.Value(3, rep, 5, 1)}
		switch {
		case id.ID == "":
		case id.Type == "SR":
			srID = id.ID
		default:
			in.ids = mergeIDs(in.ids, []hl7.Identifier{id})
		}
	}
	for nk := range m.All("NK1") {
		in.kin = append(in.kin, kin{
			last: nk.Value(2, 1, 1, 1), first: nk.Value(2, 1, 2, 1),
			relCode: nk.Value(3, 1, 1, 1), relText: nk.Value(3, 1, 2, 1),
			street: nk.Value(4, 1, 1, 1), city: nk.Value(4, 1, 3, 1), state: nk.Value(4, 1, 4, 1), zip: nk.Value(4, 1, 5, 1),
			phone: hl7.Digits(nk.Value(5, 1, 6, 1) + nk.Value(5, 1, 7, 1)),
		})
	}
	// Each RXA with the ORC before it.
	var changes []doseChange
	var orc hl7.Segment
	seq := 0
	for _, s := range m.Segments {
		switch s.Name {
		case "ORC":
			orc = s
		case "RXA":
			seq++
			changes = append(changes, readRXA(orc, s, seq, birth, today))
			orc = hl7.Segment{}
		}
	}

	r.mu.Lock()
	defer r.mu.Unlock()
	p := r.find(srID, in)
	if p == nil {
		if len(r.patients) >= r.limits.MaxPatients {
			return []hl7Error{{[]string{"PID"}, "207", "E", "", fmt.Sprintf(
				"The sandbox holds its limit of %d patients: this patient was not stored (restart the sandbox to empty it)", r.limits.MaxPatients)}}
		}
		p = &in
		p.seq = len(r.patients)
		p.id = strconv.Itoa(r.nextID)
		r.nextID++
		p.doseAt = map[string]int{}
		r.patients = append(r.patients, p)
		r.byID[p.id] = p
		r.index(p)
	} else {
		r.unindexNames(p)
		keep := *p
		*p = in
		p.seq, p.version, p.id, p.doses, p.doseAt, p.holes = keep.seq, keep.version, keep.id, keep.doses, keep.doseAt, keep.holes
		p.ids = mergeIDs(slices.Clip(keep.ids), in.ids)
		p.ids = p.ids[:min(len(p.ids), maxIdentifiers)]
		if len(in.kin) == 0 {
			p.kin = keep.kin
		}
		r.index(p)
	}
	p.version++
	// The doses go in by batches, letting queries in between: a VXU with
	// 200,000 RXA must not hold up everyone else.
	for i, c := range changes {
		if i > 0 && i%doseBatch == 0 {
			p.compact()
			r.mu.Unlock()
			r.mu.Lock()
			p.version++
		}
		if c.err != nil {
			errs = append(errs, *c.err)
		} else if e := r.apply(p, c); e != nil {
			errs = append(errs, *e)
		}
	}
	p.compact()
	return errs
}

// doseBatch is how many RXA are stored at a time under the lock.
const doseBatch = 1000

// find returns the stored patient a VXU is about: by registry ID, by the
// submitter's own ID, else by exact name and birth date; the first to
// arrive when several fit.
func (r *registry) find(srID string, in patient) *patient {
	if p := r.byID[srID]; p != nil {
		return p
	}
	var found *patient
	for _, id := range in.ids {
		if p := r.byIdent[id]; p != nil && (found == nil || p.seq < found.seq) {
			found = p
		}
	}
	if found != nil {
		return found
	}
	// Whoever has both names is on both lists: walk the shorter.
	list := r.byLast[nameKey{in.birth, in.normLast}]
	if other := r.byFirst[nameKey{in.birth, in.normFirst}]; len(other) < len(list) {
		list = other
	}
	for _, p := range list {
		if p.normLast == in.normLast && p.normFirst == in.normFirst {
			return p
		}
	}
	return nil
}

// index files p under its identifiers and names.
func (r *registry) index(p *patient) {
	for _, id := range p.ids {
		if r.byIdent[id] == nil {
			r.byIdent[id] = p
		}
	}
	insert := func(m map[nameKey][]*patient, k nameKey) {
		list := m[k]
		i, _ := slices.BinarySearchFunc(list, p.seq, func(q *patient, seq int) int { return q.seq - seq })
		m[k] = slices.Insert(list, i, p)
	}
	insert(r.byLast, nameKey{p.birth, p.normLast})
	insert(r.byFirst, nameKey{p.birth, p.normFirst})
}

// unindexNames takes p off its name lists, before its names change.
func (r *registry) unindexNames(p *patient) {
	remove := func(m map[nameKey][]*patient, k nameKey) {
		list := slices.DeleteFunc(m[k], func(q *patient) bool { return q == p })
		if len(list) == 0 {
			delete(m, k)
		} else {
			m[k] = list
		}
	}
	remove(r.byLast, nameKey{p.birth, p.normLast})
	remove(r.byFirst, nameKey{p.birth, p.normFirst})
}

func mergeIDs(have, add []hl7.Identifier) []hl7.Identifier {
	for _, id := range add {
		if !slices.Contains(have, id) {
			have = append(have, id)
		}
	}
	return have
}

// doseChange is one RXA as read: the dose and what to do with it, or why
// nothing can be done.
type doseChange struct {
	seq    int
	action string // A, U or D
	d      *dose
	err    *hl7Error
}

// readRXA reads and checks one RXA (with the ORC before it, if any) of a
// patient born on birth.
func readRXA(orc, rxa hl7.Segment, seq int, birth, today time.Time) doseChange {
	fail := func(e hl7Error) doseChange { return doseChange{seq: seq, err: &e} }
	d := &dose{
		cvx: rxa.Value(5, 1, 1, 1), vaccine: rxa.Value(5, 1, 2, 1),
		amount: rxa.Value(6, 1, 1, 1), unit: rxa.Value(7, 1, 1, 1),
		source: rxa.Value(9, 1, 1, 1), sourceText: rxa.Value(9, 1, 2, 1),
		lot: rxa.Value(15, 1, 1, 1), mvx: rxa.Value(17, 1, 1, 1), mfr: rxa.Value(17, 1, 2, 1),
		refusal: rxa.Value(18, 1, 1, 1), refusalText: rxa.Value(18, 1, 2, 1),
		status: strings.ToUpper(rxa.Value(20, 1, 1, 1)),
	}
	if d.status == "" {
		d.status = "CP"
	}
	action := strings.ToUpper(rxa.Value(21, 1, 1, 1))
	if action == "" {
		action = "A"
	}
	date, ok := parseHL7Date(rxa.Value(3, 1, 1, 1))
	switch {
	case rxa.Value(3, 1, 1, 1) == "":
		return fail(hl7Error{loc("RXA", seq, 3), "101", "E", "7", "Vaccination date (RXA-3) is required: this vaccination was not stored"})
	case !ok:
		return fail(hl7Error{loc("RXA", seq, 3), "102", "E", "2", "Vaccination date (RXA-3) is not a date YYYYMMDD: this vaccination was not stored"})
	case date.Before(birth):
		return fail(hl7Error{loc("RXA", seq, 3), "102", "E", "1", "Vaccination date (RXA-3) is before the birth date: this vaccination was not stored"})
	case date.After(today):
		return fail(hl7Error{loc("RXA", seq, 3), "102", "E", "1", "Vaccination date (RXA-3) is in the future: this vaccination was not stored"})
	}
	d.date = date
	switch {
	case d.cvx == "":
		return fail(hl7Error{loc("RXA", seq, 5, 1), "101", "E", "7", "Vaccine code (RXA-5.1, CVX) is required: this vaccination was not stored"})
	case d.cvx == "998":
		return fail(hl7Error{loc("RXA", seq, 5, 1), "0", "W", "8", "RXA with CVX 998 (no vaccine administered) is not a vaccination: ignored"})
	case hl7.VaccineName(d.cvx) == "":
		return fail(hl7Error{loc("RXA", seq, 5, 1), "103", "E", "5", fmt.Sprintf("Vaccine code %q (RXA-5.1) is not a CVX code: this vaccination was not stored", d.cvx)})
	}
	if d.vaccine == "" {
		d.vaccine = hl7.VaccineName(d.cvx)
	}
	if !slices.Contains([]string{"CP", "RE", "NA", "PA"}, d.status) {
		return fail(hl7Error{loc("RXA", seq, 20), "103", "E", "5", fmt.Sprintf("Completion status %q (RXA-20) is not CP, RE, NA or PA: this vaccination was not stored", d.status)})
	}
	if action != "A" && action != "U" && action != "D" {
		return fail(hl7Error{loc("RXA", seq, 21), "103", "E", "5", fmt.Sprintf("Action code %q (RXA-21) is not A, U or D: this vaccination was not stored", action)})
	}
	d.id = orc.Value(3, 1, 1, 1)
	switch {
	case d.id != "":
		d.key = "F:" + d.id + "^" + orc.Value(3, 1, 2, 1)
	case orc.Value(2, 1, 1, 1) != "":
		d.key = "P:" + orc.Value(2, 1, 1, 1) + "^" + orc.Value(2, 1, 2, 1)
	default:
		d.key = "V:" + hl7.NormCVX(d.cvx) + "^" + date.Format("20060102")
	}
	return doseChange{seq: seq, action: action, d: d}
}

// apply adds, updates or deletes one dose of p; it says what was unusual.
func (r *registry) apply(p *patient, c doseChange) *hl7Error {
	d := c.d
	if d.id == "" {
		d.id = "SB" + strconv.Itoa(r.nextDose)
		r.nextDose++
	}
	i, onFile := p.doseAt[d.key]
	switch {
	case c.action == "D" && !onFile:
		return &hl7Error{loc("RXA", c.seq, 21), "0", "W", "3", "No such vaccination on file to delete: nothing was deleted"}
	case c.action == "D":
		p.doses[i] = nil // compact closes the gap, once for the whole message
		p.holes++
		delete(p.doseAt, d.key)
		r.doses--
	case onFile:
		d.id = p.doses[i].id
		p.doses[i] = d
		if c.action == "A" {
			return &hl7Error{loc("RXA", c.seq, 21), "0", "W", "3", "This vaccination was already on file: it was updated"}
		}
	case len(p.doses)-p.holes >= r.limits.MaxDosesPerPatient:
		return &hl7Error{loc("RXA", c.seq, 21), "207", "E", "", fmt.Sprintf(
			"The sandbox keeps at most %d vaccinations per patient: this vaccination was not stored", r.limits.MaxDosesPerPatient)}
	case r.doses >= r.limits.MaxDoses:
		return &hl7Error{loc("RXA", c.seq, 21), "207", "E", "", fmt.Sprintf(
			"The sandbox holds its limit of %d vaccinations in all: this vaccination was not stored (restart the sandbox to empty it)", r.limits.MaxDoses)}
	default:
		p.doseAt[d.key] = len(p.doses)
		p.doses = append(p.doses, d)
		r.doses++
		if c.action == "U" {
			return &hl7Error{loc("RXA", c.seq, 21), "0", "W", "3", "No such vaccination on file to update: it was added"}
		}
	}
	return nil
}

// compact closes the gaps deleted doses left, keeping the order of arrival.
func (p *patient) compact() {
	if p.holes == 0 {
		return
	}
	kept := p.doses[:0]
	for _, d := range p.doses {
		if d != nil {
			p.doseAt[d.key] = len(kept)
			kept = append(kept, d)
		}
	}
	clear(p.doses[len(kept):])
	p.doses, p.holes = kept, 0
}

// snapshot copies a patient under the read lock, so answers are built
// without holding it. The doses themselves are shared: they never change.
func (p *patient) snapshot() *patient {
	c := p.demographics()
	c.doses = slices.Clone(p.doses)
	return c
}

// demographics copies a patient without the doses, for a candidate list.
func (p *patient) demographics() *patient {
	c := *p
	c.ids = slices.Clone(p.ids)
	c.kin = slices.Clone(p.kin)
	c.doses, c.doseAt = nil, nil
	return &c
}

// sortedDoses returns the doses in date order (stable for equal dates).
func (p *patient) sortedDoses() []*dose {
	out := slices.Clone(p.doses)
	slices.SortStableFunc(out, func(a, b *dose) int { return a.date.Compare(b.date) })
	return out
}

func (p *patient) evaluate(today time.Time) (forecast.Result, []*dose, error) {
	doses := p.sortedDoses()
	in := make([]forecast.Dose, len(doses))
	for i, d := range doses {
		in[i] = forecast.Dose{Date: d.date, CVX: d.cvx, Status: d.status}
	}
	res, err := forecast.Evaluate(p.birth, in, today)
	return res, doses, err
}
