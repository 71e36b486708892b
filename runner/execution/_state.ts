/**
 * The execution state shared by all scenarios of a run (k6's
 * `lib.ExecutionState`): the buffer of initialised VUs that scenarios
 * borrow and return, VU numbering, and the run-wide counters.
 *
 * @module
 */
import { formatDuration } from "../options/duration.ts";
import {
  type ExecutionShare,
  SegmentedIndex,
} from "../options/execution_segment.ts";
import type { ExecutionHooks } from "./types.ts";

const PLANNED_VU_WAIT_MS = 400;
const PLANNED_VU_RETRIES = 5;

/** An initialised VU and its iteration counters. */
export interface VURecord<V> {
  /** The runner's handle. */
  readonly handle: V;
  /** `__VU`. */
  readonly idInInstance: number;
  /** The VU's number across instances. */
  readonly idInTest: number;
  /** Iterations started so far, in any scenario. */
  iterations: number;
  /** Iterations started so far, per scenario. */
  readonly scenarioIterations: Map<string, number>;
}

/** VUs and counters of one run. */
export class ExecutionState<V> {
  /** The runner's callbacks. */
  readonly hooks: ExecutionHooks<V>;
  /** Where warnings and errors go. */
  readonly logger: {
    warn(message: string): void;
    error(message: string): void;
  };
  /** VUs initialised so far (`vus_max`). */
  initializedVUs = 0;
  /** VUs currently active (`vus`). */
  activeVUs = 0;
  /** Iterations completed. */
  completedIterations = 0;
  /** Iterations interrupted. */
  interruptedIterations = 0;
  readonly #idle: VURecord<V>[] = [];
  readonly #waiters: ((vu: VURecord<V>) => void)[] = [];
  readonly #ids: SegmentedIndex;
  readonly #instanceIds: SegmentedIndex;
  #uninitializedUnplannedVUs: number;

  /**
   * Creates the state.
   *
   * @param hooks The runner's callbacks.
   * @param tuple The execution segment (numbers VUs).
   * @param maxPlannedVUs VUs initialised before the test.
   * @param maxPossibleVUs The most VUs the run may initialise.
   */
  constructor(
    hooks: ExecutionHooks<V>,
    tuple: ExecutionShare,
    maxPlannedVUs: number,
    maxPossibleVUs: number,
  ) {
    this.hooks = hooks;
    this.logger = {
      warn: (message) => hooks.logger?.warn(message),
      error: (message) => hooks.logger?.error(message),
    };
    this.#ids = new SegmentedIndex(tuple);
    this.#instanceIds = new SegmentedIndex(tuple.instanceOffsets());
    this.#uninitializedUnplannedVUs = maxPossibleVUs - maxPlannedVUs;
  }

  /**
   * Initialises a new VU through the runner (not yet in the buffer).
   *
   * @param signal Passed to the runner's `initVU`.
   * @returns The VU.
   */
  async initializeVU(signal: AbortSignal): Promise<VURecord<V>> {
    const [, idInTest] = this.#ids.next();
    const [, idInInstance] = this.#instanceIds.next();
    const handle = await this.hooks.initVU({ idInInstance, idInTest }, signal);
    this.initializedVUs++;
    return {
      handle,
      idInInstance,
      idInTest,
      iterations: 0,
      scenarioIterations: new Map(),
    };
  }

  /**
   * Puts a VU into the buffer (or hands it to a scenario waiting for one).
   *
   * @param vu The VU.
   * @param wasActive Whether it counted as active until now.
   */
  returnVU(vu: VURecord<V>, wasActive: boolean): void {
    if (wasActive) this.activeVUs--;
    const waiter = this.#waiters.shift();
    if (waiter) waiter(vu);
    else this.#idle.push(vu);
  }

  /**
   * Takes a VU from the buffer if one is there.
   *
   * @param markActive Whether the VU counts as active from now on.
   * @returns The VU, or `undefined`.
   */
  tryGetVU(markActive: boolean): VURecord<V> | undefined {
    const vu = this.#idle.shift();
    if (vu && markActive) this.activeVUs++;
    return vu;
  }

  #waitForVU(ms: number): Promise<VURecord<V> | undefined> {
    const idle = this.#idle.shift();
    if (idle) return Promise.resolve(idle);
    return new Promise((resolve) => {
      const waiter = (vu: VURecord<V>) => {
        clearTimeout(timer);
        resolve(vu);
      };
      const timer = setTimeout(() => {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        resolve(undefined);
      }, ms);
      this.#waiters.push(waiter);
    });
  }

  /**
   * Takes a VU from the buffer, waiting up to 2 s for one to be returned
   * (k6's `GetPlannedVU`, with its warnings).
   *
   * @param markActive Whether the VU counts as active from now on.
   * @returns The VU.
   * @throws {Error} `could not get a VU from the buffer in 2s`.
   */
  async getPlannedVU(markActive: boolean): Promise<VURecord<V>> {
    for (let attempt = 1; attempt <= PLANNED_VU_RETRIES; attempt++) {
      const vu = await this.#waitForVU(PLANNED_VU_WAIT_MS);
      if (vu) {
        if (markActive) this.activeVUs++;
        return vu;
      }
      this.logger.warn(
        `Could not get a VU from the buffer for ${
          formatDuration(attempt * PLANNED_VU_WAIT_MS)
        }`,
      );
    }
    throw new Error(
      `could not get a VU from the buffer in ${
        formatDuration(PLANNED_VU_RETRIES * PLANNED_VU_WAIT_MS)
      }`,
    );
  }

  /**
   * Gets a VU beyond the pre-allocated ones (arrival-rate executors):
   * initialises a new one while the plan allows, otherwise reuses one from
   * the buffer (k6's `GetUnplannedVU`).
   *
   * @param signal Passed to the runner's `initVU`.
   * @returns The VU (not counted as active).
   */
  getUnplannedVU(signal: AbortSignal): Promise<VURecord<V>> {
    if (this.#uninitializedUnplannedVUs > 0) {
      this.#uninitializedUnplannedVUs--;
      return this.initializeVU(signal);
    }
    return this.getPlannedVU(false);
  }
}
