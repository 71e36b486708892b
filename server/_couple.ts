/**
 * The relay behind `/ws/couple/<id>` (k6 test case 52, "two sockets
 * talking"): sockets are paired by id — 1 with 2, 3 with 4, … — and each data
 * message from one goes, with its type, to the other. Messages for a partner
 * that is not connected wait until it connects.
 *
 * @module
 */

import type { Fixture, FixtureSocket } from "./_fixture.ts";

/** The pairs of one server. */
export class CoupleRelay {
  #connected = new Map<number, FixtureSocket>();
  #waiting = new Map<number, (string | Uint8Array)[]>();

  /**
   * The partner of an id.
   *
   * @param id A positive integer.
   * @returns `id + 1` for odd ids, `id - 1` for even ones.
   */
  static partnerOf(id: number): number {
    return id % 2 === 1 ? id + 1 : id - 1;
  }

  /**
   * The fixture for one side of a pair.
   *
   * @param id A positive integer.
   * @returns The fixture.
   */
  fixture(id: number): Fixture {
    return (socket) => {
      this.#connected.set(id, socket);
      for (const data of this.#waiting.get(id) ?? []) socket.send(data);
      this.#waiting.delete(id);
      const partner = CoupleRelay.partnerOf(id);
      return {
        message: (data) => {
          const target = this.#connected.get(partner);
          if (target !== undefined) return target.send(data);
          const queue = this.#waiting.get(partner) ?? [];
          queue.push(data);
          this.#waiting.set(partner, queue);
        },
        end: () => {
          if (this.#connected.get(id) === socket) this.#connected.delete(id);
        },
      };
    };
  }
}
