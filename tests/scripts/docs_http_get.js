// deno-fmt-ignore-file
// From the k6 documentation: grafana/k6-docs,
// docs/sources/k6/next/javascript-api/k6-http/get.md.
// Unchanged but for the await; the hosts option points test.k6.io at the
// embedded server.
import http from 'k6/http';

export default async function () { // wsload 0.1: await until auto-await lands
  const res = await http.get('https://test.k6.io'); // wsload 0.1: await until auto-await lands
  console.log(JSON.stringify(res.headers));
}
