// deno-fmt-ignore-file
// From the k6 documentation: grafana/k6-docs,
// docs/sources/k6/next/javascript-api/k6-http/set-response-callback.md.
// Unchanged; the hosts option points
// quickpizza.grafana.com at the embedded server.
import http from 'k6/http';

http.setResponseCallback(http.expectedStatuses({ min: 200, max: 300 }));

const only300Callback = http.expectedStatuses(300);

export default () => {
  // this will use the default response callback and be marked as successful
  http.get('https://quickpizza.grafana.com/api/status/200');

  // this will be marked as a failed request as it won't get the expected status code of 300
  http.get('https://quickpizza.grafana.com/api/status/200', {
    responseCallback: only300Callback,
  });

  http.setResponseCallback(http.expectedStatuses(301));
  // from here on for this VU only the 301 status code will be successful so on the next iteration of
  // the VU the first request will be marked as failure
};
