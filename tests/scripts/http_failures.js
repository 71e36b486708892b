// deno-fmt-ignore-file
// Requests that fail in the ways k6 gives error codes for: refused,
// unknown host, reset, closed without an answer, timeout, and a 404.
import http from 'k6/http';

export default async function () { // wsload 0.1: await until auto-await lands
  const base = __ENV.BASE_URL;
  const responses = [
    await http.get('http://127.0.0.1:1/'), // wsload 0.1: await until auto-await lands
    await http.get('http://nonexistent.invalid/'), // wsload 0.1: await until auto-await lands
    await http.get(`${base}/fault/reset`), // wsload 0.1: await until auto-await lands
    await http.get(`${base}/fault/eof`), // wsload 0.1: await until auto-await lands
    await http.get(`${base}/fault/hang`, { timeout: '200ms' }), // wsload 0.1: await until auto-await lands
    await http.get(`${base}/api/status/404`), // wsload 0.1: await until auto-await lands
  ];
  console.log(responses.map((res) => res.error_code).join(' '));
}
