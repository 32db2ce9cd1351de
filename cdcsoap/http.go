package cdcsoap

import (
	"net/http"
	"strconv"
)

// responseContentType is the Content-Type of a response or fault envelope.
func responseContentType(v Version) string {
	if v == SOAP11 {
		return "text/xml; charset=UTF-8"
	}
	return "application/soap+xml; charset=UTF-8"
}

// WriteResponse sends r as a v envelope with status 200, for a server.
func WriteResponse(w http.ResponseWriter, v Version, r *Response) error {
	return write(w, v, http.StatusOK, r.AppendXML(nil, v))
}

// WriteFault sends f as a v fault envelope with the status SOAP prescribes
// (see Fault.HTTPStatus), for a server.
func WriteFault(w http.ResponseWriter, v Version, f *Fault) error {
	return write(w, v, f.HTTPStatus(v), f.AppendXML(nil, v))
}

func write(w http.ResponseWriter, v Version, status int, body []byte) error {
	h := w.Header()
	h.Set("Content-Type", responseContentType(v))
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, err := w.Write(body)
	return err
}
