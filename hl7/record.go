package hl7

import "strings"

// Outcome is what a reply means for the person who asked, decided by QAK-2
// first, then the profile in MSH-21, then MSA-1.
type Outcome string

const (
	OutcomeRecord     Outcome = "record"     // one patient's history (Z32) or history and forecast (Z42)
	OutcomeCandidates Outcome = "candidates" // several possible patients (Z31): a person must choose
	OutcomeNotFound   Outcome = "not_found"  // QAK-2 NF
	OutcomeTooMany    Outcome = "too_many"   // QAK-2 TM: more demographics are needed
	OutcomeRejected   Outcome = "rejected"   // MSA AR/CR, QAK AR, or an ACK without data
	OutcomeError      Outcome = "error"      // MSA AE/CE or QAK AE without data, or PD
	// OutcomeMismatch is never decoded: query --json writes it for a
	// record withheld because its patient is not the student asked for
	// (Response.Mismatch).
	OutcomeMismatch Outcome = "mismatch"
)

// Response is a decoded RSP^K11 or ACK. Its JSON form is a public interface:
// dates are ISO YYYY-MM-DD and absent values are empty strings or arrays.
type Response struct {
	Profile       string          `json:"profile"`   // MSH-21.1: Z31, Z32, Z33 or Z42
	Status        string          `json:"status"`    // QAK-2: OK, NF, TM, AE, AR, PD
	Ack           string          `json:"ack"`       // MSA-1: AA, AE, AR
	ControlID     string          `json:"controlId"` // MSA-2: the query's MSH-10
	Outcome       Outcome         `json:"outcome"`
	Patients      []Patient       `json:"patients"`
	Immunizations []Immunization  `json:"immunizations"`
	Forecast      []Forecast      `json:"forecast"`
	Errors        []RegistryError `json:"errors"`
	// Warnings name what the decoder skipped or could not read; the
	// registry's own warnings are in Errors with severity W.
	Warnings []string `json:"warnings"`
	// Mismatch, on a record, says how its patient differs from the
	// student asked for (ComparePatient); nil when they agree. The query
	// client sets it on every record reply; decoding alone never does,
	// as a reply does not say what was asked.
	Mismatch *Mismatch `json:"mismatch,omitempty"`
}

// Patient is one PID: the record's patient, or one candidate of a Z31.
type Patient struct {
	RegistryID       string       `json:"registryId"` // see RegistryIdentifier
	IDs              []Identifier `json:"ids"`
	Family           string       `json:"family"`
	Given            string       `json:"given"`
	Middle           string       `json:"middle"`
	Suffix           string       `json:"suffix,omitempty"`
	BirthDate        string       `json:"birthDate"`
	Sex              string       `json:"sex"`
	MotherMaidenName string       `json:"motherMaidenName"`
	Address          Address      `json:"address"`
	Phone            string       `json:"phone"`
}

// registryIDTypes rank the PID-3 identifier types a registry may give
// its own patient number: SR as the CDC guide says, else LR, PI or none,
// as some registries send. MR and the others are not the registry's.
var registryIDTypes = map[string]int{"SR": 1, "LR": 2, "PI": 3, "": 4}

// RegistryIdentifier returns the identifier the registry knows the
// patient by, exactly as it gave it (ID, authority and type): the PID-3
// identifier of type SR, else LR, else PI, else the first one with no
// type. A patient built from a registry ID alone (RegistryID without IDs)
// gives that ID as type SR.
func (p Patient) RegistryIdentifier() (Identifier, bool) {
	var best Identifier
	rank := 0
	for _, id := range p.IDs {
		r, ok := registryIDTypes[strings.ToUpper(id.Type)]
		if ok && id.ID != "" && (rank == 0 || r < rank) && (p.RegistryID == "" || id.ID == p.RegistryID) {
			best, rank = id, r
		}
	}
	if rank == 0 && p.RegistryID != "" {
		return Identifier{ID: p.RegistryID, Type: "SR"}, true
	}
	return best, rank > 0
}

// Identifier is one patient identifier (CX): ID^^^Authority^Type.
type Identifier struct {
	ID        string `json:"id"`
	Authority string `json:"authority"`
	Type      string `json:"type"` // SR registry, MR medical record, ...
}

// Address is the part of an XAD a nurse needs.
type Address struct {
	Street string `json:"street"`
	City   string `json:"city"`
	State  string `json:"state"`
	Zip    string `json:"zip"`
}

// Immunization is one RXA that is a dose (the forecast's 998 RXA and
// deleted RXA are not).
type Immunization struct {
	Date         string       `json:"date"` // RXA-3
	CVX          string       `json:"cvx"`
	Vaccine      string       `json:"vaccine"`
	Historical   bool         `json:"historical"` // RXA-9 01..08: reported from another record
	Source       string       `json:"source"`     // RXA-9.1 as sent: 00 administered, 01..08 historical, "" not stated
	Lot          string       `json:"lot"`
	Manufacturer string       `json:"manufacturer"`
	Status       string       `json:"status"`  // RXA-20: CP, RE, NA, PA
	Refusal      string       `json:"refusal"` // RXA-18 text or code
	Evaluations  []Evaluation `json:"evaluations"`
}

// Evaluation is the registry's verdict on one dose for one vaccine group
// (combination vaccines count in several groups).
type Evaluation struct {
	Group  string `json:"group"` // vaccine group name, e.g. "MMR"
	CVX    string `json:"cvx"`   // the group's CVX as sent (often the NOS code)
	Dose   string `json:"dose"`  // dose number in series, as sent
	Valid  string `json:"valid"` // "Y", "N" or "" when the registry did not say
	Reason string `json:"reason"`
}

// Forecast is the registry's recommendation for one vaccine group.
type Forecast struct {
	Group    string `json:"group"`
	CVX      string `json:"cvx"`
	Vaccine  string `json:"vaccine"`
	Status   string `json:"status"` // see the Status* constants
	Dose     string `json:"dose"`   // next dose number
	Earliest string `json:"earliest"`
	Due      string `json:"due"`
	Overdue  string `json:"overdue"`
	Latest   string `json:"latest"`
	Reason   string `json:"reason"`
	// Order and AdultOnly are the entry's place in the forecast as the
	// screen and the paper show it (see ViewForecast); the entry itself is
	// as the registry sent it.
	Order     int  `json:"order"`     // 1 the entry shown on its group's row, 2.. the later ("then") ones; 0 left out
	AdultOnly bool `json:"adultOnly"` // begins at adult age (AdultAge or older) and is not due: left out for a student
}

// Forecast statuses, normalised from LOINC answers (59783-1), the single
// letter codes of STC-based registries and registry text.
const (
	StatusComplete        = "complete"
	StatusOnSchedule      = "on schedule"
	StatusDue             = "due"
	StatusOverdue         = "overdue"
	StatusTooOld          = "too old"
	StatusImmune          = "immune"
	StatusContraindicated = "contraindicated"
	StatusNotRecommended  = "not recommended"
)

// RegistryError is one ERR segment.
type RegistryError struct {
	Severity string `json:"severity"` // ERR-4: E, W or I
	Code     string `json:"code"`     // ERR-3.1, HL7 table 0357
	AppCode  string `json:"appCode"`  // ERR-5: CDC table 0533, then a local code if any
	Location string `json:"location"` // ERR-2 as SEG-field[rep].component.sub, e.g. QPD-3.1; [rep] only past the first
	Message  string `json:"message"`  // ERR-8, else ERR-3.2 or ERR-5.2
}
