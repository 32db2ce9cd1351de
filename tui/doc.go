// Package tui is the nurse's terminal interface: a Bubble Tea program in
// which she signs in, types a student's demographics, chooses among
// candidates, reads the evaluated history and forecast, and prints it.
//
// One root model routes to one model per screen (login, search form,
// loading, candidates, record, mismatch, error, lock). Every call to the registry
// runs in a tea.Cmd and comes back as a message, so the interface never
// blocks on I/O. The registry is reached through the small Registry
// interface, which *query.Client satisfies; tests drive the models with
// a fake.
//
// Credentials typed at the login screen are kept in memory and handed to
// the CredentialStore only once CT WiZ has answered a query sent with
// them. The lock opens only for the password of the account in use,
// which the interface never reads: Registry.SamePassword compares it.
// Three wrong tries quit, and Model.LockedOut tells cmd to exit 7.
package tui
