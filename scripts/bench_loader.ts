/**
 * `deno task bench`, the parts about the script loader:
 *
 * d. **Auto-await cost.** The echo loops of part b, on `k6/websockets`
 *    (`bench/echo_loop.js`) and on `k6/ws` (`bench/echo_loop_ws.js`),
 *    through `wsload run` in its default mode (scripts wait where k6
 *    blocks; every event goes through the VU's event queue) and with
 *    `--compatibility-mode=base` (run as written, events dispatched at
 *    once), interleaved, best of R. Target: the default mode ≥ 95 % of
 *    base's round trips/s.
 * e. **Init cost per VU.** `bench/init_vus.js` (a script and its helper
 *    module, both evaluated per VU as in k6) with N VUs that sleep once
 *    ready, against the same with 1 VU: the difference in the process's
 *    settled resident memory over N − 1, and how long the N VUs took to
 *    get ready.
 *
 * @module
 */
import type { EchoServerProcess } from "./bench_process.ts";
import { BENCH_SCRIPTS } from "./bench_process.ts";
import { fixed, percent, renderTable, verdict } from "./bench_report.ts";
import {
  benchWsloadEcho,
  type EchoLoopResult,
  measureInitVUs,
} from "./bench_wsload.ts";

/** What parts d and e need of the benchmark's settings. */
export interface LoaderBenchSettings {
  /** VUs of the echo loops. */
  readonly vus: number;
  /** Seconds each echo loop runs. */
  readonly runSeconds: number;
  /** Runs of each loop (the best counts). */
  readonly runs: number;
  /** Bytes per message. */
  readonly payloadSize: number;
  /** VUs of part e. */
  readonly initVUs: number;
}

/** The smallest share of base mode's rate the default mode may reach. */
const AUTO_AWAIT_TARGET = 0.95;

function bestRate(runs: readonly EchoLoopResult[]): number {
  return Math.max(...runs.map((run) => run.rate));
}

/**
 * Part d: the echo loops in the default mode against base mode.
 *
 * @param server The echo server.
 * @param settings VUs, seconds, runs and payload size.
 * @returns The report section.
 */
export async function autoAwaitCost(
  server: EchoServerProcess,
  settings: LoaderBenchSettings,
): Promise<string> {
  const loops = [
    ["k6/websockets", BENCH_SCRIPTS.echoLoop],
    ["k6/ws", BENCH_SCRIPTS.echoLoopWs],
  ] as const;
  const rows: string[][] = [];
  const verdicts: string[] = [];
  for (const [module, script] of loops) {
    const options = {
      connections: settings.vus,
      seconds: settings.runSeconds,
      payloadSize: settings.payloadSize,
      script,
    };
    await benchWsloadEcho(server, { ...options, seconds: 1 }); // warm-up
    const extended: EchoLoopResult[] = [];
    const base: EchoLoopResult[] = [];
    for (let run = 0; run < settings.runs; run++) {
      base.push(
        await benchWsloadEcho(server, {
          ...options,
          compatibilityMode: "base",
        }),
      );
      extended.push(await benchWsloadEcho(server, options));
    }
    const ratio = bestRate(extended) / bestRate(base);
    rows.push([
      module,
      fixed(bestRate(extended)),
      fixed(bestRate(base)),
      percent(bestRate(extended), bestRate(base)),
      `≥ ${AUTO_AWAIT_TARGET * 100} %`,
    ]);
    verdicts.push(
      verdict(
        `${module}: the default mode ≥ ${
          AUTO_AWAIT_TARGET * 100
        } % of base mode's round trips/s`,
        ratio >= AUTO_AWAIT_TARGET,
      ),
    );
  }
  return [
    `d. What making scripts wait where k6 blocks costs: wsload run, ` +
    `${settings.vus} VUs echoing for ${settings.runSeconds} s, in the ` +
    `default mode and with --compatibility-mode=base (no transform, events ` +
    `never queued); best of ${settings.runs}, interleaved`,
    renderTable([
      [
        "script",
        "default round trips/s",
        "base round trips/s",
        "ratio",
        "target",
      ],
      ...rows,
    ]),
    ...verdicts,
  ].join("\n");
}

/**
 * Part e: memory per VU once the script's modules are evaluated for it.
 *
 * @param server The echo server (only its memory is read).
 * @param settings The number of VUs.
 * @returns The report section.
 */
export async function initCostPerVU(
  server: EchoServerProcess,
  settings: LoaderBenchSettings,
): Promise<string> {
  const one = await measureInitVUs(server, 1);
  const many = await measureInitVUs(server, settings.initVUs);
  const perVU = (many.rssKiB - one.rssKiB) / (settings.initVUs - 1);
  return [
    `e. Init cost per VU: bench/init_vus.js (a script and a helper module, ` +
    `both evaluated per VU) with ${settings.initVUs} VUs against 1 VU, ` +
    `settled resident memory of the wsload run process`,
    renderTable([
      ["measurement", `${settings.initVUs} VUs`, "1 VU", "per VU"],
      [
        "resident memory, MiB",
        fixed(many.rssKiB / 1024, 1),
        fixed(one.rssKiB / 1024, 1),
        `${fixed(perVU, 1)} KiB`,
      ],
      [
        "seconds until every VU was ready",
        fixed(many.openSeconds, 1),
        fixed(one.openSeconds, 1),
        `${
          fixed(
            (many.openSeconds - one.openSeconds) / settings.initVUs * 1e6,
            0,
          )
        } µs`,
      ],
    ]),
  ].join("\n");
}
