package sandbox

import (
	"bytes"
	"strings"
)

// nonConformant breaks a reply the way the misbehaviour says, segment by
// segment; other modes leave it as it is.
func (s *Server) nonConformant(reply []byte) []byte {
	segs := strings.Split(strings.TrimRight(string(reply), "\r"), "\r")
	profile := ""
	if f := strings.Split(segs[0], "|"); len(f) > 20 { // f[n-1] is MSH-n
		profile, _, _ = strings.Cut(f[20], "^")
	}
	var out []string
	switch s.misbehave {
	case WrongControlID:
		for _, seg := range segs {
			if strings.HasPrefix(seg, "MSA|") {
				f := strings.Split(seg, "|")
				if len(f) > 2 {
					f[2] = "SBX-ANOTHER-QUERY"
				}
				seg = strings.Join(f, "|")
			}
			out = append(out, seg)
		}
	case Z31WithRXA:
		done := profile != "Z31"
		for _, seg := range segs {
			out = append(out, seg)
			if !done && strings.HasPrefix(seg, "PID|") {
				out = append(out, "ORC|RE||9999^SANDBOX", "RXA|0|1|20200101|20200101|03^MMR^CVX|999||||||||||||||CP|A")
				done = true
			}
		}
	case Z42NoForecast:
		for i, seg := range segs {
			if profile == "Z42" && strings.HasPrefix(seg, "RXA|") && strings.Contains(seg, "|998^") {
				out = out[:len(out)-1] // its ORC
				break
			}
			out = append(out, segs[i])
		}
	case NoStatus:
		forecast, dropped := false, false
		for _, seg := range segs {
			forecast = forecast || (strings.HasPrefix(seg, "RXA|") && strings.Contains(seg, "|998^"))
			if forecast && !dropped && strings.HasPrefix(seg, "OBX|") && strings.Contains(seg, "|59783-1^") {
				dropped = true
				continue
			}
			out = append(out, seg)
		}
	case NoRegistryID:
		for _, seg := range segs {
			if (profile == "Z32" || profile == "Z42") && strings.HasPrefix(seg, "PID|") {
				f := strings.Split(seg, "|")
				if len(f) > 3 {
					f[3] = "" // PID-3, the patient's identifiers
				}
				seg = strings.Join(f, "|")
			}
			out = append(out, seg)
		}
	case BadERR:
		for _, seg := range segs {
			out = append(out, seg)
			if strings.HasPrefix(seg, "MSA|") {
				out = append(out, "ERR||PID^one|ABC^Not a code^HL70357||||||Sandbox error sent on purpose (--misbehave bad-err)")
			}
		}
	default:
		return reply
	}
	var b bytes.Buffer
	for _, seg := range out {
		b.WriteString(seg)
		b.WriteByte('\r')
	}
	return b.Bytes()
}
