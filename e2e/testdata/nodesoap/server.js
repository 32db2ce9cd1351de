// An independent CDC IIS 2011 SOAP peer for ctwiz-nurse's end-to-end tests,
// built on node-soap (npm "soap"). It serves the CDC WSDL on 127.0.0.1 and
// answers connectivityTest and submitSingleMessage in SOAP 1.2.
//
//   NODE_PATH=$NODE_SOAP_DIR/node_modules node server.js WSDL REPLY_HL7 USER PASSWORD [as-is]
//
// It prints "LISTENING <port>" once ready, then "QPD-4 <raw field>" for each
// query, so a test can see exactly what arrived. submitSingleMessage returns
// the HL7 of REPLY_HL7 (segments joined with CR) with MSA-2 set to the
// request's MSH-10, or left as the file has it with "as-is" (a registry
// that names another query); a wrong username or password raises the
// WSDL's SecurityFault.
'use strict';
const fs = require('fs');
const http = require('http');
const soap = require('soap');

const [wsdlPath, replyPath, user, password, mode] = process.argv.slice(2);
if (!password || (mode !== undefined && mode !== 'as-is')) {
  console.error('usage: server.js WSDL REPLY_HL7 USER PASSWORD [as-is]');
  process.exit(2);
}
const replyLines = fs.readFileSync(replyPath, 'utf8').split(/\r\n|\r|\n/).filter((l) => l !== '');

function replyTo(hl7) {
  const segments = hl7.split(/\r\n|\r|\n/);
  const qpd = segments.find((s) => s.startsWith('QPD|'));
  console.log('QPD-4 ' + (qpd ? qpd.split('|')[4] : '(no QPD)'));
  const msh = segments[0].split('|');
  const control = msh[9] || '';
  return replyLines
    .map((l) => {
      if (!l.startsWith('MSA|') || mode === 'as-is') return l;
      const f = l.split('|');
      f[2] = control;
      return f.join('|');
    })
    .join('\r') + '\r';
}

function securityFault() {
  const detail = 'Invalid Username, Password or FacilityID';
  return {
    Fault: {
      Code: { Value: 'soap:Sender' },
      Reason: { Text: detail },
      Detail: {
        SecurityFault: {
          attributes: { xmlns: 'urn:cdc:iisb:2011' },
          Code: 401,
          Reason: 'Security',
          Detail: detail,
        },
      },
      statusCode: 500,
    },
  };
}

const service = {
  client_Service: {
    client_Port_Soap12: {
      connectivityTest(args) {
        return { return: 'node-soap: ' + args.echoBack };
      },
      submitSingleMessage(args) {
        if (args.username !== user || args.password !== password) {
          throw securityFault();
        }
        return { return: replyTo(args.hl7Message) };
      },
    },
  },
};

const server = http.createServer((req, res) => {
  res.statusCode = 404;
  res.end();
});
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  const wsdl = fs
    .readFileSync(wsdlPath, 'utf8')
    .replace('https://REPLACE-WITH-IIS-ENDPOINT/IISService', `http://127.0.0.1:${port}/IISService`);
  soap.listen(server, {
    path: '/IISService',
    services: service,
    xml: wsdl,
    forceSoap12Headers: true,
    suppressStack: true,
    // Content-Length rather than chunked, as registries send.
    enableChunkedEncoding: false,
    callback: (err) => {
      if (err) {
        console.error(err);
        process.exit(1);
      }
      console.log('LISTENING ' + port);
    },
  });
});
