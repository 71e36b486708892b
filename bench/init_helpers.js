// A helper module of the kind k6 scripts import (per VU, as k6 evaluates
// it): constants, a little state, a few functions. Used by bench/init_vus.js.
export const ROOMS = ["lobby", "support", "sales", "random"];
const seen = new Map();

export function pickRoom(vu) {
  const room = ROOMS[vu % ROOMS.length];
  seen.set(vu, room);
  return room;
}

export function describeUser(vu) {
  return `user ${vu} in ${seen.get(vu) ?? "no room"}`;
}
