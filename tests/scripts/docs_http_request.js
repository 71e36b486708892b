// deno-fmt-ignore-file
// From the k6 documentation: grafana/k6-docs,
// docs/sources/k6/next/javascript-api/k6-http/request.md.
// Unchanged but for the awaits; the hosts option points
// quickpizza.grafana.com at the embedded server.
import http from 'k6/http';

const url = 'https://quickpizza.grafana.com/api/post';

export default async function () { // wsload 0.1: await until auto-await lands
  const data = { name: 'Bert' };

  // Using a JSON string as body
  let res = await http.request('POST', url, JSON.stringify(data), { // wsload 0.1: await until auto-await lands
    headers: { 'Content-Type': 'application/json' },
  });
  console.log(res.json().name); // Bert

  // Using an object as body, the headers will automatically include
  // 'Content-Type: application/x-www-form-urlencoded'.
  res = await http.request('POST', url, data); // wsload 0.1: await until auto-await lands
  console.log(res.body); // name=Bert
}
