package hl7

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ErrNotReply is returned by Decode for an HL7 message that is neither an
// RSP nor an ACK.
var ErrNotReply = errors.New("not an RSP or ACK reply")

// ControlIDError reports a reply whose MSA-2 does not name the query it is
// supposed to answer: its data may belong to someone else's query.
type ControlIDError struct {
	Want, Got string
}

func (e *ControlIDError) Error() string {
	return fmt.Sprintf("the reply answers message %q, not this query (%q)", e.Got, e.Want)
}

// LOINC codes of the evaluation and forecast OBX (see the reference).
const (
	loincVaccineGroup   = "30956-7"
	loincComponentType  = "38890-0"
	loincDueNext        = "30979-9"
	loincSeriesName     = "59780-7"
	loincGroupStatus    = "30999-1" // NYC CIR's local "vaccine group recommendation status"
	loincSchedule       = "59779-9"
	loincDoseNumber     = "30973-2"
	loincDosesInSeries  = "59782-3"
	loincDoseValidity   = "59781-5"
	loincReason         = "30982-3"
	loincSeriesStatus   = "59783-1"
	loincEarliest       = "30981-5"
	loincDue            = "30980-7"
	loincOverdue        = "59778-1"
	loincLatest         = "59777-3"
	cvxNoVaccine        = "998"
	rxaActionDeleted    = "D"
	rxaSourceNewRecord  = "00"
	maxWarningsReported = 50
)

// Decode parses an RSP^K11 or ACK and decodes it into the record a nurse
// sees. When controlID is not empty and MSA-2 differs, the decoded
// response is returned with a *ControlIDError. Input that is not HL7
// gives an error wrapping ErrNotHL7; an HL7 message that is not a reply,
// ErrNotReply. Anything else unexpected is skipped and named in
// Response.Warnings.
func Decode(data []byte, controlID string) (*Response, error) {
	if err := checkSegmentCount(data); err != nil {
		return nil, err
	}
	m, err := Parse(data)
	if err != nil {
		return nil, err
	}
	// Fewer repetition separators in the whole reply than one field may
	// hold: no field can be past MaxRepetitions. The usual case, counted
	// fast, where checkLimits would look through every segment.
	fewReps := m.Delims.Repetition == 0 || bytes.Count(data, []byte{m.Delims.Repetition}) < MaxRepetitions
	return decodeMessage(m, controlID, fewReps)
}

// DecodeMessage decodes a parsed message, as Decode does.
func DecodeMessage(m *Message, controlID string) (*Response, error) {
	return decodeMessage(m, controlID, false)
}

// decodeMessage is DecodeMessage; fewReps says the message's fields are
// known to be within MaxRepetitions.
func decodeMessage(m *Message, controlID string, fewReps bool) (*Response, error) {
	// The first MSH: a reply wrapped in a batch (FHS/BHS) starts with those.
	msh, ok := m.First("MSH")
	if !ok {
		return nil, fmt.Errorf("%w: it has no MSH segment", ErrNotReply)
	}
	typ := trimSpace(msh.Value(9, 1, 1, 1))
	if typ != "RSP" && typ != "ACK" {
		return nil, fmt.Errorf("%w: the message type (MSH-9) is %q", ErrNotReply, typ)
	}
	if err := checkLimits(m, fewReps); err != nil {
		return nil, err
	}
	r := &Response{
		Profile:       trimSpace(msh.Value(21, 1, 1, 1)),
		Patients:      []Patient{},
		Immunizations: []Immunization{},
		Forecast:      []Forecast{},
		Errors:        []RegistryError{},
		Warnings:      []string{},
	}
	if msa, ok := m.First("MSA"); ok {
		r.Ack = trimSpace(msa.Value(1, 1, 1, 1))
		r.ControlID = trimSpace(msa.Value(2, 1, 1, 1))
	} else {
		r.warn("the reply has no MSA segment")
	}
	if qak, ok := m.First("QAK"); ok {
		r.Status = strings.ToUpper(trimSpace(qak.Value(2, 1, 1, 1)))
	}
	dec := decoder{r: r}
	for _, s := range m.Segments {
		switch s.Name {
		case "ERR":
			r.Errors = append(r.Errors, decodeERR(s)...)
		case "PID":
			r.Patients = append(r.Patients, dec.pid(s))
		case "MSH", "MSA", "QAK", "QPD", "PD1", "NK1", "PV1", "ORC", "RXA", "RXR", "OBX", "FHS", "BHS", "BTS", "FTS", "":
			// Read elsewhere, or not needed for the record a nurse sees.
		default:
			if !strings.HasPrefix(s.Name, "Z") {
				r.warn("segment " + s.Name + " not understood; skipped")
			}
		}
	}
	// Each RXA with the RXR and OBX that follow it, up to the next order.
	for g := range m.Groups("RXA", "ORC", "PID") {
		if err := checkGroup(g); err != nil {
			return nil, err
		}
		dec.rxa(g[0], g[1:])
		if dec.err != nil {
			return nil, dec.err
		}
	}
	r.Outcome = outcome(r, typ)
	annotateForecast(r)
	if controlID != "" && r.ControlID != controlID {
		return r, &ControlIDError{Want: controlID, Got: r.ControlID}
	}
	return r, nil
}

func (r *Response) warn(s string) {
	if len(r.Warnings) < maxWarningsReported {
		r.Warnings = append(r.Warnings, s)
	}
}

// outcome decides what the reply means: QAK-2 first, then the profile,
// then MSA-1.
func outcome(r *Response, typ string) Outcome {
	n := len(r.Patients)
	switch r.Status {
	case "NF":
		return OutcomeNotFound
	case "TM":
		return OutcomeTooMany
	case "AR":
		if n == 0 {
			return OutcomeRejected
		}
	case "AE", "PD":
		if n == 0 {
			return OutcomeError
		}
	}
	if n > 0 {
		// CT WiZ sends MSA AE with a full Z42 when it only has a warning:
		// data wins over the acknowledgement code.
		if r.Profile == "Z31" || n > 1 {
			return OutcomeCandidates
		}
		return OutcomeRecord
	}
	switch r.Ack {
	case "AR", "CR":
		return OutcomeRejected
	case "AE", "CE":
		return OutcomeError
	}
	if typ == "ACK" {
		r.warn("the registry acknowledged the query without answering it")
		return OutcomeError
	}
	for _, e := range r.Errors {
		if e.Severity == "E" {
			return OutcomeError
		}
	}
	if r.Profile == "Z33" || r.Status == "OK" || r.Profile == "Z31" {
		return OutcomeNotFound
	}
	r.warn("the reply has no patient")
	return OutcomeError
}

// decodeERR reads one ERR segment. HL7 2.3 registries locate errors in
// ERR-1 (segment^sequence^field^code&text&system), repeated once per
// error: each repetition is an error of its own.
func decodeERR(s Segment) []RegistryError {
	e := RegistryError{
		Severity: s.Value(4, 1, 1, 1),
		Code:     s.Value(3, 1, 1, 1),
		Message:  s.Value(8, 1, 1, 1),
	}
	e.AppCode = s.Value(5, 1, 1, 1)
	if local := s.Value(5, 1, 4, 1); local != "" {
		if e.AppCode != "" {
			e.AppCode += "/"
		}
		e.AppCode += local
	}
	if e.Message == "" {
		e.Message = s.Value(3, 1, 2, 1)
	}
	if e.Message == "" {
		e.Message = s.Value(5, 1, 2, 1)
	}
	if s.Field(2) != "" || s.Field(1) == "" {
		// ERR-2 (ERL): segment^sequence^field^repetition^component^sub.
		e.Location = errLocation(s.Value(2, 1, 1, 1), s.Value(2, 1, 3, 1), s.Value(2, 1, 4, 1), s.Value(2, 1, 5, 1), s.Value(2, 1, 6, 1))
		return []RegistryError{e}
	}
	var errs []RegistryError
	for rep := range s.Repetitions(1) {
		if rep.empty() {
			continue
		}
		one := e
		one.Location = errLocation(rep.Value(1, 1), rep.Value(3, 1), "", "", "")
		one.Code = firstNonEmpty(one.Code, rep.Value(4, 1))
		one.Message = firstNonEmpty(one.Message, rep.Value(4, 2))
		if one.Severity == "" {
			one.Severity = "E" // 2.3 has no severity: ERR reported errors
		}
		errs = append(errs, one)
	}
	if len(errs) == 0 {
		errs = append(errs, e)
	}
	return errs
}

// errLocation writes an error location as SEG-field[rep].component.sub.
// A position left empty or written 0 (as older registries do, e.g.
// OBX^2^3^0 or MSH^1^0) is not given; the first repetition is not written.
func errLocation(seg, field, rep, comp, sub string) string {
	given := func(v string) bool { return v != "" && strings.Trim(v, "0") != "" }
	if seg == "" {
		return ""
	}
	loc := seg
	if !given(field) {
		return loc
	}
	loc += "-" + field
	if given(rep) && rep != "1" {
		loc += "[" + rep + "]"
	}
	if given(comp) {
		loc += "." + comp
		if given(sub) {
			loc += "." + sub
		}
	}
	return loc
}

func (d *decoder) pid(s Segment) Patient {
	var f [13]string // PID-1..PID-13, split once
	s.fields(f[:])
	get := func(field, comp int) string { return s.part(f[field-1], 1, comp, 1) }
	p := Patient{
		Family:           trimSpace(get(5, 1)),
		Given:            trimSpace(get(5, 2)),
		Middle:           trimSpace(get(5, 3)),
		Suffix:           trimSpace(get(5, 4)),
		BirthDate:        d.isoDate(get(7, 1)),
		Sex:              strings.ToUpper(get(8, 1)),
		MotherMaidenName: trimSpace(get(6, 1)),
		Address: Address{
			Street: get(11, 1),
			City:   get(11, 3),
			State:  get(11, 4),
			Zip:    get(11, 5),
		},
		IDs: make([]Identifier, 0, strings.Count(f[2], string(s.d.Repetition))+1),
	}
	for rep := range s.d.repetitions(f[2]) {
		id := Identifier{ID: rep.Value(1, 1), Authority: rep.Value(4, 1), Type: rep.Value(5, 1)}
		if id == (Identifier{}) {
			continue
		}
		p.IDs = append(p.IDs, id)
	}
	if id, ok := p.RegistryIdentifier(); ok {
		p.RegistryID = id.ID
	}
	// Phone: XTN-6 area code and XTN-7 number, or the old XTN-1 text.
	for rep := range s.d.repetitions(f[12]) {
		if local := rep.Value(7, 1); local != "" {
			// Digits only, as the JSON promises: some registries write
			// the number as 555-1212.
			p.Phone = Digits(rep.Value(6, 1) + local)
		} else {
			p.Phone = rep.Value(1, 1)
		}
		if p.Phone != "" {
			break
		}
	}
	return p
}

// isoDate turns an HL7 DT or TS (YYYYMMDD[HHMM...]) into YYYY-MM-DD.
// Shorter dates (YYYY, YYYYMM) keep their precision; anything else is
// returned as sent. A record holds dozens of dates: they are written
// one after the other into d.dates, one allocation for many.
func (d *decoder) isoDate(v string) string {
	v = trimSpace(v)
	for i := 0; i < len(v) && i < 8; i++ {
		if v[i] < '0' || v[i] > '9' {
			return v
		}
	}
	n := 0 // the length of the ISO date
	switch {
	case len(v) >= 8:
		n = 10
	case len(v) == 6:
		n = 7
	default:
		return v
	}
	b := &d.dates
	if b.Cap()-b.Len() < n {
		// A new block; the dates written keep the old one, as a string
		// from a Builder never changes.
		size := min(max(2*b.Cap(), 64), 1024)
		*b = strings.Builder{}
		b.Grow(size)
	}
	b.WriteString(v[:4])
	b.WriteByte('-')
	b.WriteString(v[4:6])
	if n == 10 {
		b.WriteByte('-')
		b.WriteString(v[6:8])
	}
	s := b.String()
	return s[len(s)-n:]
}

// validISODate reports whether a YYYY-MM-DD date exists (leap years
// aside, which registries do not get wrong in practice).
func validISODate(v string) bool {
	if len(v) != 10 {
		return false
	}
	m := (v[5]-'0')*10 + (v[6] - '0')
	d := (v[8]-'0')*10 + (v[9] - '0')
	days := [...]byte{31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}
	return m >= 1 && m <= 12 && d >= 1 && d <= days[m-1]
}

type decoder struct {
	r      *Response
	err    error           // a limit the reply went past (ErrTooComplex)
	groups []obxGroup      // see groupOBX
	dates  strings.Builder // see isoDate
}

// obxGroup collects the OBX of one vaccine group under one RXA.
type obxGroup struct {
	subID  string
	opener string // the LOINC code of the OBX that opened the group; "" when none did
	cvx    string
	text   string
	name   string         // a series or group named by text (59780-7, 30999-1)
	filled bool           // an observation has joined
	values [nObs]string   // by observation, see observation: the code or value
	texts  [nTexts]string // the text of a coded value, for the observations that use it
	status string         // the code system (OBX-5.3) of the status
}

// forecast tells a forecast group from a dose's evaluation: it is opened
// by "vaccine due next" or a group status, or it holds a forecast date.
// Some registries put the forecast under an administered dose's RXA.
func (g *obxGroup) forecast() bool {
	return g.opener == loincDueNext || g.opener == loincGroupStatus ||
		g.values[obsEarliest] != "" || g.values[obsDue] != "" || g.values[obsOverdue] != "" || g.values[obsLatest] != ""
}

// The observations kept from an evaluation or forecast OBX group; first
// those whose text is read, so that a group keeps only theirs (a group
// is held for each vaccine group of a reply: the smaller, the better).
const (
	obsReason = iota
	obsStatus
	obsDose
	obsValid
	obsEarliest
	obsDue
	obsOverdue
	obsLatest
	nObs
)

const nTexts = obsStatus + 1 // the observations whose text is kept

// observation is the observation an OBX-3 code gives, or -1.
func observation(code string) int {
	switch code {
	case loincDoseNumber:
		return obsDose
	case loincDoseValidity:
		return obsValid
	case loincReason:
		return obsReason
	case loincSeriesStatus:
		return obsStatus
	case loincEarliest:
		return obsEarliest
	case loincDue:
		return obsDue
	case loincOverdue:
		return obsOverdue
	case loincLatest:
		return obsLatest
	}
	return -1
}

func (d *decoder) rxa(s Segment, rest []Segment) {
	var f [21]string // RXA-1..RXA-21, split once
	s.fields(f[:])
	get := func(field, comp int) string { return s.part(f[field-1], 1, comp, 1) }
	cvx, text := rxaVaccine(s, f[4])
	if get(21, 1) == rxaActionDeleted {
		return // deleted doses are not shown
	}
	groups := d.groupOBX(cvx, rest)
	if cvx == cvxNoVaccine {
		d.r.Forecast = slices.Grow(d.r.Forecast, len(groups))
		for i := range groups {
			d.r.Forecast = append(d.r.Forecast, d.forecastFrom(&groups[i]))
		}
		return
	}
	im := Immunization{
		Date:         d.isoDate(get(3, 1)),
		CVX:          cvx,
		Vaccine:      text,
		Source:       trimSpace(get(9, 1)),
		Lot:          get(15, 1),
		Manufacturer: firstNonEmpty(get(17, 2), get(17, 1)),
		Status:       strings.ToUpper(get(20, 1)),
		Refusal:      firstNonEmpty(get(18, 2), get(18, 1)),
		Evaluations:  make([]Evaluation, 0, len(groups)),
	}
	if im.Vaccine == "" {
		im.Vaccine = VaccineName(cvx)
	}
	im.Historical = im.Source != "" && im.Source != rxaSourceNewRecord
	if im.Date == "" {
		d.r.warn("an RXA has no date given (RXA-3)")
	} else if !validISODate(im.Date) {
		d.r.warn(fmt.Sprintf("RXA-3 %q is not a real date; shown as sent", get(3, 1)))
	}
	for i := range groups {
		if g := &groups[i]; g.forecast() {
			d.r.Forecast = append(d.r.Forecast, d.forecastFrom(g))
		} else {
			im.Evaluations = append(im.Evaluations, evaluationFrom(g))
		}
	}
	d.r.Immunizations = append(d.r.Immunizations, im)
}

// rxaVaccine returns the CVX code and text of RXA-5 (field, as on the
// wire), looking through its repetitions and alternate coding for the CVX
// one.
func rxaVaccine(s Segment, field string) (cvx, text string) {
	for rep := range s.d.repetitions(field) {
		if strings.EqualFold(rep.Value(3, 1), "CVX") {
			return trimSpace(rep.Value(1, 1)), rep.Value(2, 1)
		}
		if strings.EqualFold(rep.Value(6, 1), "CVX") {
			return trimSpace(rep.Value(4, 1)), rep.Value(5, 1)
		}
	}
	return trimSpace(s.part(field, 1, 1, 1)), s.part(field, 1, 2, 1)
}

// groupOBX groups the OBX after an RXA. An OBX naming a vaccine or group
// opens a group: vaccine type 30956-7, component 38890-0 (Michigan's
// component after a vaccine-type OBX with the same sub-ID refines that
// group rather than opening another), vaccine due next 30979-9, series
// name 59780-7 (Florida SHOTS opens each series with it; where it follows
// a vaccine's OBX it only names the schedule) and NYC CIR's group status
// 30999-1. The other observations join the latest group with their OBX-4
// sub-ID, else the latest group (some registries number sub-IDs loosely,
// and STC-based registries leave OBX-4 empty in every group). OBX-1 is
// never used: WebIZ restarts it in every group.
//
// The groups are held in d.groups, reused from one RXA to the next; a
// pointer to one is good until the next group opens.
func (d *decoder) groupOBX(rxaCVX string, obx []Segment) []obxGroup {
	groups := d.groups[:0]
	if n := len(obx)/4 + 1; cap(groups) < n {
		// A group has a few OBX: room for all at once, not by doubling.
		groups = make([]obxGroup, 0, min(n, MaxGroupsPerRXA+1))
	}
	defer func() { d.groups = groups[:0] }()
	open := func(g obxGroup) *obxGroup {
		groups = append(groups, g)
		if len(groups) > MaxGroupsPerRXA {
			d.err = tooManyGroups
		}
		return &groups[len(groups)-1]
	}
	current := func() *obxGroup {
		if len(groups) == 0 {
			return nil
		}
		return &groups[len(groups)-1]
	}
	bySubID := func(sub string) *obxGroup {
		for i := len(groups) - 1; i >= 0; i-- {
			if groups[i].subID == sub && groups[i].opener != "" {
				return &groups[i]
			}
		}
		return nil
	}
	for _, o := range obx {
		if d.err != nil {
			return nil
		}
		if o.Name != "OBX" {
			continue
		}
		var f [5]string
		o.fields(f[:])
		code := observationCode(o, f[2])
		sub := trimSpace(o.d.components(f[3])[0])
		valueType := trimSpace(o.d.components(f[1])[0])
		value := o.d.components(f[4]) // code, text, code system
		vcode, vtext := trimSpace(value[0]), trimSpace(value[1])
		switch code {
		case loincVaccineGroup, loincComponentType, loincDueNext:
			if isDateType(valueType) || looksLikeDate(vcode) {
				d.r.warn(fmt.Sprintf("OBX-3 %s after RXA %s holds a date, not a vaccine; skipped", code, rxaCVX))
				continue
			}
			if c := current(); c != nil && c.opener != "" && c.name == "" && !c.filled && sub != "" && c.subID == sub {
				c.cvx, c.text = vcode, vtext
				continue
			}
			open(obxGroup{subID: sub, opener: code, cvx: vcode, text: vtext})
			continue
		case loincSeriesName:
			name := firstNonEmpty(vtext, vcode)
			g := bySubID(sub)
			if g == nil {
				// Observations came first: they were about the RXA's vaccine.
				for i := len(groups) - 1; i >= 0; i-- {
					if groups[i].subID == sub && groups[i].opener == "" {
						g = &groups[i]
						break
					}
				}
			}
			switch {
			case g != nil && g.opener == "":
				g.opener, g.name, g.cvx, g.text = code, seriesGroup(vcode, name), "", name
			case g == nil || g.opener == loincSeriesName:
				open(obxGroup{subID: sub, opener: code, name: seriesGroup(vcode, name), text: name})
			}
			continue
		case loincGroupStatus:
			name := firstNonEmpty(GroupByName(vcode), vcode)
			var g *obxGroup
			for i := range groups {
				if groupLabel(&groups[i]) == name {
					g = &groups[i]
				}
			}
			if g == nil {
				g = open(obxGroup{subID: sub, opener: code, name: name, text: vcode})
			}
			if g.values[obsStatus] == "" {
				g.values[obsStatus], g.texts[obsStatus] = vtext, vtext
			}
			g.filled = true
			continue
		case loincSchedule, loincDosesInSeries:
			continue // not shown
		}
		obs := observation(code)
		if obs < 0 {
			d.r.warn(fmt.Sprintf("OBX-3 %q after RXA %s not understood; skipped", code, rxaCVX))
			continue
		}
		g := bySubID(sub)
		if g == nil {
			g = current()
		}
		if g == nil {
			// No vaccine-group OBX: the observations are about the RXA's
			// own vaccine.
			g = open(obxGroup{subID: sub, cvx: rxaCVX})
		}
		g.values[obs] = vcode
		if obs < nTexts {
			g.texts[obs] = ""
			if valueType == "CE" || valueType == "CWE" {
				g.texts[obs] = vtext // a coded value's text
			}
		}
		if obs == obsStatus {
			g.status = trimSpace(value[2])
		}
		g.filled = true
	}
	return groups
}

// observationCode is OBX-3.1. Older registries write a panel's member as
// panel&member (30979-9&30980-7, the due date of a "vaccine due next"):
// the member is the observation.
func observationCode(o Segment, field string) string {
	rep, comp, sub, esc := sepOrNone(o.d.Repetition), sepOrNone(o.d.Component), sepOrNone(o.d.SubComponent), sepOrNone(o.d.Escape)
	start, end, escaped := 0, len(field), false
loop:
	for i := 0; i < len(field); i++ {
		switch b := int(field[i]); b {
		case rep, comp:
			end = i
			break loop
		case sub:
			start = i + 1
		case esc:
			escaped = true
		}
	}
	return trimSpace(o.d.unescapeIf(escaped, field[start:end]))
}

// isDateType reports whether an OBX-2 value type holds a date.
func isDateType(vt string) bool {
	switch trimSpace(vt) {
	case "DT", "TS", "DTM":
		return true
	}
	return false
}

// looksLikeDate reports whether a value is a YYYYMMDD date: no CVX code
// has eight digits.
func looksLikeDate(v string) bool {
	if len(v) < 8 {
		return false
	}
	for i := range 8 {
		if v[i] < '0' || v[i] > '9' {
			return false
		}
	}
	return true
}

func evaluationFrom(g *obxGroup) Evaluation {
	e := Evaluation{CVX: g.cvx, Group: groupLabel(g)}
	e.Dose = g.values[obsDose]
	switch strings.ToUpper(g.values[obsValid]) {
	case "Y", "YES":
		e.Valid = "Y"
	case "N", "NO":
		e.Valid = "N"
	}
	e.Reason = firstNonEmpty(g.texts[obsReason], g.values[obsReason])
	return e
}

func (d *decoder) forecastFrom(g *obxGroup) Forecast {
	f := Forecast{
		Group:    groupLabel(g),
		CVX:      g.cvx,
		Vaccine:  firstNonEmpty(g.text, VaccineName(g.cvx)),
		Earliest: d.isoDate(g.values[obsEarliest]),
		Due:      d.isoDate(g.values[obsDue]),
		Overdue:  d.isoDate(g.values[obsOverdue]),
		Latest:   d.isoDate(g.values[obsLatest]),
		Reason:   firstNonEmpty(g.texts[obsReason], g.values[obsReason]),
		Dose:     g.values[obsDose],
		Status:   seriesStatus(g.values[obsStatus], g.texts[obsStatus], g.status),
	}
	if g.opener == loincGroupStatus && f.Reason == "" && f.Status == StatusNotRecommended && f.Status != strings.ToLower(g.texts[obsStatus]) {
		// The status text says why ("Not recommended after 8 months.").
		f.Reason = g.texts[obsStatus]
	}
	return f
}

// groupLabel names a group: the series or group named by text, else the
// group of the code with the registry's text, else the text, else the code.
func groupLabel(g *obxGroup) string {
	return firstNonEmpty(g.name, groupOf(g.cvx, g.text), g.text, g.cvx)
}

// seriesStatus normalises 59783-1. The LOINC answers are definite; then
// single letters in a code system known here (OBX-5.3); then the
// registry's text, when it is one a nurse would recognise. Anything else
// is shown as the registry wrote it, lower-cased: a letter from an
// unknown code system is never guessed into an alarming status.
func seriesStatus(code, text, system string) string {
	switch strings.ToUpper(code) {
	case "LA13421-5":
		return StatusComplete
	case "LA13422-3":
		return StatusOnSchedule
	case "LA13423-1":
		return StatusOverdue
	case "LA13424-9":
		return StatusTooOld
	case "LA27183-5":
		return StatusImmune
	case "LA4216-3":
		return StatusContraindicated
	case "LA4695-8":
		return StatusNotRecommended
	}
	if s, ok := statusLetters[strings.ToUpper(trimSpace(system))][strings.ToUpper(code)]; ok {
		return s
	}
	t := strings.ToLower(strings.Join(strings.Fields(firstNonEmpty(text, code)), " "))
	if s, ok := statusWords[t]; ok {
		return s
	}
	switch {
	case strings.HasPrefix(t, "not recommended"):
		// "Not recommended after 8 months.": the rest is the reason.
		return StatusNotRecommended
	case strings.HasPrefix(t, "complete"):
		return StatusComplete
	}
	return t
}

// statusLetters are the single-letter statuses of the code systems known
// here: STC0002 (STC-based registries) and 99106, the status table of the
// LSVF and TCH forecasters behind the AIRA IIS Sandbox, where L is "due
// later", not "too late".
var statusLetters = map[string]map[string]string{
	"STC0002": {"U": StatusOnSchedule, "D": StatusDue, "P": StatusOverdue},
	"99106": {
		"D": StatusDue, "O": StatusOverdue, "L": StatusOnSchedule, "X": StatusContraindicated,
		"C": StatusComplete, "S": StatusComplete, "F": StatusComplete, "I": StatusImmune,
		"A": StatusImmune, "G": StatusTooOld, "Y": StatusNotRecommended,
	},
}

// statusWords are the series-status texts registries send, lower-cased.
var statusWords = map[string]string{
	StatusComplete: StatusComplete, "series complete": StatusComplete, "not recommended - series complete": StatusComplete,
	"completed vaccine series": StatusComplete, "complete for season": StatusComplete, "finished": StatusComplete,
	StatusOnSchedule: StatusOnSchedule, "up to date": StatusOnSchedule, "due later": StatusOnSchedule,
	StatusDue: StatusDue, "due now": StatusDue,
	StatusOverdue: StatusOverdue, "past due": StatusOverdue,
	StatusTooOld: StatusTooOld, "aged out": StatusTooOld, "too late": StatusTooOld, "not recommended - too old": StatusTooOld,
	StatusImmune: StatusImmune, "assumed complete or immune": StatusImmune,
	StatusContraindicated: StatusContraindicated, StatusNotRecommended: StatusNotRecommended,
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}
