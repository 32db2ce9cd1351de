package tui

import (
	"context"
	"errors"
)

type problem struct {
	title string
	text  string
	auth  bool
	retry bool
	kind  string
}

func describe(err error) problem {
	if errors.Is(err, context.DeadlineExceeded) {
		return problem{title: "CT WiZ did not answer in time", text: err.Error() + ". Try again in a moment.", retry: true, kind: "timeout"}
	}
	return problem{title: "The query did not work", text: err.Error(), retry: true, kind: "other"}
}
