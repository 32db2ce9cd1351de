package tui

import (
	"cmp"
	"context"
	"errors"

	"github.com/ctwiz-nurse/ctwiz-nurse/query"
)

// problem is a failed request as the interface shows it.
type problem struct {
	title string
	text  string
	auth  bool // the registry refused the credentials: back to login
	retry bool // sending the same request again may work
	kind  string
}

// describe turns an error from the query package into what the nurse
// reads. query.Error's message already says what she can do.
func describe(err error) problem {
	var qe *query.Error
	if errors.As(err, &qe) {
		p := problem{text: qe.Error(), retry: qe.Retryable, kind: string(qe.Kind)}
		if qe.Kind == query.KindAuth {
			// The query package's advice is for the command line ("store
			// them again with ctwiz-nurse login"); here the login screen is
			// what comes next, so only the registry's own words are kept.
			p.text = "CT WiZ refused the username, password or facility ID. Type them again; if they keep being refused, ask your CT WiZ administrator to check the account."
			if f := qe.Fault; f != nil && cmp.Or(f.Detail, f.Text) != "" {
				p.text += " (CT WiZ said: " + cmp.Or(f.Detail, f.Text) + ")"
			}
		}
		switch qe.Kind {
		case query.KindAuth:
			p.title, p.auth = "CT WiZ refused your sign-in", true
		case query.KindTimeout:
			p.title = "CT WiZ did not answer in time"
		case query.KindDNS, query.KindRefused, query.KindNetwork, query.KindTLS:
			p.title = "Cannot reach CT WiZ"
		case query.KindConfig:
			p.title = "The configuration needs fixing"
		case query.KindInvalid:
			p.title = "The search needs correcting"
		case query.KindBadReply, query.KindControlID, query.KindTooLarge:
			p.title = "CT WiZ sent a reply that cannot be used"
		default:
			p.title = "The query did not work"
		}
		return p
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return problem{title: "CT WiZ did not answer in time", text: err.Error() + ". Try again in a moment.", retry: true, kind: "timeout"}
	}
	return problem{title: "The query did not work", text: err.Error(), retry: true, kind: "other"}
}
