package hl7

import "testing"

// Each registry dialect the decoder reads, on a message of that shape:
// real replies where a public one exists (the smm-tester samples; see
// testdata/SOURCES.md), else built to the shape the registry's
// documentation and test tools describe. Every decoded field of the
// forecast and of the evaluations is compared, not only the counts.
func TestDecodeDialects(t *testing.T) {
	cases := []struct {
		name, file  string
		registryID  Identifier
		evaluations [][]Evaluation // per dose, in order
		forecast    []Forecast
	}{
		{
			name: "Florida SHOTS: a series per 59780-7, mapped to the nurse's group or kept under the registry's name",
			file: "rsp_z42_series_name_flshots_style_built.hl7", registryID: Identifier{"7700123", "FLSHOTS", "SR"},
			evaluations: [][]Evaluation{{
				{Group: "MMR", Dose: "1", Valid: "Y"}, {Group: "MMR", Dose: "1", Valid: "Y"},
				{Group: "MMR", Dose: "1", Valid: "Y"}, {Group: "Varicella", Dose: "1", Valid: "Y"},
			}},
			forecast: []Forecast{
				{Group: "Varicella", Vaccine: "CHICKEN POX", Status: StatusOverdue, Dose: "2", Earliest: "2023-03-10", Due: "2023-03-10", Overdue: "2023-11-10", Order: 1},
				{Group: "MMR", Vaccine: "MEASLES", Status: StatusOverdue, Dose: "2", Earliest: "2023-03-10", Due: "2023-03-10", Overdue: "2023-11-10", Order: 1},
				{Group: "HepB", Vaccine: "HEPATITIS B", Status: StatusComplete, Order: 1},
				{Group: "JAPANESE ENCEPHALITIS", Vaccine: "JAPANESE ENCEPHALITIS", Status: StatusNotRecommended, Order: 1},
			},
		},
		{
			name: "Delaware: 30979-9&30980-7 compound codes, the forecast under an administered dose's RXA",
			file: "rsp_z32_delaware_compound_codes_smm_tester.hl7", registryID: Identifier{"496239", "", "SR"},
			evaluations: [][]Evaluation{{}, {}, {}},
			forecast: []Forecast{
				{Group: "DTaP/Tdap/Td", CVX: "20", Vaccine: "DTaP", Due: "2013-11-21", Order: 1},
				{Group: "HepA", CVX: "83", Vaccine: "Hep A, ped/adol, 2D", Due: "2013-11-21", Order: 1},
				{Group: "HepB", CVX: "08", Vaccine: "Hep B, ped/adol", Due: "2013-11-21", Order: 1},
				{Group: "MMR", CVX: "03", Vaccine: "MMR", Due: "2013-11-21", Order: 1},
				{Group: "Varicella", CVX: "21", Vaccine: "Varicella", Due: "2013-11-21", Order: 1},
				{Group: "Influenza", CVX: "141", Vaccine: "Influenza, Seasonal", Due: "2013-11-21", Order: 1},
				{Group: "Meningococcal", CVX: "114", Vaccine: "MCV4 (Menactra)", Due: "2013-11-21", Order: 1},
				{Group: "Varicella", CVX: "21", Vaccine: "Varicella", Due: "2013-12-19", Order: 2},
				{Group: "Influenza", CVX: "141", Vaccine: "Influenza, Seasonal", Due: "2013-12-19", Order: 2},
				{Group: "DTaP/Tdap/Td", CVX: "20", Vaccine: "DTaP", Due: "2013-12-19", Order: 2},
				{Group: "HepA", CVX: "83", Vaccine: "Hep A, ped/adol, 2D", Due: "2013-12-21", Order: 2},
				{Group: "Meningococcal", CVX: "114", Vaccine: "MCV4 (Menactra)", Due: "2014-01-21", Order: 2},
				{Group: "HPV", CVX: "62", Vaccine: "HPV4 (Gardasil)", Due: "2020-01-01", Order: 1},
				{Group: "Pneumococcal", CVX: "133", Vaccine: "PCV13", Due: "2074-01-01", AdultOnly: true},
			},
		},
		{
			name: "NYC CIR: 30999-1 group statuses; a group with only a status still has a row",
			file: "rsp_z42_group_status_nyc_cir_style_built.hl7", registryID: Identifier{"4455667", "NYC", "SR"},
			evaluations: [][]Evaluation{{{Group: "DTaP/Tdap/Td", CVX: "107", Dose: "1", Valid: "Y"}}},
			forecast: []Forecast{
				{Group: "DTaP/Tdap/Td", CVX: "107", Vaccine: "DTaP", Status: StatusOverdue, Dose: "2", Due: "2023-12-01", Order: 1},
				{Group: "Rotavirus", Vaccine: "Rotavirus", Status: StatusNotRecommended, Reason: "Not recommended after 8 months.", Order: 1},
				{Group: "MMR", Vaccine: "MMR", Status: StatusComplete, Order: 1},
			},
		},
		{
			name: "Michigan MCIR: a component OBX after a vaccine-type OBX with the same sub-ID; no registry ID type",
			file: "rsp_z32_mcir_component_type_smm_tester.hl7", registryID: Identifier{"36410259754", "MIA", ""},
			evaluations: [][]Evaluation{
				{{Group: "Varicella", CVX: "21", Dose: "1", Valid: "Y"}},
				{{Group: "Varicella", CVX: "21", Dose: "2", Valid: "Y"}},
				{{Group: "MMR", CVX: "03", Dose: "1", Valid: "Y"}},
			},
			forecast: []Forecast{
				{Group: "DTaP/Tdap/Td", CVX: "20", Vaccine: "DTaP (pediatric)", Status: StatusOverdue, Earliest: "2012-05-31", Due: "2012-06-19", Order: 1},
				{Group: "Polio", CVX: "10", Vaccine: "IPV (polio)", Status: StatusOverdue, Earliest: "2012-05-31", Due: "2012-06-19", Order: 1},
				{Group: "MMR", CVX: "03", Vaccine: "MMR", Status: "incomplete", Dose: "2", Earliest: "2016-05-11", Due: "2016-06-13", Order: 1},
				{Group: "Hib", CVX: "17", Vaccine: "Hib (historical)", Status: StatusOverdue, Earliest: "2012-05-31", Due: "2012-06-19", Order: 1},
				{Group: "Varicella", CVX: "21", Vaccine: "Varicella (Varivax)", Status: StatusComplete, Order: 1},
				{Group: "Pneumococcal", CVX: "133", Vaccine: "PCV13 (Prevnar13)", Status: StatusOverdue, Earliest: "2012-05-31", Due: "2012-06-19", Order: 1},
				{Group: "HepA", CVX: "85", Vaccine: "Hep A (historical)", Status: StatusOverdue, Earliest: "2013-04-19", Due: "2013-04-19", Order: 1},
				{Group: "Influenza", CVX: "88", Vaccine: "Influenza (Historical)", Status: "incomplete", Earliest: "2016-07-01", Due: "2016-08-01", Order: 1},
			},
		},
		{
			name: "IIS Sandbox (LSVF): letters of table 99106, L is due later; 59780-7 after a vaccine only names the schedule; PI identifier",
			file: "rsp_z42_lsvf_letters_iis_sandbox_style_built.hl7", registryID: Identifier{"L88Q2", "AIRA-TEST", "PI"},
			forecast: []Forecast{
				{Group: "HepB", CVX: "45", Vaccine: "HepB", Status: StatusOnSchedule, Earliest: "2023-12-03", Due: "2024-01-05", Overdue: "2024-03-05", Reason: "Second dose at 1 month", Order: 1},
				{Group: "Rotavirus", CVX: "122", Vaccine: "Rotavirus", Status: StatusOverdue, Due: "2024-01-05", Order: 1},
				{Group: "Hib", CVX: "17", Vaccine: "Hib", Status: "queued", Order: 1},
				{Group: "Pneumococcal", CVX: "133", Vaccine: "PCV13", Status: "l", Order: 1},
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := decodeSample(t, c.file)
			if len(r.Warnings) != 0 {
				t.Errorf("warnings: %q", r.Warnings)
			}
			id, ok := r.Patients[0].RegistryIdentifier()
			if !ok || id != c.registryID || r.Patients[0].RegistryID != c.registryID.ID {
				t.Errorf("registry identifier = %+v (%v), registryId %q; want %+v", id, ok, r.Patients[0].RegistryID, c.registryID)
			}
			var evs [][]Evaluation
			for _, im := range r.Immunizations {
				evs = append(evs, im.Evaluations)
			}
			if c.evaluations == nil {
				c.evaluations = [][]Evaluation{}
			}
			if evs == nil {
				evs = [][]Evaluation{}
			}
			for i := range c.evaluations {
				if c.evaluations[i] == nil {
					c.evaluations[i] = []Evaluation{}
				}
			}
			if got, want := mustJSON(t, evs), mustJSON(t, c.evaluations); got != want {
				t.Errorf("evaluations\n got %s\nwant %s", got, want)
			}
			if got, want := mustJSON(t, r.Forecast), mustJSON(t, c.forecast); got != want {
				t.Errorf("forecast\n got %s\nwant %s", got, want)
			}
		})
	}
}

// Combination vaccines take each component's group from its own CVX or
// text; zero-padded CVX codes name the same group as the plain ones; a
// date in a vaccine-group OBX is never taken for a CVX.
func TestDecodeCodes(t *testing.T) {
	const head = "MSH|^~\\&|IIS|X|||20240101||RSP^K11^RSP_K11|9|P|2.5.1|||||||||Z42^CDCPHINVS\rMSA|AA|Q1\rQAK|T|OK\rPID|1||1^^^CT^SR||A^B||20200101|F\r"
	r, err := Decode([]byte(head+
		"RXA|0|1|20210301||94^MMRV^CVX|999|||00\r"+
		"OBX|1|CE|30956-7^Vaccine Type^LN|1|94^Measles, Mumps, Rubella^CVX\rOBX|2|NM|30973-2^Dose^LN|1|1\r"+
		"OBX|3|CE|30956-7^Vaccine Type^LN|2|94^Varicella^CVX\rOBX|4|NM|30973-2^Dose^LN|2|1\r"+
		"OBX|5|TS|30979-9^Vaccine Due Next^LN|3|20240101\r"+
		"RXA|0|1|20240101||998^No vaccine^CVX|999||||||||||||||NA\r"+
		"OBX|1|CE|30956-7^Vaccine Type^LN|1|22^HIB^CVX\rOBX|2|DT|30980-7^Due^LN|1|20240201\r"+
		"OBX|3|CE|30956-7^Vaccine Type^LN|2|045^HepB^CVX\rOBX|4|DT|30980-7^Due^LN|2|20240201\r"+
		"OBX|5|CE|30956-7^Vaccine Type^LN|3|020^DTaP^CVX\rOBX|6|DT|30980-7^Due^LN|3|20240201\r"+
		"OBX|7|CE|30956-7^Vaccine Type^LN|4|085^HepA^CVX\rOBX|8|DT|30980-7^Due^LN|4|20240201\r"+
		"OBX|9|CE|30956-7^Vaccine Type^LN|5|033^Pneumococcal^CVX\rOBX|10|DT|30980-7^Due^LN|5|20240201\r"+
		"OBX|11|CE|30956-7^Vaccine Type^LN|6|45^HepB^CVX\rOBX|12|DT|30980-7^Due^LN|6|20250201\r"), "")
	if err != nil {
		t.Fatal(err)
	}
	// Every field, not only the groups: the CVX stays as sent, the group
	// comes from the normalised code or the component's text.
	wantEv := []Evaluation{{Group: "MMR", CVX: "94", Dose: "1"}, {Group: "Varicella", CVX: "94", Dose: "1"}}
	if got, want := mustJSON(t, r.Immunizations[0].Evaluations), mustJSON(t, wantEv); got != want {
		t.Errorf("MMRV evaluations\n got %s\nwant %s", got, want)
	}
	wantF := []Forecast{
		{Group: "Hib", CVX: "22", Vaccine: "HIB", Due: "2024-02-01", Order: 1},
		{Group: "HepB", CVX: "045", Vaccine: "HepB", Due: "2024-02-01", Order: 1},
		{Group: "DTaP/Tdap/Td", CVX: "020", Vaccine: "DTaP", Due: "2024-02-01", Order: 1},
		{Group: "HepA", CVX: "085", Vaccine: "HepA", Due: "2024-02-01", Order: 1},
		{Group: "Pneumococcal", CVX: "033", Vaccine: "Pneumococcal", Due: "2024-02-01", Order: 1},
		// 45 and 045 are one group: this entry is its later one.
		{Group: "HepB", CVX: "45", Vaccine: "HepB", Due: "2025-02-01", Order: 2},
	}
	if got, want := mustJSON(t, r.Forecast), mustJSON(t, wantF); got != want {
		t.Errorf("forecast\n got %s\nwant %s", got, want)
	}
	if len(r.Warnings) != 1 || r.Warnings[0] != "OBX-3 30979-9 after RXA 94 holds a date, not a vaccine; skipped" {
		t.Errorf("warnings = %q", r.Warnings)
	}
	for _, c := range []struct{ in, want string }{{"045", "45"}, {"003", "03"}, {"3", "03"}, {"03", "03"}, {" 20 ", "20"}, {"0", "00"}, {"141", "141"}, {"0A1", "0A1"}} {
		if got := NormCVX(c.in); got != c.want {
			t.Errorf("NormCVX(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// The identifier sent back for the second step of a lookup is the one the
// registry gave, with its authority and type: SR first, then LR, PI, none.
func TestRegistryIdentifier(t *testing.T) {
	cases := []struct {
		name string
		p    Patient
		want Identifier
		ok   bool
	}{
		{"SR beats the rest", Patient{IDs: []Identifier{{"M1", "CLINIC", "MR"}, {"9", "", ""}, {"7", "CT", "SR"}}}, Identifier{"7", "CT", "SR"}, true},
		{"LR", Patient{IDs: []Identifier{{"M1", "CLINIC", "MR"}, {"L5", "NM", "LR"}}}, Identifier{"L5", "NM", "LR"}, true},
		{"PI before untyped", Patient{IDs: []Identifier{{"U1", "DE", ""}, {"P2", "DE", "PI"}}}, Identifier{"P2", "DE", "PI"}, true},
		{"untyped", Patient{IDs: []Identifier{{"36410259754", "MIA", ""}}}, Identifier{"36410259754", "MIA", ""}, true},
		{"only MR is not the registry's", Patient{IDs: []Identifier{{"M1", "CLINIC", "MR"}}}, Identifier{}, false},
		{"a registry ID typed by the nurse", Patient{RegistryID: "9000001"}, Identifier{"9000001", "", "SR"}, true},
		{"the decoded ID's identifier", Patient{RegistryID: "P2", IDs: []Identifier{{"U1", "DE", ""}, {"P2", "DE", "PI"}}}, Identifier{"P2", "DE", "PI"}, true},
	}
	for _, c := range cases {
		got, ok := c.p.RegistryIdentifier()
		if got != c.want || ok != c.ok {
			t.Errorf("%s: got %+v %v, want %+v %v", c.name, got, ok, c.want, c.ok)
		}
	}
}
