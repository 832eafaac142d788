// bench/http-probe.cjs as an ES module: shows what Node's ES module loader adds to a start.
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
