/**
 * The two open-model executors, `constant-arrival-rate` and
 * `ramping-arrival-rate`. Both start iterations at planned moments whether
 * or not earlier ones have finished: each start goes to an idle VU of the
 * scenario; with none idle the iteration is dropped (`dropped_iterations`)
 * and one more VU is initialised in the background while `maxVUs` allows,
 * else k6's warning `Insufficient VUs, reached N active VUs and cannot
 * initialize more` is logged once. They differ only in when iterations
 * start: evenly spaced at a constant rate, or following linearly ramped
 * rates (k6's `cal`).
 *
 * @module
 */
import {
  iterationTuple,
  sumStageDurations,
} from "../options/execution_plan.ts";
import type { ExecutionShare } from "../options/execution_segment.ts";
import type {
  ConstantArrivalRateScenario,
  RampingArrivalRateScenario,
} from "../options/scenario.ts";
import { Executor, type ProgressDetails } from "./_executor.ts";
import type { VURecord } from "./_state.ts";
import { delay, yieldSometimes } from "./timing.ts";

type ArrivalRateScenario =
  | ConstantArrivalRateScenario
  | RampingArrivalRateScenario;

/** The shared open-model machinery. */
abstract class ArrivalRateExecutor<V, C extends ArrivalRateScenario>
  extends Executor<V, C> {
  #running = 0;
  #activated = 0;
  /** The current iteration start rate per second, for the progress display. */
  protected rate = 0;

  /**
   * When iterations start, ms from the scenario start, in order; the
   * segment's share (striped like k6).
   *
   * @param tuple The iteration tuple (re-segmented by `maxVUs`).
   * @returns The start offsets (may be endless).
   */
  protected abstract startOffsets(tuple: ExecutionShare): Iterable<number>;

  /** @returns Time done, VUs running iterations of those initialised. */
  protected details(): ProgressDetails {
    const duration = this.durationMs;
    return {
      progress: duration === 0 ? 1 : Math.min(1, this.elapsed / duration),
      activeVUs: this.#running,
      maxVUs: this.#activated,
      rate: this.rate,
    };
  }

  /** @param parent The run's signal. */
  protected async execute(parent: AbortSignal): Promise<void> {
    const duration = this.durationMs;
    const preAllocated = this.tuple.scale(this.config.preAllocatedVUs ?? 0);
    const maxVUs = this.tuple.scale(this.config.maxVUs ?? 0);
    const control = this.startControl(
      parent,
      duration,
      this.config.gracefulStop,
    );
    const vus: VURecord<V>[] = [];
    const idle: VURecord<V>[] = [];
    const inFlight = new Set<Promise<void>>();
    const activate = (vu: VURecord<V>) => {
      vus.push(vu);
      idle.push(vu);
      this.#activated++;
    };
    const startIteration = (vu: VURecord<V>) => {
      this.#running++;
      this.state.activeVUs++;
      const iteration = this.iterate(vu, control.max.signal).then(() => {
        this.#running--;
        this.state.activeVUs--;
        inFlight.delete(iteration);
        idle.push(vu);
      });
      inFlight.add(iteration);
    };
    let allocating: Promise<void> | undefined;
    try {
      for (let i = 0; i < preAllocated; i++) {
        activate(
          this.state.tryGetVU(false) ?? await this.state.getPlannedVU(false),
        );
      }
      let remainingUnplanned = maxVUs - preAllocated;
      let warned = false;
      const tuple = iterationTuple(this.config, this.tuple) ?? this.tuple;
      for (const offset of this.startOffsets(tuple)) {
        if (offset >= duration) break;
        const wait = offset - control.elapsed;
        if (wait > 0) {
          if (!await delay(wait, control.regular.signal)) break;
        } else {
          // Behind schedule: catch up, but let timers and I/O run.
          await yieldSometimes();
          if (control.regular.signal.aborted) break;
        }
        const vu = idle.shift();
        if (vu) {
          startIteration(vu);
          continue;
        }
        this.emitDropped(1);
        if (remainingUnplanned === 0) {
          if (!warned) {
            this.state.logger.warn(
              `Insufficient VUs, reached ${maxVUs} active VUs and cannot initialize more`,
            );
            warned = true;
          }
          continue;
        }
        if (!allocating) {
          remainingUnplanned--;
          allocating = this.state.getUnplannedVU(control.max.signal).then(
            activate,
            (error) =>
              this.state.logger.error(
                `Error while allocating unplanned VU: ${
                  error instanceof Error ? error.message : String(error)
                }`,
              ),
          ).finally(() => allocating = undefined);
        }
      }
    } finally {
      await allocating;
      await Promise.all(inFlight);
      for (const vu of vus) this.state.returnVU(vu, false);
    }
  }
}

/** Runs a constant-arrival-rate scenario. */
export class ConstantArrivalRateExecutor<V>
  extends ArrivalRateExecutor<V, ConstantArrivalRateScenario> {
  /** The scenario's `duration`, ms. */
  get durationMs(): number {
    return this.config.duration ?? 0;
  }

  /**
   * Evenly spaced starts from 0: every `timeUnit / rate`.
   *
   * @param tuple The iteration tuple.
   * @returns The start offsets (endless).
   */
  protected *startOffsets(tuple: ExecutionShare): Iterable<number> {
    const { start, offsets } = tuple.stripedOffsets();
    const rate = this.config.rate ?? 0;
    const period = this.config.timeUnit / rate;
    this.rate = rate * 1000 / this.config.timeUnit * tuple.segment.length;
    for (let li = 0, gi = start;; gi += offsets[li % offsets.length], li++) {
      yield period * gi;
    }
  }
}

/** Runs a ramping-arrival-rate scenario. */
export class RampingArrivalRateExecutor<V>
  extends ArrivalRateExecutor<V, RampingArrivalRateScenario> {
  /** The stages' total duration, ms. */
  get durationMs(): number {
    return sumStageDurations(this.config.stages);
  }

  /**
   * k6's `cal`: the n-th iteration starts when the area under the rate
   * curve (linear within each stage) reaches n.
   *
   * @param tuple The iteration tuple.
   * @returns The start offsets, up to the end of the stages.
   */
  protected *startOffsets(tuple: ExecutionShare): Iterable<number> {
    const { start, offsets } = tuple.stripedOffsets();
    let li = -1;
    const next = () => offsets[++li % offsets.length];
    const timeUnit = this.config.timeUnit;
    let from = this.config.startRate / timeUnit;
    let stageStart = 0;
    let doneSoFar = 0;
    let endCount = 0;
    let previous = 0;
    this.rate = from * 1000 * this.tuple.segment.length;
    let i = start + 1;
    const emit = (offset: number) => {
      if (offset > previous) this.rate = 1000 / (offset - previous);
      previous = offset;
      return offset;
    };
    for (const stage of this.config.stages) {
      const to = (stage.target ?? 0) / timeUnit;
      const duration = stage.duration ?? 0;
      if (from !== to) {
        endCount += duration * ((to - from) / 2 + from);
        for (; i <= endCount; i += next()) {
          const radicand = duration *
            (from * from * duration + 2 * (i - doneSoFar) * (to - from));
          const x = (from * duration - Math.sqrt(Math.max(0, radicand))) /
            (from - to);
          yield emit(x + stageStart);
        }
      } else {
        endCount += duration * to;
        for (; i <= endCount; i += next()) {
          yield emit((i - doneSoFar) / to + stageStart);
        }
      }
      doneSoFar = endCount;
      from = to;
      stageStart += duration;
    }
  }
}
