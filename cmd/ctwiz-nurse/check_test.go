package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// decode --check on every sample: the exit code, the summary, and the
// findings that did not pass (the conformance package's tests hold each
// finding's detail).
func TestDecodeCheckSamples(t *testing.T) {
	tests := map[string]struct {
		code    int
		summary string
		lines   []string
	}{
		"ack_ar_q11_unrecognized_type_ig.hl7":              {exitFailure, "4 checks: 3 passed, 1 failed, 0 warnings, 0 not checked", []string{"FAIL  msa-2-echo    MSA-2 is empty"}},
		"ack_ar_unsupported_version_ig.hl7":                {exitOK, "5 checks: 4 passed, 0 failed, 0 warnings, 1 not checked", []string{"SKIP  msa-2-echo    MSA-2 is \"9299381\""}},
		"qbp_z34_ig_example.hl7":                           {exitFailure, "1 checks: 0 passed, 1 failed", []string{"FAIL  message-type  MSH-9 is \"QBP^Q11^QBP_Q11\": not a reply"}},
		"qbp_z34_missing_query_tag_ig.hl7":                 {exitFailure, "1 checks: 0 passed, 1 failed", nil},
		"qbp_z44_dqa_message_hub.hl7":                      {exitFailure, "1 checks: 0 passed, 1 failed", nil},
		"qbp_z44_nist_qr_1_1.hl7":                          {exitFailure, "1 checks: 0 passed, 1 failed", nil},
		"qbp_z44_nist_qr_4_1.hl7":                          {exitFailure, "1 checks: 0 passed, 1 failed", nil},
		"rsp_z31_ig_two_candidates.hl7":                    {exitOK, "10 checks: 8 passed, 0 failed, 0 warnings, 2 not checked", []string{"PASS  profile-content  Z31 lists 2 candidate(s) and no immunizations"}},
		"rsp_z31_three_candidates_sample085.hl7":           {exitFailure, "11 checks: 7 passed, 2 failed, 0 warnings, 2 not checked", []string{"FAIL  qak-1-echo       QAK-1 is empty", "FAIL  qak-2-status     QAK-2 is empty"}},
		"rsp_z32_ig_example.hl7":                           {exitFailure, "9 checks: 6 passed, 1 failed, 0 warnings, 2 not checked", []string{"FAIL  pid-required     PID 1 lacks PID-7 birth date"}},
		"rsp_z33_ae_err_ig.hl7":                            {exitFailure, "9 checks: 7 passed, 1 failed, 0 warnings, 1 not checked", []string{"FAIL  qak-1-echo       QAK-1 is empty", "PASS  err-format       ERR 1 is well formed"}},
		"rsp_z33_nf_ig.hl7":                                {exitOK, "8 checks: 6 passed, 0 failed, 0 warnings, 2 not checked", []string{"PASS  profile-status   MSH-21 Z33 with QAK-2 NF"}},
		"rsp_z33_nf_nist_qr_3_2.hl7":                       {exitOK, "8 checks: 6 passed, 0 failed, 0 warnings, 2 not checked", nil},
		"rsp_z33_nf_with_err_info.hl7":                     {exitOK, "9 checks: 7 passed, 0 failed, 0 warnings, 2 not checked", nil},
		"rsp_z33_tm_ig.hl7":                                {exitOK, "8 checks: 6 passed, 0 failed, 0 warnings, 2 not checked", []string{"PASS  profile-status   MSH-21 Z33 with QAK-2 TM"}},
		"rsp_z33_tm_nist_qr_4_2.hl7":                       {exitOK, "8 checks: 6 passed, 0 failed, 0 warnings, 2 not checked", nil},
		"rsp_z42_ct_wiz_webiz.hl7":                         {exitOK, "27 checks: 25 passed, 0 failed, 0 warnings, 2 not checked", []string{"PASS  forecast-groups  forecast HepB: overdue, with the dates its status needs"}},
		"rsp_z42_ig_complete_example.hl7":                  {exitFailure, "10 checks: 7 passed, 1 failed, 0 warnings, 2 not checked", []string{"FAIL  forecast-groups  forecast HepA has no series status (OBX 59783-1)"}},
		"rsp_z42_ig_multiple_recommendations_fragment.hl7": {exitFailure, "12 checks: 7 passed, 3 failed, 0 warnings, 2 not checked", nil},
		"rsp_z32_delaware_compound_codes_smm_tester.hl7":   {exitFailure, "23 checks: 7 passed, 14 failed, 0 warnings, 2 not checked", nil},
		"rsp_z32_mcir_component_type_smm_tester.hl7":       {exitOK, "17 checks: 7 passed, 0 failed, 8 warnings, 2 not checked", nil},
		"rsp_z42_group_status_nyc_cir_style_built.hl7":     {exitOK, "12 checks: 9 passed, 0 failed, 1 warnings, 2 not checked", nil},
		"rsp_z42_lsvf_letters_iis_sandbox_style_built.hl7": {exitOK, "13 checks: 8 passed, 0 failed, 3 warnings, 2 not checked", nil},
		"rsp_z42_series_name_flshots_style_built.hl7":      {exitOK, "13 checks: 11 passed, 0 failed, 0 warnings, 2 not checked", nil},
		"rsp_z42_webiz_ae_with_err_warning.hl7":            {exitOK, "28 checks: 24 passed, 0 failed, 2 warnings, 2 not checked", []string{"WARN  msa-1-code       MSA-1 is AE", "WARN  err-format       ERR 1: ERR-3 \"999\" is not in table 0357"}},
	}
	paths, _ := filepath.Glob(filepath.Join(samples, "*.hl7"))
	if len(paths) != len(tests) {
		t.Errorf("%d samples, %d in the table", len(paths), len(tests))
	}
	for _, p := range paths {
		name := filepath.Base(p)
		t.Run(name, func(t *testing.T) {
			tt, ok := tests[name]
			if !ok {
				t.Fatal("not in the table")
			}
			code, out, errs := runCmd(t, "", nil, "decode", "--check", p)
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr %s", code, tt.code, errs)
			}
			for _, s := range append(tt.lines, "\n"+tt.summary, "rule: CDC IG 2.5.1 R1.5") {
				if !strings.Contains(out, s) {
					t.Errorf("output lacks %q:\n%s", s, out)
				}
			}
		})
	}
}

func TestDecodeCheckFlags(t *testing.T) {
	query := filepath.Join(samples, "qbp_z44_nist_qr_4_1.hl7")
	reply := filepath.Join(samples, "rsp_z33_tm_nist_qr_4_2.hl7")
	t.Run("with its query", func(t *testing.T) {
		code, out, _ := runCmd(t, "", nil, "decode", "--check", "--query", query, reply)
		if code != exitOK || !strings.Contains(out, `PASS  msa-2-echo       MSA-2 "NIST-IZ-QR-4.1_Query_Q11_Z44" is the query's MSH-10`) ||
			!strings.Contains(out, "8 checks: 8 passed, 0 failed, 0 warnings, 0 not checked\n") {
			t.Errorf("exit %d\n%s", code, out)
		}
	})
	t.Run("another query", func(t *testing.T) {
		code, out, _ := runCmd(t, "", nil, "decode", "--check", reply, "--query", filepath.Join(samples, "qbp_z44_nist_qr_1_1.hl7"))
		if code != exitFailure || !strings.Contains(out, `FAIL  msa-2-echo       MSA-2 "NIST-IZ-QR-4.1_Query_Q11_Z44" is not the query's MSH-10 "NIST-IZ-QR-1.1_Query_Q11_Z44"`) {
			t.Errorf("exit %d\n%s", code, out)
		}
	})
	t.Run("json", func(t *testing.T) {
		code, out, _ := runCmd(t, "", nil, "decode", "--check", "--json", filepath.Join("..", "..", "conformance", "testdata", "z31_with_rxa.hl7"))
		var got struct {
			Findings []struct{ Check, Level, Rule, Detail string }
			Failed   int
			Warnings int
		}
		if err := json.Unmarshal([]byte(out), &got); err != nil || code != exitFailure || got.Failed != 1 || got.Warnings != 0 {
			t.Fatalf("exit %d, %v: %s", code, err, out)
		}
		found := false
		for _, f := range got.Findings {
			found = found || (f.Check == "profile-content" && f.Level == "fail" && f.Rule != "")
		}
		if !found {
			t.Errorf("no failed profile-content finding: %s", out)
		}
	})
	for _, c := range []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"query without check", []string{"decode", "--query", query, reply}, exitUsage, "--query is used with --check"},
		{"query is a reply", []string{"decode", "--check", "--query", reply, reply}, exitFailure, "not a QBP query"},
		{"missing query", []string{"decode", "--check", "--query", "/nonexistent.hl7", reply}, exitFailure, "no such file"},
		{"not HL7", []string{"decode", "--check", "-"}, exitFailure, "not an HL7 v2 message"},
	} {
		t.Run(c.name, func(t *testing.T) {
			stdin := ""
			if c.name == "not HL7" {
				stdin = "<html>"
			}
			code, _, errs := runCmd(t, stdin, nil, c.args...)
			if code != c.code || !strings.Contains(errs, c.stderr) {
				t.Errorf("exit %d, stderr %s", code, errs)
			}
		})
	}
}
