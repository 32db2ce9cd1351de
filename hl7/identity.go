package hl7

import (
	"strings"
	"time"
	"unicode"
)

// Mismatch says how a record's patient differs from the student asked
// for: a registry that matches loosely, answers a registry ID that names
// another child, or sends another patient's record must not be read as
// the student the nurse typed. Its JSON form is query --json's
// "mismatch" object.
type Mismatch struct {
	Asked    Person         `json:"asked"`
	Registry Person         `json:"registry"`
	Fields   []Disagreement `json:"fields"` // only what disagrees, in the order of Person's fields
}

// Person is who was asked for, or who a record is about, as compared.
type Person struct {
	Family     string `json:"family"`
	Given      string `json:"given"` // first and middle names, as typed or sent
	Suffix     string `json:"suffix"`
	BirthDate  string `json:"birthDate"`  // ISO YYYY-MM-DD; "" when the record has none
	RegistryID string `json:"registryId"` // asked: the registry ID sent ("" when none); registry: the record's
}

// Disagreement is one field of Person that differs.
type Disagreement struct {
	Field    string `json:"field"` // family, given, suffix, birthDate or registryId (Person's JSON names)
	Asked    string `json:"asked"`
	Registry string `json:"registry"`
}

// Label names the field as a nurse calls it: "last name", "birth date".
func (d Disagreement) Label() string {
	return fieldLabels[d.Field]
}

var fieldLabels = map[string]string{
	"family": "last name", "given": "first and middle names", "suffix": "suffix",
	"birthDate": "birth date", "registryId": "registry ID",
}

// ComparePatient compares a record's patient with the student asked for:
// last name, first and middle names, suffix, birth date, and every
// registry ID asked sends (an identifier of the types a registry gives its
// own number: SR, LR, PI or none). It returns nil when they agree.
//
// Case, accents, punctuation, hyphens and spaces never make a
// disagreement, nor does a middle name (or a second given name) on one
// side only, nor an initial for the name it begins: the same child is
// written "GARCÍA-LÓPEZ, José" by a registry and "Garcia Lopez, Jose" by
// a nurse. A nickname (Bob for Robert) does disagree: the nurse decides.
func ComparePatient(asked Demographics, got Patient) *Mismatch {
	m := &Mismatch{
		Asked: Person{Family: asked.Last, Given: joinNames(asked.First, asked.Middle), Suffix: asked.Suffix,
			BirthDate: isoDay(asked.BirthDate)},
		Registry: Person{Family: got.Family, Given: joinNames(got.Given, got.Middle), Suffix: got.Suffix,
			BirthDate: got.BirthDate},
	}
	if id, ok := got.RegistryIdentifier(); ok {
		m.Registry.RegistryID = id.ID
	}
	differ := func(field, a, r string) {
		m.Fields = append(m.Fields, Disagreement{field, a, r})
	}
	if FoldName(asked.Last) != FoldName(got.Family) {
		differ("family", m.Asked.Family, m.Registry.Family)
	}
	if !givenAgree(asked.First, asked.Middle, got.Given, got.Middle) {
		differ("given", m.Asked.Given, m.Registry.Given)
	}
	if a, r := FoldName(asked.Suffix), FoldName(got.Suffix); a != "" && r != "" && a != r {
		differ("suffix", m.Asked.Suffix, m.Registry.Suffix)
	}
	if m.Asked.BirthDate != got.BirthDate {
		differ("birthDate", m.Asked.BirthDate, got.BirthDate)
	}
	for _, id := range asked.IDs {
		if _, ok := registryIDTypes[strings.ToUpper(id.Type)]; !ok {
			continue // a medical record number or the like: not the registry's
		}
		m.Asked.RegistryID = strings.TrimSpace(id.ID)
		if !got.hasRegistryID(m.Asked.RegistryID) {
			differ("registryId", m.Asked.RegistryID, m.Registry.RegistryID)
			break
		}
	}
	if len(m.Fields) == 0 {
		return nil
	}
	return m
}

// hasRegistryID reports whether id is one of the numbers the registry
// gives the patient (PID-3 of type SR, LR, PI or none).
func (p Patient) hasRegistryID(id string) bool {
	if strings.EqualFold(strings.TrimSpace(p.RegistryID), id) {
		return true
	}
	for _, have := range p.IDs {
		if _, ok := registryIDTypes[strings.ToUpper(have.Type)]; ok && strings.EqualFold(strings.TrimSpace(have.ID), id) {
			return true
		}
	}
	return false
}

// givenAgree compares first and middle names. The same names may be split
// differently ("Mary Jane" as the first name, or "Mary" and "Jane"), or
// written with a hyphen, space or nothing between them; past the first
// name, the words of one side must begin the other's, an initial standing
// for its word.
func givenAgree(aFirst, aMiddle, gFirst, gMiddle string) bool {
	if FoldName(aFirst) == FoldName(gFirst) {
		return wordsBegin(nameWords(aMiddle), nameWords(gMiddle))
	}
	if FoldName(aFirst+aMiddle) == FoldName(gFirst+gMiddle) {
		return true
	}
	a, g := nameWords(aFirst+" "+aMiddle), nameWords(gFirst+" "+gMiddle)
	if len(a) == 0 || len(g) == 0 || a[0] != g[0] {
		return false
	}
	return wordsBegin(a[1:], g[1:])
}

// wordsBegin reports whether the shorter list of words begins the longer,
// word by word; a one-letter word matches a word it is the initial of.
func wordsBegin(a, b []string) bool {
	for i := range min(len(a), len(b)) {
		x, y := a[i], b[i]
		if x != y && !(len(x) == 1 && strings.HasPrefix(y, x)) && !(len(y) == 1 && strings.HasPrefix(x, y)) {
			return false
		}
	}
	return true
}

// nameWords splits a name into words in FoldName's form. Spaces, hyphens
// and other punctuation separate words; an apostrophe does not
// ("D'Andre" is one word, "dandre"), nor does an accent typed as a
// combining mark.
func nameWords(s string) []string {
	var words []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			words = append(words, b.String())
			b.Reset()
		}
	}
	for _, r := range strings.ToLower(s) {
		switch {
		case r == '\'' || r == '’' || r == '`' || unicode.Is(unicode.Mn, r):
			// Inside a word: an apostrophe, or a decomposed accent (NFD).
		case folds[r] != "":
			b.WriteString(folds[r])
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		default:
			flush()
		}
	}
	flush()
	return words
}

// folds are the accented Latin letters names carry, folded to ASCII so
// "García" matches "GARCIA" and "Siobhán" matches "Siobhan".
var folds = map[rune]string{}

func init() {
	for ascii, accented := range map[string]string{
		"a": "àáâãäåāăą", "c": "çćĉċč", "d": "ďđ", "e": "èéêëēĕėęě", "g": "ĝğġģ", "h": "ĥħ",
		"i": "ìíîïĩīĭįı", "j": "ĵ", "k": "ķ", "l": "ĺļľŀł", "n": "ñńņňŉ", "o": "òóôõöøōŏő",
		"r": "ŕŗř", "s": "śŝşšș", "t": "ţťŧț", "u": "ùúûüũūŭůűų", "w": "ŵ", "y": "ýÿŷ", "z": "źżž",
		"ae": "æ", "oe": "œ", "ss": "ß", "th": "þ",
	} {
		for _, r := range accented {
			folds[r] = ascii
		}
	}
}

// FoldName is the form in which names are compared: lower case, accents
// folded to ASCII, and everything but letters and digits dropped
// ("O'Brien-Núñez" -> "obriennunez"). The sandbox matches with it too.
func FoldName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if f, ok := folds[r]; ok {
			b.WriteString(f)
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func joinNames(first, middle string) string {
	return strings.TrimSpace(strings.TrimSpace(first) + " " + strings.TrimSpace(middle))
}

// isoDay is a calendar date as the record types write it; "" for none.
func isoDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
}
