package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"
)

// A password typed by mistake where a command does not expect it (a
// positional argument, the endpoint's query string, in a flag or in
// config.toml) is refused without being printed.
func TestPasswordTypedByMistakeNotEchoed(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/mock-bus")
	keyring.MockInit()
	const pw = "Hunter2pw"
	config := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(config, []byte("[profiles.qa]\nendpoint = \"https://ctwiz.example.org/IISService?password="+pw+"\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	student := []string{"--last", "Doe", "--first", "Jane", "--dob", "2015-01-01"}
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"as the command", []string{pw}, exitUsage, "unknown command (not shown, in case it is a password)"},
		{"after the interface's flags", []string{"--sandbox", pw}, exitUsage, "unexpected argument after --sandbox (not shown"},
		{"after a query", append(append([]string{"query", "--sandbox"}, student...), pw), exitUsage, "unexpected argument after --dob and its value (not shown"},
		{"before the flags of a query", append([]string{"query", pw}, student...), exitUsage, "unexpected argument before any flag (not shown"},
		{"after --", append(append([]string{"query"}, student...), "--", pw), exitUsage, "unexpected argument after -- (not shown"},
		{"to ping", []string{"ping", "--sandbox", pw}, exitUsage, "unexpected argument after --sandbox (not shown"},
		{"to login", []string{"login", "--profile", "qa", "--username", "jane", pw}, exitUsage, "unexpected argument after --username and its value (not shown"},
		{"to logout", []string{"logout", pw}, exitUsage, "unexpected argument before any flag (not shown"},
		{"to the sandbox", []string{"sandbox", "--quiet", pw}, exitUsage, "unexpected argument after --quiet (not shown"},
		{"starting with a dash", []string{"query", "--sandbox", "-" + pw}, exitUsage, "unknown flag (not shown, in case it is a password)"},
		{"starting with a dash after a value", []string{"ping", "--profile", "qa", "--" + pw + "=x"}, exitUsage, "unknown flag (not shown"},
		{"in --endpoint's query string", []string{"ping", "--endpoint", "https://ctwiz.example.org/IISService?password=" + pw}, exitConfig, "is followed by a query string"},
		{"in --endpoint's fragment", append([]string{"query", "--endpoint", "https://ctwiz.example.org/IISService#" + pw}, student...), exitConfig, "is followed by a query string"},
		{"in config.toml's endpoint", append([]string{"query", "--config", config}, student...), exitConfig, "is followed by a query string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCmd(t, "", nil, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, want %d; stderr lacks %q:\n%s", code, tt.code, tt.want, stderr)
			}
			if strings.Contains(stdout+stderr, pw) {
				t.Errorf("the password was printed:\nstdout:\n%s\nstderr:\n%s", stdout, stderr)
			}
		})
	}
}
