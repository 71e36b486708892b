/**
 * Running a loop on a fixed number of VUs taken from the buffer (the
 * shared-iterations, per-VU-iterations and constant-VUs executors).
 *
 * @module
 */
import type { ExecutionState, VURecord } from "./_state.ts";
import type { DurationControl } from "./timing.ts";

/**
 * Takes `count` VUs from the buffer (active while they loop), runs `loop`
 * on each, and returns each VU when its loop ends. If a VU cannot be had,
 * the loops already started are interrupted and the error is rethrown
 * once they have ended.
 *
 * @param state The run's state.
 * @param count How many VUs.
 * @param control The executor's deadlines.
 * @param loop The work of one VU.
 * @returns When every loop has ended and every VU is back.
 */
export async function runOnVUs<V>(
  state: ExecutionState<V>,
  count: number,
  control: DurationControl,
  loop: (vu: VURecord<V>) => Promise<void>,
): Promise<void> {
  const loops: Promise<void>[] = [];
  const runLoop = async (vu: VURecord<V>) => {
    try {
      await loop(vu);
    } finally {
      state.returnVU(vu, true);
    }
  };
  try {
    for (let i = 0; i < count; i++) {
      const vu = state.tryGetVU(true) ?? await state.getPlannedVU(true);
      loops.push(runLoop(vu));
    }
  } catch (error) {
    control.max.abort();
    await Promise.allSettled(loops);
    throw error;
  }
  await Promise.all(loops);
}
