// deno-fmt-ignore-file
// deno-lint-ignore-file no-unused-vars
// From the k6 documentation: grafana/k6-docs,
// docs/sources/k6/next/using-k6/cookies.md (third to fifth examples: a
// cookie that replaces the jar's, res.cookies, the VU jar after a request).
// Unchanged but for one default function for the three;
// the hosts option points quickpizza.grafana.com at the embedded server.
import http from 'k6/http';
import { check } from 'k6';

export default function () {
  const jar = http.cookieJar();
  jar.set('https://quickpizza.grafana.com/api/cookies', 'my_cookie', 'hello world');

  const cookies = {
    my_cookie: {
      value: 'hello world 2',
      replace: true,
    },
  };

  let res = http.get('https://quickpizza.grafana.com/api/cookies', {
    cookies,
  });

  check(res.json(), {
    'cookie has correct value': (b) => b.cookies.my_cookie == 'hello world 2',
  });

  res = http.post('https://quickpizza.grafana.com/api/cookies?my_cookie=hello%20world', {
    redirects: 0,
  });
  check(res, {
    "has cookie 'my_cookie'": (r) => r.cookies.my_cookie.length > 0,
    'cookie has correct value': (r) => r.cookies.my_cookie[0].value === 'hello world',
  });

  const vuJar = http.cookieJar();
  const cookiesForURL = vuJar.cookiesForURL('https://quickpizza.grafana.com/api/cookies');
  check(res, {
    "vu jar has cookie 'my_cookie'": (r) => cookiesForURL.my_cookie.length > 0,
    'vu jar cookie has correct value': (r) => cookiesForURL.my_cookie[0] === 'hello world',
  });
}
