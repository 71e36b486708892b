// deno-fmt-ignore-file
// From the k6 documentation: grafana/k6-docs,
// docs/sources/k6/next/javascript-api/k6-http/get.md.
// Unchanged; the hosts option points test.k6.io at the
// embedded server.
import http from 'k6/http';

export default function () {
  const res = http.get('https://test.k6.io');
  console.log(JSON.stringify(res.headers));
}
