// deno-fmt-ignore-file
// From the k6 documentation: grafana/k6-docs,
// docs/sources/k6/next/javascript-api/k6-http/url.md.
// Unchanged; the hosts option points test.k6.io at the
// embedded server.
import http from 'k6/http';

export default function () {
  for (let id = 1; id <= 100; id++) {
    // tags.name="https://test.k6.io?id=${}",
    http.get(http.url`https://test.k6.io?id=${id}`);
  }
}
