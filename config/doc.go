// Package config reads ctwiz-nurse's configuration file, TOML at
// os.UserConfigDir()/ctwiz-nurse/config.toml: named profiles (for example
// "qa" and "production"), each with the CT WiZ endpoint, facility ID,
// username, MSH codes, processing ID, query profiles, candidate limit,
// timeouts, CA file, idle lock and printer.
//
// The file never holds a password: a file with a password key anywhere is
// refused, so that a password typed into it by mistake is noticed rather
// than silently used. Passwords live in the keychain (package credentials).
package config
