// deno-fmt-ignore-file
// From the k6 documentation: grafana/k6-docs,
// docs/sources/k6/next/javascript-api/k6-http/batch.md (third example).
// Unchanged but for the await; the hosts option points test.k6.io at the
// embedded server.
import { check } from 'k6';
import http from 'k6/http';

export default async function () { // wsload 0.1: await until auto-await lands
  const responses = await http.batch(['http://test.k6.io', 'http://test.k6.io/pi.php']); // wsload 0.1: await until auto-await lands

  check(responses[0], {
    'main page 200': (res) => res.status === 200,
  });

  check(responses[1], {
    'pi page 200': (res) => res.status === 200,
    'pi page has right content': (res) => res.body === '3.14',
  });
}
