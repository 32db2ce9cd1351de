package sandbox

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/ctwiz-nurse/ctwiz-nurse/cdcsoap"
	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
)

// The sandbox names itself in MSH-3/MSH-4 of every reply, so a reader of
// any message it sends sees the data is synthetic.
const (
	SendingApp      = "CTWIZ-SANDBOX"
	SendingFacility = "SANDBOX"
)

var controlSeq atomic.Uint64

func newControlID(now time.Time) string {
	return "SBX" + now.Format("060102") + fmt.Sprintf("%08d", controlSeq.Add(1)%100000000)
}

func hl7Time(t time.Time) string { return t.Format("20060102150405-0700") }
func hl7Day(t time.Time) string  { return t.Format("20060102") }

// reply is the header of an answer to msg: MSH with the sender and
// receiver swapped, and MSA.
func (s *Server) header(msg *hl7.Message, typ, profile, ack string) []hl7.Segment {
	now := s.now()
	pid := "P"
	if msg != nil {
		if v := msg.Get("MSH-11"); v != "" {
			pid = v
		}
	}
	var their3, their4, ctrl string
	if msg != nil {
		their3, their4, ctrl = msg.Get("MSH-3"), msg.Get("MSH-4"), msg.ControlID()
	}
	var prof hl7.Field
	if profile != "" {
		prof = hl7.F(profile, "CDCPHINVS")
	}
	msh := hl7.NewMSH(hl7.F(SendingApp), hl7.F(SendingFacility), hl7.F(their3), hl7.F(their4),
		hl7.F(hl7Time(now)), nil, hl7.F(strings.Split(typ, "^")...), hl7.F(newControlID(now)),
		hl7.F(pid), hl7.F("2.5.1"), nil, nil, hl7.F("NE"), hl7.F("NE"), nil, nil, nil, nil,
		prof, hl7.F(SendingFacility), hl7.F(their4))
	return []hl7.Segment{msh, hl7.NewSegment("MSA", hl7.F(ack), hl7.F(ctrl))}
}

// encode writes segs in wire form, each ended by CR.
func encode(segs []hl7.Segment) []byte {
	n := 0
	for _, s := range segs {
		n += len(s.Raw) + 1
	}
	b := make([]byte, 0, n)
	for _, s := range segs {
		b = append(append(b, s.Raw...), '\r')
	}
	return b
}

// hl7Reply is an answer in two parts: head, the segments built for the
// message, then the record's history when there is one, as kept in the
// history cache (never changed: shared by the replies that send it).
type hl7Reply struct {
	head    []byte
	history *cachedHistory
}

// cachedHistory is a record's segments from PID on, in wire form and escaped as
// XML text (cdcsoap.AppendText) for a SOAP reply.
type cachedHistory struct {
	hl7, xml []byte
}

// bytes is the whole reply.
func (r hl7Reply) bytes() []byte {
	if r.history == nil {
		return r.head
	}
	return append(slices.Clip(r.head), r.history.hl7...)
}

// answer replies to one HL7 message: an RSP^K11 to a QBP^Q11, an ACK to a
// VXU^V04, an ACK AR to anything else. It never fails: whatever is wrong
// is said in ERR segments.
func (s *Server) answer(text []byte) []byte { return s.answerParts(text).bytes() }

// answerParts is answer in its two parts.
func (s *Server) answerParts(text []byte) hl7Reply {
	m, err := hl7.Parse(text)
	if err != nil {
		segs := s.header(nil, "ACK^^ACK", "", "AR")
		segs = append(segs, hl7Error{[]string{"MSH", "1", "1"}, "100", "E", "", "The message is not HL7 v2 (" + err.Error() + "): it was rejected"}.segment())
		return hl7Reply{head: encode(segs)}
	}
	typ, event := m.Get("MSH-9.1"), m.Get("MSH-9.2")
	reject := func(e hl7Error) hl7Reply {
		return hl7Reply{head: encode(append(s.header(m, "ACK^"+event+"^ACK", "", "AR"), e.segment()))}
	}
	if e := s.check(m); e != nil {
		return reject(*e)
	}
	switch {
	case typ == "QBP" && event == "Q11":
		return s.answerQuery(m)
	case typ == "VXU" && event == "V04":
		errs := s.reg.ingestVXU(m, s.now())
		ack := "AA"
		for _, e := range errs {
			if e.severity == "E" {
				ack = "AE"
			}
		}
		segs := s.header(m, "ACK^V04^ACK", "", ack)
		for _, e := range errs {
			segs = append(segs, e.segment())
		}
		return hl7Reply{head: encode(segs)}
	case typ == "QBP" || typ == "VXU":
		return reject(hl7Error{loc("MSH", 1, 9, 2), "201", "E", "4", fmt.Sprintf("Event %q is not supported with %s: send QBP^Q11 or VXU^V04", event, typ)})
	}
	return reject(hl7Error{loc("MSH", 1, 9, 1), "200", "E", "4", fmt.Sprintf("Message type %q is not supported: this registry answers QBP^Q11 queries and stores VXU^V04", typ)})
}

// check says why a message is rejected as a whole, whatever its type; nil
// if it is not.
func (s *Server) check(m *hl7.Message) *hl7Error {
	if n := len(m.Segments); n > s.limits.MaxSegments {
		return &hl7Error{[]string{"MSH"}, "207", "E", "", fmt.Sprintf(
			"The message has %d segments; the sandbox accepts at most %d in one message: nothing was stored", n, s.limits.MaxSegments)}
	}
	if v := m.Get("MSH-12"); !strings.HasPrefix(v, "2.5") {
		return &hl7Error{loc("MSH", 1, 12), "203", "E", "4", fmt.Sprintf("HL7 version %q is not supported: send 2.5.1", v)}
	}
	if p := m.Get("MSH-11"); p != "P" && p != "T" && p != "D" {
		return &hl7Error{loc("MSH", 1, 11), "202", "E", "4", fmt.Sprintf("Processing ID %q is not P, T or D", p)}
	}
	return nil
}

// answerQuery answers a QBP^Q11 (Z34 or Z44) with an RSP^K11.
func (s *Server) answerQuery(m *hl7.Message) hl7Reply {
	qpd, ok := m.First("QPD")
	if !ok {
		segs := s.header(m, "RSP^K11^RSP_K11", "Z33", "AE")
		segs = append(segs, hl7Error{[]string{"QPD"}, "100", "E", "7", "The query has no QPD segment"}.segment(),
			hl7.NewSegment("QAK", nil, hl7.F("AE")))
		return hl7Reply{head: encode(segs)}
	}
	profile := strings.ToUpper(strings.TrimSpace(qpd.Value(1, 1, 1, 1)))
	if profile == "" {
		profile = strings.ToUpper(strings.TrimSpace(m.Get("MSH-21.1")))
	}
	tag := strings.TrimSpace(qpd.Value(2, 1, 1, 1))
	qak3 := hl7.F(qpd.Value(1, 1, 1, 1), qpd.Value(1, 1, 2, 1), qpd.Value(1, 1, 3, 1))
	echo := qpd
	if m.Delims != hl7.DefaultDelimiters {
		echo = hl7.NewSegment("QPD", qak3, hl7.F(tag))
	}
	z33 := func(ack, status string, errs []hl7Error) hl7Reply {
		segs := s.header(m, "RSP^K11^RSP_K11", "Z33", ack)
		for _, e := range errs {
			segs = append(segs, e.segment())
		}
		return hl7Reply{head: encode(append(segs, hl7.NewSegment("QAK", hl7.F(tag), hl7.F(status), qak3), echo))}
	}
	if profile != hl7.ProfileZ34 && profile != hl7.ProfileZ44 {
		return z33("AR", "AR", []hl7Error{{loc("QPD", 1, 1, 1), "103", "E", "5",
			fmt.Sprintf("Query profile %q is not supported: send Z44 (evaluated history and forecast) or Z34 (history)", profile)}})
	}

	var errs []hl7Error
	if tag == "" {
		errs = append(errs, hl7Error{loc("QPD", 1, 2), "101", "E", "7", "Query tag (QPD-2) is required"})
	}
	c := criteria{
		last: qpd.Value(4, 1, 1, 1), first: qpd.Value(4, 1, 2, 1),
		motherLast: qpd.Value(5, 1, 1, 1), motherFirst: qpd.Value(5, 1, 2, 1),
		sex: strings.ToUpper(qpd.Value(7, 1, 1, 1)),
	}
	for rep := 1; rep <= min(qpd.Reps(3), maxIdentifiers); rep++ {
		if strings.EqualFold(qpd.Value(3, rep, 5, 1), "SR") {
			c.registryID = qpd.Value(3, rep, 1, 1)
		}
	}
	dob := qpd.Value(6, 1, 1, 1)
	if dob != "" {
		var ok bool
		if c.birth, ok = parseHL7Date(dob); !ok {
			errs = append(errs, hl7Error{loc("QPD", 1, 6), "102", "E", "2", fmt.Sprintf("Birth date (QPD-6) %q is not a date YYYYMMDD", dob)})
		}
	}
	if c.registryID == "" {
		if strings.TrimSpace(c.last) == "" {
			errs = append(errs, hl7Error{loc("QPD", 1, 4, 1), "101", "E", "7", "Patient last name (QPD-4.1) is required"})
		}
		if strings.TrimSpace(c.first) == "" {
			errs = append(errs, hl7Error{loc("QPD", 1, 4, 2), "101", "E", "7", "Patient first name (QPD-4.2) is required"})
		}
		if dob == "" {
			errs = append(errs, hl7Error{loc("QPD", 1, 6), "101", "E", "7", "Patient birth date (QPD-6) is required"})
		}
	}
	if len(errs) > 0 {
		return z33("AE", "AE", errs)
	}

	limit := s.maxCandidates
	if n, err := strconv.Atoi(strings.TrimSpace(m.Get("RCP-2.1"))); err == nil && n > 0 && n < limit {
		limit = n
	}
	var record *patient
	var candidates []*patient
	tooMany := false
	if c.registryID != "" {
		// The second step of a lookup: the candidate the nurse chose. The
		// birth date, when sent, must agree, so a mistyped ID never
		// returns someone else's record.
		if p := s.reg.byRegistryID(c.registryID); p != nil && (c.birth.IsZero() || p.birth.Equal(c.birth)) {
			record = p
		}
	} else {
		record, candidates, tooMany = s.reg.match(c, limit)
	}
	if record != nil && s.misbehave == WrongPatient {
		record = s.reg.another(record)
	}
	if record == nil {
		switch {
		case tooMany:
			return z33("AA", "TM", nil)
		case len(candidates) == 0:
			return z33("AA", "NF", nil)
		}
		segs := s.header(m, "RSP^K11^RSP_K11", "Z31", "AA")
		segs = append(segs, hl7.NewSegment("QAK", hl7.F(tag), hl7.F("OK"), qak3), echo)
		for i, p := range candidates {
			segs = append(segs, p.pid(i+1))
			segs = append(segs, p.nk1()...)
		}
		return hl7Reply{head: encode(segs)}
	}

	withForecast := profile == hl7.ProfileZ44 && s.misbehave != NoForecast
	resp := "Z32"
	if withForecast {
		resp = "Z42"
	}
	ack := "AA"
	var warn []hl7.Segment
	if s.misbehave == AEWarning {
		// WebIZ's habit: MSA AE with a complete answer and a warning.
		ack = "AE"
		warn = append(warn, hl7.NewSegment("ERR", nil, hl7.F("QPD", "1", "3", "1", "1"),
			hl7.F("999", "ApplicationError", "HL70357"), hl7.F("W"),
			hl7.F("3", "Illogical Value error", "HL70533", "SBX-501", "Sandbox warning", "L"), nil, nil,
			hl7.F("Sandbox warning sent on purpose (--misbehave ae-warning): the record that follows is complete")))
	}
	segs := append(s.header(m, "RSP^K11^RSP_K11", resp, ack), warn...)
	segs = append(segs, hl7.NewSegment("QAK", hl7.F(tag), hl7.F("OK"), qak3), echo)
	today := s.now()
	key := historyKey{id: record.id, version: record.version, day: hl7Day(today), forecast: withForecast}
	h, ok := s.histories.get(key)
	if !ok {
		hist, err := s.history(record, withForecast, today)
		if err != nil {
			// The forecaster's data is embedded; failing to read it is a bug,
			// reported the HL7 way rather than by dropping the connection.
			return z33("AE", "AE", []hl7Error{{[]string{"QPD"}, "207", "E", "", "Sandbox internal error: " + err.Error()}})
		}
		text := encode(hist)
		h = &cachedHistory{hl7: text, xml: cdcsoap.AppendText(make([]byte, 0, len(text)+len(text)/8), string(text))}
		s.histories.put(key, h)
	}
	return hl7Reply{head: encode(segs), history: h}
}

// pid is the patient's PID segment (PID-1 = seq).
func (p *patient) pid(seq int) hl7.Segment {
	ids := hl7.F(p.id, "", "", Authority, "SR")
	for _, id := range p.ids {
		ids = hl7.Reps(ids, hl7.F(id.ID, "", "", id.Authority, id.Type))
	}
	var mother, addr, phone hl7.Field
	if p.motherLast != "" || p.motherFirst != "" {
		mother = hl7.F(p.motherLast, p.motherFirst, "", "", "", "", "M")
	}
	if p.street != "" || p.city != "" {
		addr = hl7.F(p.street, p.other, p.city, p.state, p.zip, "USA", "P")
	}
	if len(p.phone) == 10 {
		phone = hl7.F("", "PRN", "PH", "", "", p.phone[:3], p.phone[3:])
	}
	return hl7.NewSegment("PID", hl7.F(strconv.Itoa(seq)), nil, ids, nil,
		hl7.F(p.last, p.first, p.middle, p.suffix, "", "", "L"), mother, hl7.F(hl7Day(p.birth)),
		hl7.F(p.sex), nil, nil, addr, nil, phone, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil,
		hl7.F(p.multipleBirth), hl7.F(p.birthOrder))
}

func (p *patient) nk1() []hl7.Segment {
	var out []hl7.Segment
	for i, k := range p.kin {
		var addr, phone hl7.Field
		if k.street != "" || k.city != "" {
			addr = hl7.F(k.street, "", k.city, k.state, k.zip, "USA", "P")
		}
		if len(k.phone) == 10 {
			phone = hl7.F("", "PRN", "PH", "", "", k.phone[:3], k.phone[3:])
		}
		out = append(out, hl7.NewSegment("NK1", hl7.F(strconv.Itoa(i+1)), hl7.F(k.last, k.first, "", "", "", "", "L"),
			hl7.F(k.relCode, k.relText, "HL70063"), addr, phone))
	}
	return out
}

var scheduleUsed = hl7.F("VXC16", "ACIP", "CDCPHINVS")

// seriesStatus is the 59783-1 answer for a forecast status. "Due" has no
// LOINC answer; the STC letter D is what registries send for it.
var seriesStatus = map[string]hl7.Field{
	hl7.StatusComplete:   hl7.F("LA13421-5", "Complete", "LN"),
	hl7.StatusOnSchedule: hl7.F("LA13422-3", "On Schedule", "LN"),
	hl7.StatusOverdue:    hl7.F("LA13423-1", "Overdue", "LN"),
	hl7.StatusTooOld:     hl7.F("LA13424-9", "Too Old", "LN"),
	hl7.StatusDue:        hl7.F("D", "Due", "L"),
}

// history is the record after the PID: NK1, then ORC/RXA per dose (with
// evaluation OBX when withForecast), then the 998 forecast RXA.
func (s *Server) history(p *patient, withForecast bool, today time.Time) ([]hl7.Segment, error) {
	res, doses, err := p.evaluate(today)
	if err != nil {
		return nil, err
	}
	segs := []hl7.Segment{p.pid(1)}
	segs = append(segs, p.nk1()...)
	for i, d := range doses {
		segs = append(segs, hl7.NewSegment("ORC", hl7.F("RE"), nil, hl7.F(d.id, Authority)), d.rxa())
		if !withForecast {
			continue
		}
		obx := obxWriter{date: hl7Day(d.date)}
		for sub, v := range res.Verdicts[i] {
			id := strconv.Itoa(sub + 1)
			obx.add(&segs, "CE", "30956-7", "Vaccine Type", id, hl7.F(v.GroupCVX, hl7.GroupName(v.GroupCVX), "CVX"))
			obx.add(&segs, "ID", "59781-5", "Dose Validity", id, hl7.F(map[bool]string{true: "Y", false: "N"}[v.Valid]))
			if v.Dose > 0 {
				obx.add(&segs, "NM", "30973-2", "Dose Number in Series", id, hl7.F(strconv.Itoa(v.Dose)))
			}
			if v.Reason != "" {
				obx.add(&segs, "ST", "30982-3", "Reason Code", id, hl7.F(v.Reason))
			}
			obx.add(&segs, "CE", "59779-9", "Immunization Schedule Used", id, scheduleUsed)
		}
	}
	if !withForecast {
		return segs, nil
	}
	segs = append(segs, hl7.NewSegment("ORC", hl7.F("RE"), nil, hl7.F("9999", Authority)),
		hl7.NewSegment("RXA", hl7.F("0"), hl7.F("1"), hl7.F(hl7Day(today)), hl7.F(hl7Day(today)),
			hl7.F("998", "No Vaccine Administered", "CVX"), hl7.F("999"), nil, nil, nil, nil, nil, nil, nil, nil,
			nil, nil, nil, nil, nil, hl7.F("NA")))
	obx := obxWriter{date: hl7Day(today)}
	for sub, f := range res.Forecasts {
		id := strconv.Itoa(sub + 1)
		// As WebIZ does, the vaccine to give opens the group when a dose is
		// recommended (08 Hep B, 20 DTaP); otherwise the group's own code.
		vaccine := hl7.F(f.GroupCVX, hl7.GroupName(f.GroupCVX), "CVX")
		if f.Recommend != "" && f.Status != hl7.StatusComplete && f.Status != hl7.StatusTooOld {
			vaccine = hl7.F(f.Recommend, hl7.VaccineName(f.Recommend), "CVX")
		}
		obx.add(&segs, "CE", "30956-7", "Vaccine Type", id, vaccine)
		if f.Dose > 0 {
			obx.add(&segs, "NM", "30973-2", "Dose Number in Series", id, hl7.F(strconv.Itoa(f.Dose)))
		}
		for _, d := range []struct {
			code, name string
			t          time.Time
		}{
			{"30981-5", "Earliest date dose should be given", f.Earliest},
			{"30980-7", "Date Vaccine Due", f.Due},
			{"59777-3", "Latest date next dose should be given", f.Latest},
			{"59778-1", "Date dose is overdue", f.Overdue},
		} {
			if !d.t.IsZero() {
				obx.add(&segs, "DT", d.code, d.name, id, hl7.F(hl7Day(d.t)))
			}
		}
		obx.add(&segs, "CE", "59783-1", "Series Status", id, seriesStatus[f.Status])
		reason := f.Reason
		if f.Recommend != "" && f.Status != hl7.StatusComplete && f.Status != hl7.StatusTooOld {
			if reason != "" {
				reason += "; "
			}
			reason += "Recommended vaccine: " + hl7.VaccineName(f.Recommend)
		}
		if reason != "" {
			obx.add(&segs, "ST", "30982-3", "Reason Code", id, hl7.F(reason))
		}
		obx.add(&segs, "CE", "59779-9", "Immunization Schedule Used", id, scheduleUsed)
	}
	return segs, nil
}

// obxWriter numbers OBX-1 from 1 within one RXA group, as WebIZ does.
type obxWriter struct {
	n    int
	date string
}

func (o *obxWriter) add(segs *[]hl7.Segment, typ, code, name, sub string, value hl7.Field) {
	o.n++
	var units hl7.Field
	if typ == "NM" {
		units = notApplicable // a dose number has no unit; WebIZ says so
	}
	*segs = append(*segs, hl7.NewSegment("OBX", hl7.F(strconv.Itoa(o.n)), hl7.F(typ), hl7.F(code, name, "LN"),
		hl7.F(sub), value, units, nil, nil, nil, nil, hl7.F("F"), nil, nil, hl7.F(o.date)))
}

var notApplicable = hl7.F("NA", "Not Applicable", "HL70353")

func (d *dose) rxa() hl7.Segment {
	amount, unit := d.amount, hl7.F(d.unit, "", "UCUM")
	if amount == "" {
		amount = "999"
	}
	if d.unit == "" {
		unit = nil
	}
	var source, mfr, refusal hl7.Field
	if d.source != "" {
		text := d.sourceText
		if text == "" {
			text = sourceText(d.source)
		}
		source = hl7.F(d.source, text, "NIP001")
	}
	if d.mvx != "" {
		mfr = hl7.F(d.mvx, d.mfr, "MVX")
	}
	if d.refusal != "" {
		refusal = hl7.F(d.refusal, d.refusalText, "NIP002")
	}
	return hl7.NewSegment("RXA", hl7.F("0"), hl7.F("1"), hl7.F(hl7Day(d.date)), hl7.F(hl7Day(d.date)),
		hl7.F(d.cvx, d.vaccine, "CVX"), hl7.F(amount), unit, nil, source, nil, nil, nil, nil, nil,
		hl7.F(d.lot), nil, mfr, refusal, nil, hl7.F(d.status), hl7.F("A"))
}

func sourceText(code string) string {
	if code == "00" {
		return "New Immunization Record"
	}
	return "Historical Information - Source Unspecified"
}
