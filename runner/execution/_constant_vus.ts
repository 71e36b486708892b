/**
 * `constant-vus`: a fixed number of VUs loop over iterations until the
 * duration passes.
 *
 * @module
 */
import type { ConstantVUsScenario } from "../options/scenario.ts";
import { Executor, type ProgressDetails } from "./_executor.ts";
import type { VURecord } from "./_state.ts";
import { runOnVUs } from "./_vu_loops.ts";

/** Runs a constant-vus scenario. */
export class ConstantVUsExecutor<V> extends Executor<V, ConstantVUsScenario> {
  /** The scenario's `duration`, ms. */
  get durationMs(): number {
    return this.config.duration ?? 0;
  }

  /** @returns Time done of the duration. */
  protected details(): ProgressDetails {
    const vus = this.tuple.scale(this.config.vus);
    return {
      progress: this.durationMs === 0
        ? 1
        : Math.min(this.elapsed, this.durationMs) / this.durationMs,
      activeVUs: vus,
      maxVUs: vus,
    };
  }

  /** @param parent The run's signal. */
  protected async execute(parent: AbortSignal): Promise<void> {
    const control = this.startControl(
      parent,
      this.durationMs,
      this.config.gracefulStop,
    );
    const loop = async (vu: VURecord<V>) => {
      while (!control.regular.signal.aborted) {
        await this.iterate(vu, control.max.signal);
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
