/**
 * The chat rooms behind `/chat/<room>` and `/ws/crocochat/<room>/`: the
 * protocol of test-api.k6.io's "crocochat" (grafana/test-api.k6.io,
 * `api/websocket.py`), which the k6/ws and k6/websockets documentation
 * examples talk to.
 *
 * @module
 */

import type { Fixture, FixtureSocket } from "./_fixture.ts";

interface Member {
  readonly socket: FixtureSocket;
  name: unknown;
  left: boolean;
}

const DEFAULT_NAME = "anonymous";

/** The rooms of one server; a room exists while it has members. */
export class ChatRooms {
  #rooms = new Map<string, Set<Member>>();

  /**
   * The fixture for one member of a room.
   *
   * @param room The room name (from the path).
   * @returns The fixture.
   */
  fixture(room: string): Fixture {
    return (socket) => {
      const member: Member = { socket, name: DEFAULT_NAME, left: false };
      const members = this.#rooms.get(room) ?? new Set<Member>();
      this.#rooms.set(room, members);
      members.add(member);
      const broadcast = (event: Record<string, unknown>) => {
        const text = JSON.stringify(event);
        for (const other of members) other.socket.send(text);
      };
      broadcast({
        event: "USER_JOINED",
        room,
        user: member.name,
        message: `${member.name} joined`,
      });
      const leave = () => {
        if (member.left) return;
        member.left = true;
        members.delete(member);
        if (members.size === 0) this.#rooms.delete(room);
      };
      return {
        message: (data) => {
          if (member.left) return;
          const command = parseCommand(data);
          if (command === undefined) {
            const receivedJson = typeof data === "string"
              ? data
              : new TextDecoder().decode(data);
            return broadcast({
              event: "ERROR",
              room,
              received_json: receivedJson,
              message: "Invalid JSON sent",
            });
          }
          switch (command.event) {
            case undefined:
              return broadcast({
                event: "ERROR",
                room,
                user: member.name,
                message: "ERROR someone sent an invalid command",
              });
            case "SAY":
              return broadcast({
                event: "CHAT_MSG",
                room,
                user: member.name,
                message: "message" in command ? command.message : "nothing",
              });
            case "SET_NAME": {
              const oldName = member.name;
              member.name = "new_name" in command ? command.new_name : "name";
              return broadcast({
                event: "NAME_CHANGE",
                room,
                user: member.name,
                message: `User ${oldName} changed name to '${member.name}'`,
              });
            }
            case "LEAVE":
              broadcast({
                event: "USER_LEFT",
                room,
                user: member.name,
                message: `${member.name} leaves now.`,
              });
              leave();
              return socket.close(3000);
          }
        },
        end: () => {
          if (member.left) return;
          leave();
          broadcast({
            event: "USER_LEFT",
            room,
            user: member.name,
            message: `${member.name} left`,
          });
        },
      };
    };
  }
}

/**
 * Reads a client command. `undefined` for anything that is not a JSON
 * object; an object without `event` keeps `event` undefined.
 */
function parseCommand(
  data: string | Uint8Array,
): Record<string, unknown> & { event?: unknown } | undefined {
  try {
    const text = typeof data === "string"
      ? data
      : new TextDecoder().decode(data);
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      return undefined;
    }
    return value as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
