/**
 * The seven timing phases of one HTTP round trip, computed from the moments
 * the client saw (k6's `httpext.Tracer`): wait for a connection, TCP
 * connect, TLS handshake, request written, first response byte, end of the
 * body.
 *
 * @module
 */

/** The timings of a response (`res.timings`), in milliseconds. */
export interface Timings {
  /** `sending + waiting + receiving`. */
  readonly duration: number;
  /** Waiting for a connection: a new one's DNS, TCP and TLS included. */
  readonly blocked: number;
  /** Always 0, as in k6 (DNS time is part of `blocked`). */
  readonly looking_up: number;
  /** The TCP connect of a new connection. */
  readonly connecting: number;
  /** The TLS handshake of a new connection. */
  readonly tls_handshaking: number;
  /** Writing the request. */
  readonly sending: number;
  /** From the request written to the first response byte. */
  readonly waiting: number;
  /** From the first response byte to the end of the body. */
  readonly receiving: number;
}

/** The timings of a request that never got anywhere. */
export const NO_TIMINGS: Timings = Object.freeze({
  duration: 0,
  blocked: 0,
  looking_up: 0,
  connecting: 0,
  tls_handshaking: 0,
  sending: 0,
  waiting: 0,
  receiving: 0,
});

/**
 * The moments of one round trip (`performance.now()` milliseconds; 0 =
 * did not happen). Filled in as the events arrive.
 */
export class Trace {
  /** A connection was asked for. */
  getConn = 0;
  /** The TCP connect began (after DNS). */
  connectStart = 0;
  /** The TCP connect finished. */
  connectDone = 0;
  /** The TLS handshake began. */
  tlsStart = 0;
  /** The TLS handshake finished. */
  tlsDone = 0;
  /** The request got its connection (new and ready, or reused). */
  gotConn = 0;
  /** The whole request was written. */
  wrote = 0;
  /** The first response byte arrived. */
  firstByte = 0;

  /**
   * Marks a kept-alive connection taken from the pool: no connect and no
   * handshake (k6 counts them as 0).
   *
   * @param at When the request got it.
   * @param tls Whether the connection is TLS.
   */
  reused(at: number, tls: boolean): void {
    this.gotConn = at;
    this.connectStart = this.connectDone = at;
    if (tls) this.tlsStart = this.tlsDone = at;
  }

  /**
   * The phases, as k6's `Tracer.Done` computes them.
   *
   * @param end When the round trip ended (body read, or failure).
   * @returns The timings.
   */
  done(end: number): Timings {
    const blocked = this.gotConn > this.getConn && this.getConn !== 0
      ? this.gotConn - this.getConn
      : 0;
    const connecting = this.connectDone !== 0 && this.connectStart !== 0
      ? this.connectDone - this.connectStart
      : 0;
    const tls = this.tlsDone !== 0 && this.tlsStart !== 0
      ? this.tlsDone - this.tlsStart
      : 0;
    let sending = 0;
    let waiting = 0;
    if (this.wrote !== 0) {
      const ready = this.tlsDone || this.connectDone || this.gotConn;
      sending = Math.max(0, this.wrote - ready);
      if (this.firstByte !== 0) {
        if (this.firstByte > this.wrote) waiting = this.firstByte - this.wrote;
      } else {
        waiting = end - this.wrote;
      }
    }
    const receiving = this.firstByte !== 0 ? end - this.firstByte : 0;
    return {
      duration: sending + waiting + receiving,
      blocked,
      looking_up: 0,
      connecting,
      tls_handshaking: tls,
      sending,
      waiting,
      receiving,
    };
  }
}
