/**
 * `shared-iterations`: a fixed number of VUs take iterations from one
 * shared counter until all are started or `maxDuration` passes; iterations
 * never started are reported as `dropped_iterations`.
 *
 * @module
 */
import { sharedIterationsCount } from "../options/execution_plan.ts";
import type { SharedIterationsScenario } from "../options/scenario.ts";
import { Executor, type ProgressDetails } from "./_executor.ts";
import type { VURecord } from "./_state.ts";
import { runOnVUs } from "./_vu_loops.ts";

/** Runs a shared-iterations scenario. */
export class SharedIterationsExecutor<V>
  extends Executor<V, SharedIterationsScenario> {
  #done = 0;

  /** The scenario's `maxDuration`, ms. */
  get durationMs(): number {
    return this.config.maxDuration;
  }

  #vus(): number {
    return this.tuple.scale(this.config.vus);
  }

  #total(): number {
    return sharedIterationsCount(this.config, this.tuple);
  }

  /** @returns Iterations done of all. */
  protected details(): ProgressDetails {
    const total = this.#total();
    return {
      progress: total === 0 ? 1 : this.#done / total,
      activeVUs: this.#vus(),
      maxVUs: this.#vus(),
      iterationsDone: this.#done,
      iterationsTotal: total,
    };
  }

  /** @param parent The run's signal. */
  protected async execute(parent: AbortSignal): Promise<void> {
    const total = this.#total();
    const control = this.startControl(
      parent,
      this.config.maxDuration,
      this.config.gracefulStop,
    );
    let attempted = 0;
    const loop = async (vu: VURecord<V>) => {
      while (!control.regular.signal.aborted) {
        if (++attempted > total) return;
        await this.iterate(vu, control.max.signal);
        this.#done++;
      }
    };
    try {
      await runOnVUs(this.state, this.#vus(), control, loop);
    } finally {
      if (attempted < total) this.emitDropped(total - attempted);
    }
  }
}
