// The floor for a Node.js plugin: one GET with node:http, print, exit. No option parsing, no client library.
import { get } from 'node:http';

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
