/**
 * The live progress view of a run: k6's status line and one bar per
 * scenario, redrawn in place on a terminal (every 100 ms) or printed as new
 * lines elsewhere (every second), as k6 does.
 *
 * @module
 */
import type { RunProgress, ScenarioProgress } from "./execution/types.ts";
import type { ScenarioConfig } from "./options/scenario.ts";
import { ProgressDisplay, type ProgressRow } from "./progress_bar.ts";
import {
  executorProgress,
  type ExecutorProgressState,
  runStatusLine,
  waitingProgress,
} from "./progress_line.ts";

/** Where and how progress is drawn. */
export interface ProgressOptions {
  /** Writes a chunk of output. */
  readonly write: (text: string) => void;
  /** Redraw in place (a terminal) or append lines. */
  readonly tty: boolean;
  /** Colour the marks. */
  readonly colors: boolean;
  /** Terminal width in columns. */
  readonly columns?: number;
  /** Reads the run's progress. */
  readonly read: () => RunProgress;
  /** The scenario configs by name (for the right-hand parts). */
  readonly scenarios: Readonly<Record<string, ScenarioConfig>>;
}

function executorState(
  scenario: ScenarioProgress,
  config: ScenarioConfig | undefined,
): ExecutorProgressState {
  const { elapsedMs, durationMs } = scenario;
  switch (scenario.executor) {
    case "constant-vus":
      return {
        executor: "constant-vus",
        vus: scenario.maxVUs,
        elapsedMs,
        durationMs,
      };
    case "ramping-vus":
      return {
        executor: "ramping-vus",
        activeVUs: scenario.activeVUs,
        maxVUs: scenario.maxVUs,
        elapsedMs,
        durationMs,
      };
    case "shared-iterations":
      return {
        executor: "shared-iterations",
        vus: scenario.maxVUs,
        iterations: scenario.iterationsTotal ?? 0,
        doneIterations: scenario.iterationsDone ?? 0,
        elapsedMs,
        maxDurationMs: durationMs,
      };
    case "per-vu-iterations":
      return {
        executor: "per-vu-iterations",
        vus: scenario.maxVUs,
        iterationsPerVU: scenario.iterationsPerVU ?? 0,
        doneIterations: scenario.iterationsDone ?? 0,
        elapsedMs,
        maxDurationMs: durationMs,
      };
    case "constant-arrival-rate":
      return {
        executor: "constant-arrival-rate",
        runningVUs: scenario.activeVUs,
        activeVUs: scenario.maxVUs,
        maxVUs: scenario.maxVUs,
        ratePerSecond: scenario.rate ?? 0,
        elapsedMs,
        durationMs,
      };
    case "ramping-arrival-rate": {
      let maxRate = scenario.rate ?? 0;
      if (config?.executor === "ramping-arrival-rate") {
        const perSecond = 1000 / config.timeUnit;
        maxRate = Math.max(
          config.startRate,
          ...config.stages.map((s) => s.target ?? 0),
        ) * perSecond;
      }
      return {
        executor: "ramping-arrival-rate",
        runningVUs: scenario.activeVUs,
        activeVUs: scenario.maxVUs,
        maxVUs: scenario.maxVUs,
        ratePerSecond: scenario.rate ?? 0,
        maxRatePerSecond: maxRate,
        elapsedMs,
        durationMs,
      };
    }
  }
}

function rows(
  progress: RunProgress,
  scenarios: ProgressOptions["scenarios"],
): ProgressRow[] {
  const result: ProgressRow[] = [
    runStatusLine({
      started: true,
      elapsedMs: progress.elapsedMs,
      maxDurationMs: progress.maxDurationMs,
      activeVUs: progress.activeVUs,
      initializedVUs: progress.initializedVUs,
      maxVUs: progress.maxVUs,
      completeIterations: progress.completedIterations,
      interruptedIterations: progress.interruptedIterations,
    }),
  ];
  for (const scenario of progress.scenarios) {
    const parts = scenario.status === "waiting"
      ? waitingProgress(
        Math.max(0, scenario.startTimeMs - progress.elapsedMs),
        scenario.startTimeMs,
      )
      : executorProgress(executorState(scenario, scenarios[scenario.name]));
    result.push({
      left: scenario.name,
      status: scenario.status,
      progress: parts.progress,
      right: parts.right,
    });
  }
  return result;
}

/** Draws progress until stopped. */
export class ProgressView {
  readonly #options: ProgressOptions;
  readonly #display: ProgressDisplay;
  #timer: ReturnType<typeof setInterval> | undefined;

  /**
   * Creates the view (nothing is drawn until {@link ProgressView.start}).
   *
   * @param options Output and data.
   */
  constructor(options: ProgressOptions) {
    this.#options = options;
    this.#display = new ProgressDisplay({
      tty: options.tty,
      colors: options.colors,
      termWidth: options.columns && options.columns > 0 ? options.columns : 80,
    });
  }

  /** Starts drawing at k6's rate for the output kind. */
  start(): void {
    this.#timer = setInterval(
      () => this.draw(false),
      this.#options.tty ? 100 : 1000,
    );
    // The view must never keep a finished run alive.
    (this.#timer as { unref?: () => void }).unref?.();
  }

  /**
   * Draws one frame.
   *
   * @param final The last frame (on a terminal it stays on screen).
   */
  draw(final: boolean): void {
    this.#options.write(
      this.#display.render(
        rows(this.#options.read(), this.#options.scenarios),
        final,
      ),
    );
  }

  /** Stops drawing and prints the final frame. */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.draw(true);
  }
}
