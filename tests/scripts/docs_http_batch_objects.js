// deno-fmt-ignore-file
// From the k6 documentation: grafana/k6-docs,
// docs/sources/k6/next/javascript-api/k6-http/batch.md (second example).
// Unchanged; the hosts option points
// quickpizza.grafana.com at the embedded server.
import http from 'k6/http';
import { check } from 'k6';

export default function () {
  const req1 = {
    method: 'GET',
    url: 'https://quickpizza.grafana.com/api/get',
  };
  const req2 = {
    method: 'DELETE',
    url: 'https://quickpizza.grafana.com/api/delete',
  };
  const req3 = {
    method: 'POST',
    url: 'https://quickpizza.grafana.com/api/post',
    body: JSON.stringify({ hello: 'world!' }),
    params: {
      headers: { 'Content-Type': 'application/json' },
    },
  };
  const responses = http.batch([req1, req2, req3]);
  // QuickPizza should return our POST data in the response body, so
  // we check the third response object to see that the POST worked.
  check(responses[2], {
    'form data OK': (res) => JSON.parse(res.body)['hello'] == 'world!',
  });
}
