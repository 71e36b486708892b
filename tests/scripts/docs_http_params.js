// deno-fmt-ignore-file
// deno-lint-ignore-file no-unused-vars
// From the k6 documentation: grafana/k6-docs,
// docs/sources/k6/next/javascript-api/k6-http/params.md (first example).
// Unchanged; the hosts option points k6.io at the
// embedded server.
import http from 'k6/http';

export default function () {
  const params = {
    cookies: { my_cookie: 'value' },
    headers: { 'X-MyHeader': 'k6test' },
    redirects: 5,
    tags: { k6test: 'yes' },
  };
  const res = http.get('https://k6.io', params);
}
