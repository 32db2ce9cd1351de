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
package tui
