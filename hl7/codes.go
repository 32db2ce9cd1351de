package hl7

import (
	_ "embed"
	"strings"
	"sync"
)

// cdcVG is the CDC's CVX-to-vaccine-group table, one mapping a line:
// short description|CVX|status|group|group CVX (fields space-padded).
//
//go:embed cdc-VG.txt
var cdcVG string

// Group is a vaccine group: the registry's unit of evaluation and forecast.
type Group struct {
	Name string // as a nurse reads it, e.g. "DTaP/Tdap/Td"
	CVX  string // the group's CVX, e.g. "107"
}

// groupNames are the names shown for the groups of the school and
// childhood schedule; other groups keep the CDC table's name.
var groupNames = map[string]string{
	"107": "DTaP/Tdap/Td", "115": "DTaP/Tdap/Td", "139": "DTaP/Tdap/Td", "85": "HepA", "45": "HepB", "17": "Hib",
	"137": "HPV", "88": "Influenza", "108": "Meningococcal", "164": "MenB", "03": "MMR",
	"152": "Pneumococcal", "33": "Pneumococcal", "89": "Polio", "122": "Rotavirus",
	"21": "Varicella", "213": "COVID-19", "304": "RSV", "188": "Zoster",
	// Travel and outbreak groups, whose CDC names are written in capitals.
	"184": "Yellow fever", "19": "BCG", "26": "Cholera", "319": "Anthrax", "323": "Avian influenza H5",
	"330": "Dengue", "82": "Adenovirus", "90": "Rabies", "91": "Typhoid", "92": "VEE",
}

var codes struct {
	once   sync.Once
	names  map[string]string
	groups map[string][]Group
}

func loadCodes() {
	codes.names = make(map[string]string, 300)
	codes.groups = make(map[string][]Group, 300)
	for line := range strings.SplitSeq(cdcVG, "\n") {
		f := strings.Split(line, "|")
		if len(f) < 5 {
			continue
		}
		cvx := strings.TrimSpace(f[1])
		gcvx := strings.TrimSpace(f[4])
		codes.names[cvx] = strings.TrimSpace(f[0])
		name := groupNames[gcvx]
		if name == "" {
			name = strings.TrimSpace(f[3])
		}
		g := Group{Name: name, CVX: gcvx}
		dup := false
		for _, have := range codes.groups[cvx] {
			dup = dup || have.Name == g.Name
		}
		if !dup {
			codes.groups[cvx] = append(codes.groups[cvx], g)
		}
	}
}

// NormCVX gives a CVX code the form the CDC tables use: padding removed,
// one-digit codes with their leading zero ("3" and "03" are both MMR).
func NormCVX(cvx string) string {
	cvx = strings.TrimSpace(cvx)
	if len(cvx) == 1 {
		return "0" + cvx
	}
	return cvx
}

// VaccineName returns the CDC short description of a CVX code, or "".
func VaccineName(cvx string) string {
	codes.once.Do(loadCodes)
	return codes.names[NormCVX(cvx)]
}

// VaccineGroups returns the vaccine groups a CVX code counts toward:
// several for a combination vaccine, none for an unknown code.
func VaccineGroups(cvx string) []Group {
	codes.once.Do(loadCodes)
	return codes.groups[NormCVX(cvx)]
}

// GroupName returns the display name of a vaccine group given by its CVX
// (or by any vaccine's CVX in it), or "" when unknown.
func GroupName(cvx string) string {
	if n, ok := groupNames[NormCVX(cvx)]; ok {
		return n
	}
	if gs := VaccineGroups(cvx); len(gs) > 0 {
		return gs[0].Name
	}
	return ""
}
