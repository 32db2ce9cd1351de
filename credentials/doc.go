// Package credentials keeps each nurse's CT WiZ username, password and
// facility ID in the operating system's keychain (Secret Service on Linux,
// Keychain on macOS, Credential Manager on Windows) through go-keyring.
//
// There is one keychain entry per configuration profile under the service
// name "ctwiz-nurse"; the secret is a small JSON object. A further entry,
// ":profiles", lists the profile names, since go-keyring cannot enumerate
// entries. When no keychain can be reached the package says so
// (ErrUnavailable, with what the nurse can do) and never falls back to a
// file: the caller keeps the password in memory for the session or takes
// it from the CTWIZ_* environment variables. A keychain that does not
// answer within the Store's timeout (a locked keyring with no way to show
// its unlock prompt) counts as unavailable, and while that call still
// hangs the next ones fail at once instead of waiting again.
//
// Credentials never show the password when printed (fmt, log/slog,
// encoding/json), also as an exported field of another struct, and
// keychain errors are scrubbed of it.
package credentials
