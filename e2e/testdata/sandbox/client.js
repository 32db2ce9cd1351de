// An independent SOAP client for the sandbox registry's end-to-end test,
// built on node-soap (npm "soap"): it reads the WSDL the sandbox serves at
// URL?wsdl and calls the operations that WSDL describes.
//
//   NODE_PATH=$NODE_SOAP_DIR/node_modules node client.js URL < requests.json
//
// stdin is a JSON array of calls: {"op": "connectivityTest", "echoBack": ...}
// or {"op": "submitSingleMessage", "username", "password", "facilityID",
// "hl7Message"}. stdout is a JSON array of results, one per call:
// {"return": text} or {"fault": {"kind", "code", "reason", "detail", "status"}}.
'use strict';
const soap = require('soap');

async function main() {
  const url = process.argv[2];
  if (!url) {
    console.error('usage: client.js URL < requests.json');
    process.exit(2);
  }
  const calls = JSON.parse(require('fs').readFileSync(0, 'utf8'));
  const client = await soap.createClientAsync(url + '?wsdl', { forceSoap12Headers: true });
  const results = [];
  for (const c of calls) {
    const args = c.op === 'connectivityTest'
      ? { echoBack: c.echoBack }
      : { username: c.username, password: c.password, facilityID: c.facilityID, hl7Message: c.hl7Message };
    try {
      const [out] = await client[c.op + 'Async'](args);
      results.push({ return: out && out.return });
    } catch (err) {
      const fault = err.root && err.root.Envelope && err.root.Envelope.Body && err.root.Envelope.Body.Fault;
      if (!fault) {
        results.push({ error: String(err && err.message) });
        continue;
      }
      const detail = fault.Detail || {};
      const kind = Object.keys(detail).find((k) => k !== 'attributes') || '';
      const d = detail[kind] || {};
      results.push({
        fault: {
          kind,
          code: String(d.Code),
          reason: d.Reason,
          detail: d.Detail,
          status: err.response && err.response.status,
        },
      });
    }
  }
  process.stdout.write(JSON.stringify(results));
}

main().catch((err) => {
  console.error('client.js: ' + (err && err.stack ? err.stack : err));
  process.exit(1);
});
