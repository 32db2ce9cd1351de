package conformance_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ctwiz-nurse/ctwiz-nurse/conformance"
	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
)

func parse(t *testing.T, path string) *hl7.Message {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m, err := hl7.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// notPassed lists the findings that did not pass, as "level check".
func notPassed(fs []conformance.Finding) []string {
	var out []string
	for _, f := range fs {
		if f.Level != conformance.Pass {
			out = append(out, string(f.Level)+" "+f.Check)
		}
	}
	return out
}

// Every sample of hl7/testdata and every broken reply of testdata,
// checked without its query: what does not pass, exactly, and how many
// checks passed.
func TestCheckSamples(t *testing.T) {
	skipEcho := []string{"skip msa-2-echo", "skip qak-1-echo"}
	qbp := []string{"fail message-type"}
	tests := map[string]struct {
		passes int
		want   []string
	}{
		"ack_ar_q11_unrecognized_type_ig.hl7":              {3, []string{"fail msa-2-echo"}},
		"ack_ar_unsupported_version_ig.hl7":                {4, []string{"skip msa-2-echo"}},
		"qbp_z34_ig_example.hl7":                           {0, qbp},
		"qbp_z34_missing_query_tag_ig.hl7":                 {0, qbp},
		"qbp_z44_dqa_message_hub.hl7":                      {0, qbp},
		"qbp_z44_nist_qr_1_1.hl7":                          {0, qbp},
		"qbp_z44_nist_qr_4_1.hl7":                          {0, qbp},
		"rsp_z31_ig_two_candidates.hl7":                    {8, skipEcho},
		"rsp_z31_three_candidates_sample085.hl7":           {7, []string{"skip msa-2-echo", "fail qak-1-echo", "fail qak-2-status", "skip profile-status"}},
		"rsp_z32_ig_example.hl7":                           {6, append(skipEcho, "fail pid-required")},
		"rsp_z33_ae_err_ig.hl7":                            {7, []string{"skip msa-2-echo", "fail qak-1-echo"}},
		"rsp_z33_nf_ig.hl7":                                {6, skipEcho},
		"rsp_z33_nf_nist_qr_3_2.hl7":                       {6, skipEcho},
		"rsp_z33_nf_with_err_info.hl7":                     {7, skipEcho},
		"rsp_z33_tm_ig.hl7":                                {6, skipEcho},
		"rsp_z33_tm_nist_qr_4_2.hl7":                       {6, skipEcho},
		"rsp_z42_ct_wiz_webiz.hl7":                         {25, skipEcho},
		"rsp_z42_ig_complete_example.hl7":                  {7, append(skipEcho, "fail forecast-groups")},
		"rsp_z42_ig_multiple_recommendations_fragment.hl7": {7, append(skipEcho, "fail forecast-groups", "fail forecast-groups", "fail forecast-groups")},
		"rsp_z42_webiz_ae_with_err_warning.hl7":            {24, []string{"skip msa-2-echo", "warn msa-1-code", "skip qak-1-echo", "warn err-format"}},
		"rsp_z32_delaware_compound_codes_smm_tester.hl7":   {7, append(skipEcho, slices.Repeat([]string{"fail forecast-groups"}, 14)...)},
		"rsp_z32_mcir_component_type_smm_tester.hl7":       {7, append(skipEcho, append([]string{"warn profile-content"}, slices.Repeat([]string{"warn forecast-groups"}, 7)...)...)},
		"rsp_z42_series_name_flshots_style_built.hl7":      {11, skipEcho},
		"rsp_z42_group_status_nyc_cir_style_built.hl7":     {9, append(skipEcho, "warn forecast-groups")},
		"rsp_z42_lsvf_letters_iis_sandbox_style_built.hl7": {8, append(skipEcho, "warn forecast-groups", "warn forecast-groups", "warn forecast-groups")},
		"z31_with_rxa.hl7":                                 {7, append(skipEcho, "fail profile-content")},
		"z42_without_forecast.hl7":                         {6, append(skipEcho, "fail profile-content")},
		"forecast_missing_status.hl7":                      {24, append(skipEcho, "fail forecast-groups")},
		"malformed_err.hl7":                                {6, append(skipEcho, "fail err-format")},
	}
	samples, _ := filepath.Glob("../hl7/testdata/*.hl7")
	broken, _ := filepath.Glob("testdata/*.hl7")
	paths := append(samples, broken...)
	if len(paths) != len(tests) {
		t.Errorf("%d samples, %d in the table: every sample needs its expected findings", len(paths), len(tests))
	}
	for _, p := range paths {
		name := filepath.Base(p)
		t.Run(name, func(t *testing.T) {
			tt, ok := tests[name]
			if !ok {
				t.Fatal("not in the table")
			}
			fs := conformance.Check(parse(t, p), nil)
			if got := notPassed(fs); !slices.Equal(got, tt.want) {
				t.Errorf("not passed:\n got  %q\n want %q", got, tt.want)
			}
			fails, warns := conformance.Count(fs)
			if passes := len(fs) - len(notPassed(fs)); passes != tt.passes {
				t.Errorf("%d checks passed, want %d (%d failed, %d warned)", passes, tt.passes, fails, warns)
			}
			for _, f := range fs {
				if f.Rule == "" || f.Detail == "" || !strings.HasPrefix(f.Rule, "CDC IG 2.5.1 R1.5") {
					t.Errorf("finding without its rule or detail: %+v", f)
				}
			}
		})
	}
}

// The details name what is wrong, field by field.
func TestCheckDetails(t *testing.T) {
	tests := []struct {
		file, check string
		level       conformance.Level
		detail      string
	}{
		{"testdata/z31_with_rxa.hl7", conformance.CheckProfileContent, conformance.Fail, "Z31 lists 2 candidate(s) but also carries ORC/RXA: a candidate list holds demographics only"},
		{"testdata/z42_without_forecast.hl7", conformance.CheckProfileContent, conformance.Fail, "Z42 has no forecast: no RXA 998 (no vaccine administered) carrying the recommendations"},
		{"testdata/forecast_missing_status.hl7", conformance.CheckForecast, conformance.Fail, "forecast HepB has no series status (OBX 59783-1)"},
		{"testdata/malformed_err.hl7", conformance.CheckERR, conformance.Fail, `ERR 1: ERR-3 "ABC" is not a code of table 0357; ERR-4 (severity) is empty; ERR-2 is not a location SEG^sequence^field`},
		{"../hl7/testdata/rsp_z32_ig_example.hl7", conformance.CheckPID, conformance.Fail, "PID 1 lacks PID-7 birth date"},
		{"../hl7/testdata/rsp_z42_webiz_ae_with_err_warning.hl7", conformance.CheckAck, conformance.Warn, "MSA-1 is AE, but the reply holds a complete record and only warnings (as WebIZ sends); AE means an error was found"},
		{"../hl7/testdata/ack_ar_q11_unrecognized_type_ig.hl7", conformance.CheckControlID, conformance.Fail, "MSA-2 is empty"},
		{"../hl7/testdata/rsp_z31_three_candidates_sample085.hl7", conformance.CheckQueryTag, conformance.Fail, "QAK-1 is empty"},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.file)+"/"+tt.check, func(t *testing.T) {
			for _, f := range conformance.Check(parse(t, tt.file), nil) {
				if f.Check == tt.check && f.Level == tt.level && f.Detail == tt.detail {
					return
				}
			}
			t.Errorf("no %s %s finding %q in\n%s", tt.level, tt.check, tt.detail, dump(conformance.Check(parse(t, tt.file), nil)))
		})
	}
}

func dump(fs []conformance.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "  %s %s: %s\n", f.Level, f.Check, f.Detail)
	}
	return b.String()
}

// With the query that produced the reply, the echo checks compare.
func TestCheckWithQuery(t *testing.T) {
	tests := []struct {
		query, reply string
		want         []string // the echo and profile findings, as "level check"
	}{
		// NIST QR-4: the query and its too-many answer.
		{"qbp_z44_nist_qr_4_1.hl7", "rsp_z33_tm_nist_qr_4_2.hl7", []string{"pass msa-2-echo", "pass qak-1-echo", "pass profile-query"}},
		// Another query's answer: neither echo matches.
		{"qbp_z44_nist_qr_1_1.hl7", "rsp_z33_tm_nist_qr_4_2.hl7", []string{"fail msa-2-echo", "fail qak-1-echo", "pass profile-query"}},
		// A Z34 query answered with Z42.
		{"qbp_z34_ig_example.hl7", "rsp_z42_ig_complete_example.hl7", []string{"pass msa-2-echo", "pass qak-1-echo", "fail profile-query"}},
	}
	for _, tt := range tests {
		t.Run(tt.query+"/"+tt.reply, func(t *testing.T) {
			q := conformance.QueryOf(parse(t, "../hl7/testdata/"+tt.query))
			var got []string
			for _, f := range conformance.Check(parse(t, "../hl7/testdata/"+tt.reply), &q) {
				switch f.Check {
				case conformance.CheckControlID, conformance.CheckQueryTag, conformance.CheckProfileQuery:
					got = append(got, string(f.Level)+" "+f.Check)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// Findings go into reports sent outside the school: they never quote a
// patient's name, birth date or identifier.
func TestFindingsHoldNoPatientData(t *testing.T) {
	fs := conformance.Check(parse(t, "../hl7/testdata/rsp_z42_ct_wiz_webiz.hl7"), nil)
	fs = append(fs, conformance.Check(parse(t, "testdata/z31_with_rxa.hl7"), nil)...)
	for _, f := range fs {
		for _, v := range []string{"BUTTE", "Butte", "DIANTHE", "20140815", "2014-08-15", "867287", "C39K78647", "Child", "Robert", "20050512", "99445566"} {
			if strings.Contains(f.Detail, v) {
				t.Errorf("finding %s quotes %q: %s", f.Check, v, f.Detail)
			}
		}
	}
}

func TestCheckExchange(t *testing.T) {
	sent, _ := os.ReadFile("../hl7/testdata/qbp_z44_nist_qr_4_1.hl7")
	reply, _ := os.ReadFile("../hl7/testdata/rsp_z33_tm_nist_qr_4_2.hl7")
	if fails, warns := conformance.Count(conformance.CheckExchange(sent, reply)); fails != 0 || warns != 0 {
		t.Errorf("%d failed, %d warned", fails, warns)
	}
	fs := conformance.CheckExchange(sent, []byte("<html>502</html>"))
	if len(fs) != 1 || fs[0].Check != conformance.CheckMessageType || fs[0].Level != conformance.Fail {
		t.Errorf("not HL7: %+v", fs)
	}
}
