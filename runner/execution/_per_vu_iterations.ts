/**
 * `per-vu-iterations`: each VU runs the same number of iterations; those a
 * VU has not started by `maxDuration` are reported as `dropped_iterations`
 * (tagged with the VU when the `vu` system tag is enabled).
 *
 * @module
 */
import type { PerVUIterationsScenario } from "../options/scenario.ts";
import { Executor, type ProgressDetails } from "./_executor.ts";
import type { VURecord } from "./_state.ts";
import { runOnVUs } from "./_vu_loops.ts";

/** Runs a per-vu-iterations scenario. */
export class PerVUIterationsExecutor<V>
  extends Executor<V, PerVUIterationsScenario> {
  #done = 0;

  /** The scenario's `maxDuration`, ms. */
  get durationMs(): number {
    return this.config.maxDuration;
  }

  /** @returns Iterations done of all. */
  protected details(): ProgressDetails {
    const vus = this.tuple.scale(this.config.vus);
    const total = vus * this.config.iterations;
    return {
      progress: total === 0 ? 1 : this.#done / total,
      activeVUs: vus,
      maxVUs: vus,
      iterationsDone: this.#done,
      iterationsTotal: total,
      iterationsPerVU: this.config.iterations,
    };
  }

  /** @param parent The run's signal. */
  protected async execute(parent: AbortSignal): Promise<void> {
    const { iterations } = this.config;
    const control = this.startControl(
      parent,
      this.config.maxDuration,
      this.config.gracefulStop,
    );
    const loop = async (vu: VURecord<V>) => {
      for (let i = 0; i < iterations; i++) {
        if (control.regular.signal.aborted) {
          this.emitDropped(iterations - i, vu.idInInstance);
          return;
        }
        await this.iterate(vu, control.max.signal);
        this.#done++;
      }
    };
    await runOnVUs(
      this.state,
      this.tuple.scale(this.config.vus),
      control,
      loop,
    );
  }
}
