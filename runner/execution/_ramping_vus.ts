/**
 * `ramping-vus`: the number of looping VUs follows the stages. When the
 * count goes up, VUs are started; when it goes down, the surplus VUs finish
 * their current iteration and stop (graceful ramp-down), or are interrupted
 * when `gracefulRampDown` runs out. The schedule is k6's: the raw steps
 * (planned VUs over time) start and gracefully stop VUs, the graceful steps
 * (planned VUs including ramp-down reservations) hard-stop them.
 *
 * @module
 */
import {
  type ExecutionStep,
  getEndOffset,
  getExecutionRequirements,
  getMaxPlannedVUs,
  rampingVUsRawSteps,
} from "../options/execution_plan.ts";
import type { RampingVUsScenario } from "../options/scenario.ts";
import { Executor, type ProgressDetails } from "./_executor.ts";
import type { VURecord } from "./_state.ts";
import { ChildController, delay, type DurationControl } from "./timing.ts";

interface SlotOwner<V> {
  /** Aborted when the executor is over. */
  readonly done: AbortSignal;
  acquire(): VURecord<V> | Promise<VURecord<V>>;
  release(vu: VURecord<V>): void;
  iterate(vu: VURecord<V>, signal: AbortSignal): Promise<boolean>;
  fail(error: unknown): void;
}

type SlotState = "stopped" | "starting" | "running" | "stopping";

// One VU position of the executor (k6's vuHandle): started and stopped by
// the schedule, looping over iterations while running.
class Slot<V> {
  readonly #owner: SlotOwner<V>;
  #state: SlotState = "stopped";
  #vu: VURecord<V> | undefined;
  #activation: ChildController | undefined;
  #wake: (() => void) | undefined;

  constructor(owner: SlotOwner<V>) {
    this.#owner = owner;
  }

  start(): void {
    switch (this.#state) {
      case "running":
      case "starting":
        return;
      case "stopping":
        this.#state = "running";
        return;
      case "stopped":
        if (this.#vu) {
          // Hard-stopped, its iteration still settling: keep the VU.
          this.#activate();
          return;
        }
        this.#state = "starting";
        try {
          const vu = this.#owner.acquire();
          if ("then" in vu) {
            vu.then((vu) => this.#acquired(vu), (error) => {
              this.#state = "stopped";
              this.#owner.fail(error);
            });
          } else this.#acquired(vu);
        } catch (error) {
          this.#state = "stopped";
          this.#owner.fail(error);
        }
    }
  }

  #acquired(vu: VURecord<V>): void {
    if (this.#state !== "starting" || this.#owner.done.aborted) {
      this.#owner.release(vu);
      return;
    }
    this.#vu = vu;
    this.#activate();
  }

  #activate(): void {
    this.#activation?.detach();
    this.#activation = new ChildController(this.#owner.done);
    this.#state = "running";
    this.#wake?.();
  }

  gracefulStop(): void {
    if (this.#state === "running") this.#state = "stopping";
    else if (this.#state === "starting") this.#state = "stopped";
  }

  hardStop(): void {
    if (this.#state === "starting") this.#state = "stopped";
    if (this.#state !== "running" && this.#state !== "stopping") return;
    this.#activation?.abort();
    this.#state = "stopped";
    this.#wake?.();
  }

  #waitForWake(): Promise<void> {
    const done = this.#owner.done;
    if (done.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        done.removeEventListener("abort", wake);
        this.#wake = undefined;
        resolve();
      };
      this.#wake = wake;
      done.addEventListener("abort", wake, { once: true });
    });
  }

  async loop(): Promise<void> {
    const done = this.#owner.done;
    try {
      while (!done.aborted) {
        if (this.#state === "running" && this.#vu && this.#activation) {
          await this.#owner.iterate(this.#vu, this.#activation.signal);
          continue;
        }
        if (this.#vu) {
          this.#owner.release(this.#vu);
          this.#vu = undefined;
          if (this.#state === "stopping") this.#state = "stopped";
          continue;
        }
        await this.#waitForWake();
      }
    } finally {
      this.#activation?.detach();
      if (this.#vu) this.#owner.release(this.#vu);
      this.#vu = undefined;
      this.#state = "stopped";
    }
  }
}

/** Runs a ramping-vus scenario. */
export class RampingVUsExecutor<V> extends Executor<V, RampingVUsScenario> {
  #active = 0;
  #idleWaiters: (() => void)[] = [];

  // The plans take work proportional to the VU count; progress is read
  // every 100 ms (and by k6/execution), so compute them once.
  #raw: ExecutionStep[] | undefined;
  #graceful: ExecutionStep[] | undefined;
  #maxVUs: number | undefined;

  #rawSteps(): ExecutionStep[] {
    return this.#raw ??= rampingVUsRawSteps(this.config, this.tuple, true);
  }

  #gracefulSteps(): ExecutionStep[] {
    return this.#graceful ??= getExecutionRequirements(this.config, this.tuple);
  }

  /** The stages' total duration, ms. */
  get durationMs(): number {
    return getEndOffset(this.#rawSteps());
  }

  /** @returns Time done, and looping VUs of the most. */
  protected details(): ProgressDetails {
    const regular = this.durationMs;
    return {
      progress: regular === 0 ? 1 : Math.min(this.elapsed, regular) / regular,
      activeVUs: this.#active,
      maxVUs: this.#maxVUs ??= getMaxPlannedVUs(this.#gracefulSteps()),
    };
  }

  /** @param parent The run's signal. */
  protected async execute(parent: AbortSignal): Promise<void> {
    const rawSteps = this.#rawSteps();
    const gracefulSteps = this.#gracefulSteps();
    const regular = getEndOffset(rawSteps);
    const control = this.startControl(
      parent,
      regular,
      getEndOffset(gracefulSteps) - regular,
    );
    const done = control.max.signal;
    const owner: SlotOwner<V> = {
      done,
      acquire: () => {
        const vu = this.state.tryGetVU(false);
        const take = (vu: VURecord<V>) => {
          this.#active++;
          this.state.activeVUs++;
          return vu;
        };
        return vu ? take(vu) : this.state.getPlannedVU(false).then(take);
      },
      release: (vu) => {
        this.#active--;
        this.state.returnVU(vu, true);
        if (this.#active === 0) {
          for (const wake of this.#idleWaiters.splice(0)) wake();
        }
      },
      iterate: (vu, signal) => this.iterate(vu, signal),
      fail: (error) => {
        this.state.logger.error(
          `Cannot get a VU from the buffer: ${(error as Error).message}`,
        );
        control.max.abort();
      },
    };
    const slots = Array.from(
      { length: getMaxPlannedVUs(gracefulSteps) },
      () => new Slot(owner),
    );
    const loops = slots.map((slot) => slot.loop());
    let scheduled = 0;
    const onScheduledStep = (step: ExecutionStep) => {
      for (; scheduled < step.plannedVUs; scheduled++) slots[scheduled].start();
      for (; step.plannedVUs < scheduled; scheduled--) {
        slots[scheduled - 1].gracefulStop();
      }
    };
    let allowed = 0;
    const onGracefulStep = (step: ExecutionStep) => {
      for (; step.plannedVUs < allowed; allowed--) {
        slots[allowed - 1].hardStop();
      }
      allowed = step.plannedVUs;
    };
    const handled = await this.#runSteps(
      control,
      rawSteps,
      gracefulSteps,
      onScheduledStep,
      onGracefulStep,
    );
    // The remaining graceful steps hard-stop VUs still finishing their
    // iterations, while we wait for every VU to come back.
    const remainingSteps = (async () => {
      for (const step of gracefulSteps.slice(handled)) {
        if (!await delay(step.timeOffset - control.elapsed, done)) return;
        onGracefulStep(step);
      }
    })();
    if (this.#active > 0 && !done.aborted) {
      await new Promise<void>((resolve) => {
        this.#idleWaiters.push(resolve);
        done.addEventListener("abort", () => resolve(), { once: true });
      });
    }
    control.max.abort();
    await Promise.all([...loops, remainingSteps]);
  }

  // k6's iterateSteps: both step lists in time order (raw steps first on a
  // tie) until the raw steps end or the executor is over. Returns how many
  // graceful steps it handled.
  async #runSteps(
    control: DurationControl,
    rawSteps: readonly ExecutionStep[],
    gracefulSteps: readonly ExecutionStep[],
    onScheduledStep: (step: ExecutionStep) => void,
    onGracefulStep: (step: ExecutionStep) => void,
  ): Promise<number> {
    let i = 0;
    let j = 0;
    while (i < rawSteps.length) {
      const raw = rawSteps[i];
      const graceful = gracefulSteps[j];
      const takeGraceful = graceful !== undefined &&
        graceful.timeOffset < raw.timeOffset;
      const step = takeGraceful ? graceful : raw;
      if (!await delay(step.timeOffset - control.elapsed, control.max.signal)) {
        break;
      }
      if (takeGraceful) {
        onGracefulStep(step);
        j++;
      } else {
        onScheduledStep(step);
        i++;
      }
    }
    return j;
  }
}
