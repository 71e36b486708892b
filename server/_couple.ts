/**
 * The relay behind `/ws/couple/<id>` (k6 test case 52, "two sockets
 * talking"): sockets are paired by id — 1 with 2, 3 with 4, … — and each data
 * message from one goes, with its type, to the other. Messages for a partner
 * that is not connected wait until it connects, up to a bound: a sender that
 * queues more is closed with 1008, and what a sender queued is dropped when
 * it leaves before its partner came.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import type { Fixture, FixtureSocket } from "./_fixture.ts";

/** Messages waiting for a partner, and their size. */
interface Waiting {
  readonly messages: (string | Uint8Array)[];
  bytes: number;
}

/** The close reason of a sender whose partner's waiting queue is full. */
const PARTNER_QUEUE_FULL = "relay queue full: the partner is not connected";

/** The pairs of one server. */
export class CoupleRelay {
  #connected = new Map<number, FixtureSocket>();
  #waiting = new Map<number, Waiting>();
  readonly #maxWaitingBytes: number;

  /**
   * @param maxWaitingBytes The most bytes that may wait for one partner.
   */
  constructor(maxWaitingBytes: number) {
    this.#maxWaitingBytes = maxWaitingBytes;
  }

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
      for (const data of this.#waiting.get(id)?.messages ?? []) {
        socket.send(data);
      }
      this.#waiting.delete(id);
      const partner = CoupleRelay.partnerOf(id);
      return {
        message: (data) => {
          const target = this.#connected.get(partner);
          if (target !== undefined) return target.send(data);
          const waiting = this.#waiting.get(partner) ??
            { messages: [], bytes: 0 };
          waiting.bytes += typeof data === "string"
            ? Buffer.byteLength(data)
            : data.byteLength;
          if (waiting.bytes > this.#maxWaitingBytes) {
            this.#waiting.delete(partner);
            return socket.close(1008, PARTNER_QUEUE_FULL);
          }
          waiting.messages.push(data);
          this.#waiting.set(partner, waiting);
        },
        end: () => {
          if (this.#connected.get(id) !== socket) return;
          this.#connected.delete(id);
          // What this sender queued for a partner who never came goes too.
          this.#waiting.delete(partner);
        },
      };
    };
  }
}
