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

// NormCVX gives a CVX code the form the CDC tables use: padding and extra
// leading zeros removed ("045" is 45), one-digit codes with their leading
// zero ("3", "003" and "03" are all MMR).
func NormCVX(cvx string) string {
	cvx = trimSpace(cvx)
	if len(cvx) > 2 && cvx[0] == '0' && strings.Trim(cvx, "0123456789") == "" {
		cvx = strings.TrimLeft(cvx, "0")
	}
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

// groupOf names the group of a vaccine as a registry sent it, code and
// text: a combination vaccine's code with one component's text
// (94^Varicella, 22^HIB) is that component's group, not the first group
// the CDC table lists for the combination.
func groupOf(cvx, text string) string {
	if gs := VaccineGroups(cvx); len(gs) > 1 {
		if n := GroupByName(text); n != "" {
			for _, g := range gs {
				if g.Name == n {
					return n
				}
			}
		}
	}
	return GroupName(cvx)
}

// groupWords map the names registries give vaccine groups and series
// (upper case, letters and digits only) to the group names shown.
var groupWords = map[string]string{
	"MMR": "MMR", "MEASLES": "MMR", "MUMPS": "MMR", "RUBELLA": "MMR",
	"VARICELLA": "Varicella", "VZV": "Varicella", "CHICKENPOX": "Varicella", "VAR": "Varicella",
	"HEPB": "HepB", "HEPATITISB": "HepB", "HEPA": "HepA", "HEPATITISA": "HepA",
	"HIB": "Hib", "DTAP": "DTaP/Tdap/Td", "DTP": "DTaP/Tdap/Td", "TDAP": "DTaP/Tdap/Td", "TD": "DTaP/Tdap/Td",
	"DTAPTDAPTD": "DTaP/Tdap/Td", "DIPHTHERIA": "DTaP/Tdap/Td", "TETANUS": "DTaP/Tdap/Td", "PERTUSSIS": "DTaP/Tdap/Td",
	"POLIO": "Polio", "IPV": "Polio", "OPV": "Polio",
	"PNEUMO": "Pneumococcal", "PNEUMOCOCCAL": "Pneumococcal", "PCV": "Pneumococcal", "PCV13": "Pneumococcal", "PPSV": "Pneumococcal", "PPSV23": "Pneumococcal",
	"ROTA": "Rotavirus", "ROTAVIRUS": "Rotavirus", "FLU": "Influenza", "INFLUENZA": "Influenza",
	"HPV": "HPV", "MENING": "Meningococcal", "MENINGOCOCCAL": "Meningococcal", "MCV4": "Meningococcal", "MENACWY": "Meningococcal", "MCV": "Meningococcal",
	"MENB": "MenB", "ZOSTER": "Zoster", "SHINGLES": "Zoster", "COVID": "COVID-19", "COVID19": "COVID-19", "RSV": "RSV",
}

// GroupByName returns the group a registry's name for a vaccine group or
// series means ("HEP B", "Chicken pox", "Influenza, Seasonal"), or "".
// The whole name is tried, then its first two words, then its first.
func GroupByName(name string) string {
	words := strings.FieldsFunc(strings.ToUpper(name), func(r rune) bool {
		return !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	})
	if len(words) == 0 {
		return ""
	}
	for _, try := range []string{strings.Join(words, ""), strings.Join(words[:min(2, len(words))], ""), words[0]} {
		if g, ok := groupWords[try]; ok {
			return g
		}
	}
	return ""
}

// seriesGroup maps a forecast series (59780-7, code and name) to the
// nurse's vaccine group, or "" to show it under the registry's name.
func seriesGroup(code, name string) string {
	return firstNonEmpty(GroupByName(code), GroupByName(name))
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
