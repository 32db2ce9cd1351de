package cdcsoap

import (
	_ "embed"
	"strings"
)

//go:embed cdc_iis.wsdl
var wsdlTemplate string

// wsdlPlaceholder is the service address in the published CDC WSDL.
const wsdlPlaceholder = "https://REPLACE-WITH-IIS-ENDPOINT/IISService"

// WSDL returns the CDC IIS 2011 WSDL (schema inline) with the SOAP 1.2 port
// address set to endpoint.
func WSDL(endpoint string) []byte {
	return []byte(strings.Replace(wsdlTemplate, wsdlPlaceholder, string(appendEscaped(nil, endpoint)), 1))
}
