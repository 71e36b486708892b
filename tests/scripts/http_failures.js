// deno-fmt-ignore-file
// Requests that fail in the ways k6 gives error codes for: refused,
// unknown host, reset, closed without an answer, timeout, and a 404.
import http from 'k6/http';

export default function () {
  const base = __ENV.BASE_URL;
  const responses = [
    http.get('http://127.0.0.1:1/'),
    http.get('http://nonexistent.invalid/'),
    http.get(`${base}/fault/reset`),
    http.get(`${base}/fault/eof`),
    http.get(`${base}/fault/hang`, { timeout: '200ms' }),
    http.get(`${base}/api/status/404`),
  ];
  console.log(responses.map((res) => res.error_code).join(' '));
}
