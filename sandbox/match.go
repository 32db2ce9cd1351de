package sandbox

import (
	"strings"
	"time"
	"unicode"
)

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

// normalize is the matching form of a name: lower case, accents folded,
// punctuation and spaces removed ("O'Brien-Núñez" -> "obriennunez").
func normalize(s string) string {
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

// criteria are the demographics of a query, as read from QPD.
type criteria struct {
	last, first             string
	birth                   time.Time
	sex                     string
	motherLast, motherFirst string
	registryID              string // QPD-3 of type SR
}

// match applies the sandbox's matching rules: one patient whose last name,
// first name and birth date match (and sex and mother's maiden name when
// both sides have them) is the record; otherwise patients with the same
// birth date and the same last or first name are candidates.
func (r *registry) match(c criteria) (record *patient, candidates []*patient) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	last, first := normalize(c.last), normalize(c.first)
	var exact []*patient
	for _, p := range r.patients {
		if !p.birth.Equal(c.birth) {
			continue
		}
		pl, pf := normalize(p.last), normalize(p.first)
		if pl != last && pf != first {
			continue
		}
		candidates = append(candidates, p)
		if pl == last && pf == first && agrees(c.sex, p.sex) &&
			agrees(normalize(c.motherLast), normalize(p.motherLast)) {
			exact = append(exact, p)
		}
	}
	if len(exact) == 1 {
		return exact[0].snapshot(), nil
	}
	for i, p := range candidates {
		candidates[i] = p.snapshot()
	}
	return nil, candidates
}

// agrees: an optional criterion matches when either side does not have it.
func agrees(asked, have string) bool {
	asked, have = strings.ToUpper(asked), strings.ToUpper(have)
	return asked == "" || have == "" || asked == "U" || have == "U" || asked == have
}

// byRegistryID returns the patient with that registry ID.
func (r *registry) byRegistryID(id string) *patient {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if p := r.byID[strings.TrimSpace(id)]; p != nil {
		return p.snapshot()
	}
	return nil
}
