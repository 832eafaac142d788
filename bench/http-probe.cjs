// The floor for a Node.js plugin: one GET with node:http, print, exit. No option parsing, no
// client library. CommonJS like the built checks: Node's ES module loader alone costs a few ms on
// Node 20 and tens of ms on Node 24 (bench/README.md), and the floor must not include it.
const { get } = require('node:http');

get(process.argv[2], (res) => {
  let body = '';
  res.on('data', (chunk) => (body += chunk));
  res.on('end', () => {
    console.log(`PROBE OK - ${body}`);
    process.exit(0);
  });
}).on('error', (error) => {
  console.log(`PROBE UNKNOWN - ${error.message}`);
  process.exit(3);
});
