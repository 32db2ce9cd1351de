// Package credentials keeps each nurse's CT WiZ username, password and
// facility ID in the operating system's keychain (Secret Service on Linux,
// Keychain on macOS, Credential Manager on Windows) through go-keyring.
//
// There is one keychain entry per configuration profile under the service
// name "ctwiz-nurse"; the secret is a small JSON object. When no keychain
// can be reached the package says so (ErrUnavailable) and never falls back
// to a file: the caller keeps the password in memory for the session or
// takes it from the CTWIZ_* environment variables.
package credentials
