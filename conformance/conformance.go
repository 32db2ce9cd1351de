package conformance

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
)

// Level is how a check ended.
type Level string

const (
	Pass Level = "pass"
	Warn Level = "warn" // allowed, but a client or analyst should know
	Fail Level = "fail" // the reply breaks the rule
	Skip Level = "skip" // could not be checked (the query was not given)
)

// Check names, stable: tests, the README and onboarding reports quote them.
const (
	CheckMessageType    = "message-type"
	CheckControlID      = "msa-2-echo"
	CheckAck            = "msa-1-code"
	CheckQueryTag       = "qak-1-echo"
	CheckQueryStatus    = "qak-2-status"
	CheckProfileStatus  = "profile-status"
	CheckProfileQuery   = "profile-query"
	CheckProfileContent = "profile-content"
	CheckPID            = "pid-required"
	CheckRegistryID     = "pid-registry-id"
	CheckForecast       = "forecast-groups"
	CheckERR            = "err-format"
)

// Finding is the result of one check.
type Finding struct {
	Check  string `json:"check"`
	Level  Level  `json:"level"`
	Rule   string `json:"rule"`   // where the rule comes from: the guide and the field or profile
	Detail string `json:"detail"` // what was seen; never a patient value
}

// Query is what the checks need of the query that produced a reply.
type Query struct {
	ControlID string // MSH-10
	Tag       string // QPD-2
	Profile   string // QPD-1.1 (or MSH-21.1): Z44 or Z34
}

// QueryOf reads the echo targets from a QBP^Q11 as sent.
func QueryOf(m *hl7.Message) Query {
	q := Query{ControlID: m.ControlID(), Tag: strings.TrimSpace(m.Get("QPD-2")), Profile: strings.ToUpper(strings.TrimSpace(m.Get("QPD-1")))}
	if q.Profile == "" {
		q.Profile = strings.ToUpper(strings.TrimSpace(m.Get("MSH-21")))
	}
	return q
}

// Rules, as the guide names them. IG is the CDC Implementation Guide for
// Immunization Messaging, HL7 2.5.1, Release 1.5.
const (
	ig              = "CDC IG 2.5.1 R1.5"
	ruleMSH9        = ig + ", MSH-9: a query is answered by RSP^K11^RSP_K11, or by ACK when the message itself is rejected"
	ruleMSA2        = ig + ", MSA-2 (R): the MSH-10 of the message acknowledged"
	ruleMSA1        = ig + ", MSA-1 (R): AA accepted, AE error, AR rejected (HL7 table 0008)"
	ruleQAK1        = ig + ", QAK-1 (R): echoes the query tag QPD-2"
	ruleQAK2        = ig + ", QAK-2 (R): OK, NF, TM, AE, AR or PD (HL7 table 0208)"
	ruleProfStatus  = ig + ", response profiles: Z31/Z32/Z42 carry data with QAK-2 OK; Z33 answers NF, TM, AE, AR and PD"
	ruleProfQuery   = ig + ", query profiles: Z44 is answered by Z42, Z31 or Z33; Z34 by Z32, Z31 or Z33"
	ruleZ31         = ig + ", Z31 return candidate list: PID [PD1] [NK1] per candidate, no ORC/RXA"
	ruleZ32         = ig + ", Z32 return complete immunization history: one patient"
	ruleZ33         = ig + ", Z33 return acknowledgement with no person records: no PID"
	ruleZ42         = ig + ", Z42 return evaluated history and forecast: one patient and the forecast (RXA 998 with its OBX)"
	rulePID         = ig + ", PID-3 identifier list (R), PID-5 name (R), PID-7 birth date (R)"
	ruleRegistryID  = ig + ", PID-3: the registry's own identifier (type SR), which a client needs to fetch one candidate"
	ruleForecast    = ig + ", forecast OBX: each group opens with 30956-7 vaccine group; a recommended dose has 30980-7 due and 30981-5 earliest dates. 59783-1 series status is RE in the guide; CT WiZ sends it, and without it a nurse cannot tell what is due"
	ruleForecastDue = ig + ", forecast OBX: an overdue series has 59778-1, the date it became overdue"
	ruleERR         = ig + ", ERR: ERR-2 location SEG^seq^field (RE), ERR-3 HL7 error code from table 0357 (R), ERR-4 severity E, W or I (R)"
)

// Check runs every check on reply. q is the query that produced it; nil
// when it is not known, and then the echo checks say what they could not
// check.
func Check(reply *hl7.Message, q *Query) []Finding {
	c := &checker{m: reply, q: q}
	msh, _ := reply.First("MSH")
	c.typ = strings.ToUpper(strings.TrimSpace(msh.Value(9, 1, 1, 1)))
	c.resp, _ = hl7.DecodeMessage(reply, "") // nil when not a reply: the message-type check says so
	c.messageType(msh)
	if c.resp == nil {
		return c.out
	}
	c.profile = strings.ToUpper(strings.TrimSpace(msh.Value(21, 1, 1, 1)))
	c.controlID()
	c.ack()
	c.queryTag()
	c.queryStatus()
	c.profileStatus()
	c.profileQuery()
	c.profileContent()
	c.pids()
	c.forecast()
	c.errs()
	return c.out
}

// Count returns how many findings failed and warned.
func Count(fs []Finding) (fails, warns int) {
	for _, f := range fs {
		switch f.Level {
		case Fail:
			fails++
		case Warn:
			warns++
		}
	}
	return fails, warns
}

type checker struct {
	m       *hl7.Message
	q       *Query
	resp    *hl7.Response
	typ     string // MSH-9.1
	profile string // MSH-21.1
	out     []Finding
}

func (c *checker) add(check string, l Level, rule, format string, args ...any) {
	c.out = append(c.out, Finding{Check: check, Level: l, Rule: rule, Detail: fmt.Sprintf(format, args...)})
}

func (c *checker) messageType(msh hl7.Segment) {
	structure := strings.ToUpper(strings.Join([]string{msh.Value(9, 1, 1, 1), msh.Value(9, 1, 2, 1), msh.Value(9, 1, 3, 1)}, "^"))
	switch {
	case c.resp == nil:
		c.add(CheckMessageType, Fail, ruleMSH9, "MSH-9 is %q: not a reply to a query, so nothing else was checked", structure)
	case c.typ == "RSP" && structure != "RSP^K11^RSP_K11":
		c.add(CheckMessageType, Warn, ruleMSH9, "MSH-9 is %q; the guide's reply is RSP^K11^RSP_K11", structure)
	case c.typ == "ACK" && c.resp.Ack == "AA":
		c.add(CheckMessageType, Fail, ruleMSH9, "an ACK with MSA-1 AA acknowledges the query without answering it")
	default:
		c.add(CheckMessageType, Pass, ruleMSH9, "MSH-9 is %q", structure)
	}
}

func (c *checker) controlID() {
	got := c.resp.ControlID
	switch {
	case c.q != nil && got == c.q.ControlID:
		c.add(CheckControlID, Pass, ruleMSA2, "MSA-2 %q is the query's MSH-10", got)
	case c.q != nil && got == "":
		c.add(CheckControlID, Fail, ruleMSA2, "MSA-2 is empty; the query's MSH-10 is %q", c.q.ControlID)
	case c.q != nil:
		c.add(CheckControlID, Fail, ruleMSA2, "MSA-2 %q is not the query's MSH-10 %q: the reply may answer another query", got, c.q.ControlID)
	case got == "":
		c.add(CheckControlID, Fail, ruleMSA2, "MSA-2 is empty")
	default:
		c.add(CheckControlID, Skip, ruleMSA2, "MSA-2 is %q; without the query its MSH-10 is not known, so the echo was not checked", got)
	}
}

func (c *checker) ack() {
	switch a := c.resp.Ack; {
	case a == "":
		c.add(CheckAck, Fail, ruleMSA1, "MSA-1 is empty (or there is no MSA segment)")
	case a == "AE" && c.resp.Outcome == hl7.OutcomeRecord && !c.hasError():
		c.add(CheckAck, Warn, ruleMSA1, "MSA-1 is AE, but the reply holds a complete record and only warnings (as WebIZ sends); AE means an error was found")
	case a == "AA" || a == "AE" || a == "AR":
		c.add(CheckAck, Pass, ruleMSA1, "MSA-1 is %s", a)
	case a == "CA" || a == "CE" || a == "CR":
		c.add(CheckAck, Warn, ruleMSA1, "MSA-1 is %s, an enhanced-mode commit code; the guide uses application acknowledgements (AA, AE, AR)", a)
	default:
		c.add(CheckAck, Fail, ruleMSA1, "MSA-1 %q is not an acknowledgement code", a)
	}
}

func (c *checker) hasError() bool {
	return slices.ContainsFunc(c.resp.Errors, func(e hl7.RegistryError) bool { return e.Severity != "W" && e.Severity != "I" })
}

func (c *checker) queryTag() {
	qak, ok := c.m.First("QAK")
	if !ok {
		if c.typ == "ACK" {
			c.add(CheckQueryTag, Pass, ruleQAK1, "an ACK carries no QAK")
		} else {
			c.add(CheckQueryTag, Fail, ruleQAK1, "the reply has no QAK segment")
		}
		return
	}
	got := strings.TrimSpace(qak.Value(1, 1, 1, 1))
	echoed := strings.TrimSpace(c.m.Get("QPD-2"))
	switch {
	case got == "":
		c.add(CheckQueryTag, Fail, ruleQAK1, "QAK-1 is empty")
	case c.q != nil && got == c.q.Tag:
		c.add(CheckQueryTag, Pass, ruleQAK1, "QAK-1 %q is the query's QPD-2", got)
	case c.q != nil:
		c.add(CheckQueryTag, Fail, ruleQAK1, "QAK-1 %q is not the query's QPD-2 %q", got, c.q.Tag)
	case echoed != "" && echoed != got:
		c.add(CheckQueryTag, Fail, ruleQAK1, "QAK-1 %q differs from the QPD-2 %q the reply echoes", got, echoed)
	case echoed != "":
		c.add(CheckQueryTag, Skip, ruleQAK1, "QAK-1 %q matches the QPD-2 the reply echoes; without the query the echo itself was not checked", got)
	default:
		c.add(CheckQueryTag, Skip, ruleQAK1, "QAK-1 is %q; without the query its QPD-2 is not known, so the echo was not checked", got)
	}
}

func (c *checker) queryStatus() {
	_, ok := c.m.First("QAK")
	switch s := c.resp.Status; {
	case !ok:
		// Said once, by the query tag check.
	case s == "":
		c.add(CheckQueryStatus, Fail, ruleQAK2, "QAK-2 is empty")
	case slices.Contains([]string{"OK", "NF", "TM", "AE", "AR", "PD"}, s):
		c.add(CheckQueryStatus, Pass, ruleQAK2, "QAK-2 is %s", s)
	default:
		c.add(CheckQueryStatus, Fail, ruleQAK2, "QAK-2 %q is not in table 0208", s)
	}
}

// dataProfiles are the response profiles that carry patients.
var dataProfiles = []string{"Z31", "Z32", "Z42"}

func (c *checker) profileStatus() {
	if c.typ == "ACK" {
		return
	}
	p, s := c.profile, c.resp.Status
	switch {
	case p == "":
		c.add(CheckProfileStatus, Fail, ruleProfStatus, "MSH-21 names no response profile")
	case !slices.Contains(dataProfiles, p) && p != "Z33":
		c.add(CheckProfileStatus, Fail, ruleProfStatus, "MSH-21 %q is not a response profile (Z31, Z32, Z33, Z42)", p)
	case s == "":
		c.add(CheckProfileStatus, Skip, ruleProfStatus, "MSH-21 is %s; there is no QAK-2 to compare it with", p)
	case s == "OK" && p == "Z33":
		c.add(CheckProfileStatus, Warn, ruleProfStatus, "MSH-21 is Z33 (no person records) with QAK-2 OK; the guide's Z33 says why with NF, TM, AE, AR or PD")
	case s == "OK":
		c.add(CheckProfileStatus, Pass, ruleProfStatus, "MSH-21 %s with QAK-2 OK", p)
	case p == "Z33":
		c.add(CheckProfileStatus, Pass, ruleProfStatus, "MSH-21 Z33 with QAK-2 %s", s)
	case (s == "AE" || s == "AR" || s == "PD") && len(c.resp.Patients) > 0:
		c.add(CheckProfileStatus, Warn, ruleProfStatus, "MSH-21 %s carries data with QAK-2 %s", p, s)
	default:
		c.add(CheckProfileStatus, Fail, ruleProfStatus, "MSH-21 %s (a profile with data) disagrees with QAK-2 %s, which the guide answers with Z33", p, s)
	}
}

// answers lists the response profiles that answer each query profile.
var answers = map[string][]string{"Z44": {"Z42", "Z31", "Z33"}, "Z34": {"Z32", "Z31", "Z33"}}

func (c *checker) profileQuery() {
	if c.typ == "ACK" {
		return
	}
	asked, from := "", "the query's QPD-1"
	if c.q != nil {
		asked = c.q.Profile
	} else {
		// The reply's own echo of the query: QPD-1, else QAK-3.
		asked, from = strings.ToUpper(strings.TrimSpace(c.m.Get("QPD-1"))), "the QPD-1 the reply echoes"
		if asked == "" {
			asked, from = strings.ToUpper(strings.TrimSpace(c.m.Get("QAK-3"))), "QAK-3"
		}
	}
	want, known := answers[asked]
	switch {
	case c.profile == "":
		// Said by the profile-status check.
	case asked == "":
		c.add(CheckProfileQuery, Skip, ruleProfQuery, "the query profile is not known (no query given, no QPD-1 or QAK-3 echo), so MSH-21 %s was not compared with it", c.profile)
	case !known:
		c.add(CheckProfileQuery, Skip, ruleProfQuery, "%s names %q, not a CDC query profile (Z44, Z34)", from, asked)
	case slices.Contains(want, c.profile):
		c.add(CheckProfileQuery, Pass, ruleProfQuery, "%s query answered with %s (%s)", asked, c.profile, from)
	default:
		c.add(CheckProfileQuery, Fail, ruleProfQuery, "%s query answered with %s; it is answered with %s (%s)", asked, c.profile, strings.Join(want, ", "), from)
	}
}

func (c *checker) profileContent() {
	if c.typ == "ACK" {
		return
	}
	n := len(c.resp.Patients)
	_, hasRXA := c.m.First("RXA")
	_, hasORC := c.m.First("ORC")
	forecast := c.forecastRXA()
	switch c.profile {
	case "Z31":
		switch {
		case n == 0:
			c.add(CheckProfileContent, Fail, ruleZ31, "Z31 lists no candidate (no PID)")
		case hasRXA || hasORC:
			c.add(CheckProfileContent, Fail, ruleZ31, "Z31 lists %d candidate(s) but also carries ORC/RXA: a candidate list holds demographics only", n)
		default:
			c.add(CheckProfileContent, Pass, ruleZ31, "Z31 lists %d candidate(s) and no immunizations", n)
		}
	case "Z32":
		switch {
		case n != 1:
			c.add(CheckProfileContent, Fail, ruleZ32, "Z32 holds %d patients; it is one patient's history", n)
		case forecast:
			c.add(CheckProfileContent, Warn, ruleZ32, "Z32 (history only) carries a forecast (RXA 998); a forecast is the Z42 profile's")
		default:
			c.add(CheckProfileContent, Pass, ruleZ32, "Z32 holds one patient and %d immunization(s)", len(c.resp.Immunizations))
		}
	case "Z42":
		switch {
		case n != 1:
			c.add(CheckProfileContent, Fail, ruleZ42, "Z42 holds %d patients; it is one patient's evaluated history and forecast", n)
		case !forecast:
			c.add(CheckProfileContent, Fail, ruleZ42, "Z42 has no forecast: no RXA 998 (no vaccine administered) carrying the recommendations")
		case len(c.resp.Forecast) == 0:
			c.add(CheckProfileContent, Fail, ruleZ42, "Z42's forecast RXA 998 carries no recommendation OBX")
		default:
			c.add(CheckProfileContent, Pass, ruleZ42, "Z42 holds one patient, %d immunization(s) and %d forecast group(s)", len(c.resp.Immunizations), len(c.resp.Forecast))
		}
	case "Z33":
		if n > 0 || hasRXA {
			c.add(CheckProfileContent, Fail, ruleZ33, "Z33 carries %d PID and RXA segments: it answers with no person records", n)
		} else {
			c.add(CheckProfileContent, Pass, ruleZ33, "Z33 carries no person records")
		}
	}
}

// forecastRXA reports whether the reply has the forecast RXA: RXA-5 998.
func (c *checker) forecastRXA() bool {
	for rxa := range c.m.All("RXA") {
		if strings.TrimSpace(rxa.Value(5, 1, 1, 1)) == "998" {
			return true
		}
	}
	return false
}

func (c *checker) pids() {
	i := 0
	for pid := range c.m.All("PID") {
		i++
		var missing []string
		if strings.TrimSpace(pid.Value(3, 1, 1, 1)) == "" {
			missing = append(missing, "PID-3 identifier")
		}
		if strings.TrimSpace(pid.Value(5, 1, 1, 1)) == "" {
			missing = append(missing, "PID-5.1 family name")
		}
		if strings.TrimSpace(pid.Value(7, 1, 1, 1)) == "" {
			missing = append(missing, "PID-7 birth date")
		}
		if len(missing) > 0 {
			c.add(CheckPID, Fail, rulePID, "PID %d lacks %s", i, strings.Join(missing, ", "))
		} else {
			c.add(CheckPID, Pass, rulePID, "PID %d has its identifier, name and birth date", i)
		}
		if c.resp.Outcome != hl7.OutcomeCandidates || i > len(c.resp.Patients) {
			continue
		}
		if c.resp.Patients[i-1].RegistryID == "" {
			c.add(CheckRegistryID, Warn, ruleRegistryID, "candidate %d has no registry ID (PID-3 type SR): it cannot be fetched by ID", i)
		}
	}
}

// dated are the statuses of a series with a next dose to give.
var dated = []string{hl7.StatusOnSchedule, hl7.StatusDue, hl7.StatusOverdue}

// settled are the statuses that need no dates.
var settled = []string{hl7.StatusComplete, hl7.StatusTooOld, hl7.StatusImmune, hl7.StatusContraindicated, hl7.StatusNotRecommended}

func (c *checker) forecast() {
	for i, f := range c.resp.Forecast {
		n := i + 1
		// Without a vaccine-group OBX the decoder files the observations
		// under the forecast RXA's own code, 998.
		name := f.Group
		if f.CVX == "998" || f.Group == "" {
			c.add(CheckForecast, Fail, ruleForecast, "forecast group %d has no vaccine group (OBX 30956-7)", n)
			name = fmt.Sprintf("group %d", n)
		}
		var missing []string
		level := Pass
		switch {
		case f.Status == "":
			c.add(CheckForecast, Fail, ruleForecast, "forecast %s has no series status (OBX 59783-1)", name)
			continue
		case slices.Contains(dated, f.Status):
			if f.Due == "" {
				missing, level = append(missing, "due date (30980-7)"), Fail
			}
			if f.Earliest == "" {
				missing = append(missing, "earliest date (30981-5)")
				if level == Pass {
					level = Warn
				}
			}
		case !slices.Contains(settled, f.Status):
			c.add(CheckForecast, Warn, ruleForecast, "forecast %s has the series status %q, which is not a LOINC answer of 59783-1", name, f.Status)
			continue
		}
		switch {
		case len(missing) > 0:
			c.add(CheckForecast, level, ruleForecast, "forecast %s (%s) lacks its %s", name, f.Status, strings.Join(missing, " and "))
		case f.Status == hl7.StatusOverdue && f.Overdue == "":
			c.add(CheckForecast, Warn, ruleForecastDue, "forecast %s is overdue but gives no overdue date (59778-1)", name)
		default:
			c.add(CheckForecast, Pass, ruleForecast, "forecast %s: %s, with the dates its status needs", name, f.Status)
		}
	}
}

// table0357 are the HL7 error codes (HL7 table 0357).
var table0357 = []string{"0", "100", "101", "102", "103", "104", "105", "200", "201", "202", "203", "204", "205", "206", "207"}

func (c *checker) errs() {
	i := 0
	for e := range c.m.All("ERR") {
		i++
		var problems []string
		warn := ""
		code := strings.TrimSpace(e.Value(3, 1, 1, 1))
		switch {
		case code == "":
			problems = append(problems, "ERR-3 (HL7 error code) is empty")
		case !slices.Contains(table0357, code):
			if strings.Trim(code, "0123456789") != "" {
				problems = append(problems, fmt.Sprintf("ERR-3 %q is not a code of table 0357", code))
			} else {
				warn = fmt.Sprintf("ERR-3 %q is not in table 0357", code)
			}
		}
		switch sev := strings.TrimSpace(e.Value(4, 1, 1, 1)); sev {
		case "E", "W", "I":
		case "":
			problems = append(problems, "ERR-4 (severity) is empty")
		default:
			problems = append(problems, fmt.Sprintf("ERR-4 %q is not E, W or I", sev))
		}
		if e.Field(2) != "" {
			seg, seq, field := e.Value(2, 1, 1, 1), e.Value(2, 1, 2, 1), e.Value(2, 1, 3, 1)
			if !segmentID(seg) || !number(seq) || (field != "" && !number(field)) {
				problems = append(problems, "ERR-2 is not a location SEG^sequence^field")
			}
		} else if e.Field(1) != "" {
			warn = "ERR-1 (HL7 2.3 location) is used instead of ERR-2"
		}
		switch {
		case len(problems) > 0:
			c.add(CheckERR, Fail, ruleERR, "ERR %d: %s", i, strings.Join(problems, "; "))
		case warn != "":
			c.add(CheckERR, Warn, ruleERR, "ERR %d: %s", i, warn)
		default:
			c.add(CheckERR, Pass, ruleERR, "ERR %d is well formed", i)
		}
	}
}

func segmentID(s string) bool {
	if len(s) != 3 {
		return false
	}
	for _, r := range s {
		if (r < 'A' || r > 'Z') && (r < '0' || r > '9') {
			return false
		}
	}
	return true
}

func number(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// CheckExchange checks a reply as received against the query as sent,
// both as on the wire. A reply that is not HL7 fails the message-type
// check.
func CheckExchange(sent, reply []byte) []Finding {
	var q *Query
	if m, err := hl7.Parse(sent); err == nil {
		qq := QueryOf(m)
		q = &qq
	}
	m, err := hl7.Parse(reply)
	if err != nil {
		return []Finding{{Check: CheckMessageType, Level: Fail, Rule: ruleMSH9, Detail: "the reply is not an HL7 message"}}
	}
	return Check(m, q)
}
