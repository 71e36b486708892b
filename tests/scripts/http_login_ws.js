// deno-fmt-ignore-file
// A WebSocket test with an HTTP half: log in for a token, then open a
// socket with it and check the greeting and an echo. BASE_URL is the HTTP
// server, WS_URL its WebSocket side.
import http from 'k6/http';
import ws from 'k6/ws';
import { check } from 'k6';

export default function () {
  const login = http.post(
    `${__ENV.BASE_URL}/api/users/token/login`,
    JSON.stringify({ username: 'default', password: '12345678' }),
    { headers: { 'Content-Type': 'application/json' } },
  );
  check(login, {
    'logged in': (r) => r.status === 200,
    'got a token': (r) => typeof r.json('token') === 'string',
  });
  const token = login.json('token');
  const me = http.get(`${__ENV.BASE_URL}/api/users/me`, {
    headers: { Authorization: `Token ${token}` },
  });
  check(me, { 'token accepted': (r) => r.json('username') === 'default' });

  const res = ws.connect(
    `${__ENV.WS_URL}/ws`,
    { headers: { Authorization: `Token ${token}` } },
    function (socket) {
      socket.on('message', function (message) {
        const event = JSON.parse(message);
        if (event.event === 'welcome') {
          check(event, { 'welcomed by name': (e) => e.user === 'default' });
          socket.send(JSON.stringify({ event: 'SAY', message: 'hi' }));
        } else {
          check(event, { 'echoed': (e) => e.message === 'hi' });
          socket.close();
        }
      });
      socket.setTimeout(() => socket.close(), 5000);
    },
  );
  check(res, { 'upgraded': (r) => r && r.status === 101 });

  const refused = ws.connect(`${__ENV.WS_URL}/ws`, null, () => {});
  check(refused, { 'no token, no socket': (r) => r.status === 401 });
}
