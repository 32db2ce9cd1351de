package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestInterfaceRefusals(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"not a terminal", []string{"--sandbox"}, exitUsage, "needs a terminal"},
		{"password flag", []string{"--password", "x"}, exitUsage, "never given on the command line"},
		{"stray argument", []string{"--sandbox", "extra"}, exitUsage, `unexpected argument "extra"`},
		{"unknown flag", []string{"--sandbx"}, exitUsage, "flag provided but not defined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCmd(t, "", func(string) string { return "" }, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, tt.code, tt.want)
			}
		})
	}
}

func TestInterfaceLogIsPrivate(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	t.Setenv("HOME", cache)
	logger, closeLog, path := openInterfaceLog()
	logger.Info("interface started")
	closeLog()
	if want := filepath.Join(cache, "ctwiz-nurse", "interface.log"); path != want {
		t.Errorf("log at %s, want %s", path, want)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("log mode %v, want 0600", fi.Mode().Perm())
	}
	if di, _ := os.Stat(filepath.Dir(path)); di.Mode().Perm() != 0o700 {
		t.Errorf("log folder mode %v, want 0700", di.Mode().Perm())
	}
}
