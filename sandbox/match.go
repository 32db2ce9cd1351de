package sandbox

import (
	"slices"
	"strings"
	"time"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
)

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
// birth date and the same last or first name are candidates, in order of
// arrival. More than limit candidates come back as their number only
// (tooMany), so a "too many" answer copies nothing.
func (r *registry) match(c criteria, limit int) (record *patient, candidates []*patient, tooMany bool) {
	last, first, motherLast := hl7.FoldName(c.last), hl7.FoldName(c.first), hl7.FoldName(c.motherLast)
	r.mu.RLock()
	defer r.mu.RUnlock()
	byLast, byFirst := r.byLast[nameKey{c.birth, last}], r.byFirst[nameKey{c.birth, first}]
	// Those with both names are on both lists: walk the shorter for them.
	both, other := byLast, byFirst
	if len(byFirst) < len(byLast) {
		both, other = byFirst, byLast
	}
	var exact *patient
	shared, exacts := 0, 0
	for _, p := range both {
		if p.normLast != last || p.normFirst != first {
			continue
		}
		shared++
		if agrees(c.sex, p.sex) && agrees(motherLast, p.normMotherLast) {
			exact = p
			exacts++
		}
	}
	if exacts == 1 {
		return exact.snapshot(), nil, false
	}
	n := len(both) + len(other) - shared
	if n > limit {
		return nil, nil, true
	}
	// Both lists are in order of arrival: merge them.
	candidates = make([]*patient, 0, n)
	i, j := 0, 0
	for i < len(byLast) || j < len(byFirst) {
		var p *patient
		switch {
		case j == len(byFirst) || (i < len(byLast) && byLast[i].seq < byFirst[j].seq):
			p, i = byLast[i], i+1
		case i == len(byLast) || byFirst[j].seq < byLast[i].seq:
			p, j = byFirst[j], j+1
		default: // the same patient, on both lists
			p, i, j = byLast[i], i+1, j+1
		}
		candidates = append(candidates, p.demographics())
	}
	return nil, candidates, false
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

// another returns the patient who arrived after p (the first, after the
// last): the record of another child, which --misbehave wrong-patient
// sends. With no other patient on file it is p.
func (r *registry) another(p *patient) *patient {
	r.mu.RLock()
	defer r.mu.RUnlock()
	i := slices.IndexFunc(r.patients, func(q *patient) bool { return q.id == p.id })
	return r.patients[(i+1)%len(r.patients)].snapshot()
}
