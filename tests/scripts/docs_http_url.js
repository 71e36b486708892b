// deno-fmt-ignore-file
// From the k6 documentation: grafana/k6-docs,
// docs/sources/k6/next/javascript-api/k6-http/url.md.
// Unchanged but for the await; the hosts option points test.k6.io at the
// embedded server.
import http from 'k6/http';

export default async function () { // wsload 0.1: await until auto-await lands
  for (let id = 1; id <= 100; id++) {
    // tags.name="https://test.k6.io?id=${}",
    await http.get(http.url`https://test.k6.io?id=${id}`); // wsload 0.1: await until auto-await lands
  }
}
