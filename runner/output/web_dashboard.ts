/**
 * The web dashboard (`K6_WEB_DASHBOARD=true`, or `--out web-dashboard`):
 * an HTTP server that shows the run while it goes on — the page of the
 * HTML report (charts of VUs, iteration and message rates, the WebSocket
 * and custom trend percentiles, checks; the errors; the thresholds, checks
 * and metrics tables), updated every period over server-sent events.
 *
 * Settings, as k6 reads them (the `--out web-dashboard=port=0&period=1s`
 * argument, a query string, wins over the variables):
 *
 * | variable | parameter | default | meaning |
 * |---|---|---|---|
 * | `K6_WEB_DASHBOARD_HOST` | `host` | `127.0.0.1` | address to listen on (k6: every address) |
 * | `K6_WEB_DASHBOARD_PORT` | `port` | `5665` | port; `0` picks a free one, `-1` serves nothing (only the export) |
 * | `K6_WEB_DASHBOARD_PERIOD` | `period` | `10s` | how often the page is updated |
 * | `K6_WEB_DASHBOARD_OPEN` | `open` | `false` | open the page in the default browser |
 * | `K6_WEB_DASHBOARD_EXPORT` | `export` | none | write the report (the same page, self-contained) to this file at the end |
 *
 * Paths: `/` the live page, `/events` the event stream (`snapshot`
 * events: `{ running, meta, main, timeline }`), `/report` the report of the
 * run so far as a download. The server stops when the run ends (after a
 * last `snapshot` with `running: false`).
 *
 * @module
 */
import { spawn } from "node:child_process";
import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import process from "node:process";
import type { Sample } from "../../metrics/sample.ts";
import { now } from "../../metrics/sample.ts";
import type { EngineSnapshot } from "../engine/snapshot.ts";
import { parseGoDuration } from "../options/duration.ts";
import type { SummaryData } from "../summary/data.ts";
import {
  renderReportPage,
  renderReportParts,
  type ReportPageInput,
} from "./_report_page.ts";
import { Timeline } from "./_timeline.ts";
import { loadUplotAssets, type UplotAssets } from "./_uplot_assets.ts";
import { HtmlReportOutput } from "./html_report.ts";
import type { Output, OutputContext, RunEnd } from "./output.ts";

/** The output's name, as `--out` takes it. */
export const WEB_DASHBOARD = "web-dashboard";
/** k6's default port. */
export const DEFAULT_DASHBOARD_PORT = 5665;

/** The dashboard's settings. */
export interface DashboardConfig {
  /** Address to listen on. */
  readonly host: string;
  /** Port; `-1` for no server. */
  readonly port: number;
  /** Milliseconds between updates. */
  readonly periodMs: number;
  /** Open the page in a browser at start. */
  readonly open: boolean;
  /** Report file written at the end. */
  readonly exportFile?: string;
}

function portOf(text: string, from: string): number {
  const port = Number(text);
  if (!/^-?\d+$/.test(text) || port < -1 || port > 65535) {
    throw new Error(
      `invalid port '${text}' in ${from}: expected 0 to 65535, or -1 for no server`,
    );
  }
  return port;
}

function periodOf(text: string, from: string): number {
  let ms: number;
  try {
    ms = parseGoDuration(text);
  } catch (error) {
    throw new Error(`invalid period in ${from}: ${(error as Error).message}`);
  }
  if (ms <= 0) throw new Error(`the period in ${from} must be positive`);
  return ms;
}

/**
 * Reads the dashboard's settings.
 *
 * @param argument What follows `web-dashboard=` (a query string; may be empty).
 * @param env The process environment.
 * @returns The settings.
 * @throws {Error} For a malformed port or period, or an unknown parameter.
 *
 * @example Variables and the argument
 * ```ts
 * import { dashboardConfig } from "./web_dashboard.ts";
 * import assert from "node:assert/strict";
 *
 * const config = dashboardConfig("period=1s", {
 *   K6_WEB_DASHBOARD_PORT: "0",
 *   K6_WEB_DASHBOARD_EXPORT: "report.html",
 * });
 * assert.deepEqual(config, {
 *   host: "127.0.0.1",
 *   port: 0,
 *   periodMs: 1000,
 *   open: false,
 *   exportFile: "report.html",
 * });
 * ```
 */
export function dashboardConfig(
  argument: string,
  env: Readonly<Record<string, string>>,
): DashboardConfig {
  let host = env.K6_WEB_DASHBOARD_HOST || "127.0.0.1";
  let port = env.K6_WEB_DASHBOARD_PORT === undefined
    ? DEFAULT_DASHBOARD_PORT
    : portOf(env.K6_WEB_DASHBOARD_PORT, "K6_WEB_DASHBOARD_PORT");
  let periodMs = env.K6_WEB_DASHBOARD_PERIOD === undefined
    ? 10_000
    : periodOf(env.K6_WEB_DASHBOARD_PERIOD, "K6_WEB_DASHBOARD_PERIOD");
  let open = env.K6_WEB_DASHBOARD_OPEN === "true";
  let exportFile = env.K6_WEB_DASHBOARD_EXPORT || undefined;
  for (const [key, value] of new URLSearchParams(argument)) {
    switch (key) {
      case "host":
        if (value) host = value;
        break;
      case "port":
        if (value) port = portOf(value, "the 'port' parameter");
        break;
      case "period":
        if (value) periodMs = periodOf(value, "the 'period' parameter");
        break;
      case "open":
        open = value === "" || value === "true";
        break;
      case "export":
      case "report":
        if (value) exportFile = value;
        break;
      default:
        throw new Error(
          `unknown parameter '${key}'; the parameters are host, port, period, open, export`,
        );
    }
  }
  return { host, port, periodMs, open, ...(exportFile ? { exportFile } : {}) };
}

/** What the dashboard reads from the run besides samples. */
export interface DashboardContext
  extends Pick<OutputContext, "scriptPath" | "logger" | "failures"> {
  /** The summary so far (thresholds as last evaluated), for the tables. */
  readonly summarySoFar?: () => {
    readonly snapshot: EngineSnapshot;
    readonly data: SummaryData;
  };
}

function browserCommand(url: string): [string, string[]] {
  switch (process.platform) {
    case "darwin":
      return ["open", [url]];
    case "win32":
      return ["cmd", ["/c", "start", "", url]];
    default:
      return ["xdg-open", [url]];
  }
}

/**
 * The web dashboard output.
 *
 * @example Serve on a free port, without starting a run
 * ```ts ignore
 * import { WebDashboardOutput, dashboardConfig } from "./web_dashboard.ts";
 *
 * const dashboard = new WebDashboardOutput(dashboardConfig("port=0", {}), {
 *   scriptPath: "test.js",
 *   logger: console,
 * });
 * await dashboard.start();
 * console.log(dashboard.url); // http://127.0.0.1:<port>
 * dashboard.abort();
 * ```
 */
export class WebDashboardOutput implements Output {
  readonly #config: DashboardConfig;
  readonly #context: DashboardContext;
  readonly #timeline = new Timeline();
  readonly #export: HtmlReportOutput | undefined;
  readonly #clients = new Set<ServerResponse>();
  #server: Server | undefined;
  #port: number;
  #assets: UplotAssets | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #startedAt = 0;
  #done = false;

  /**
   * Creates the output (nothing is served until {@link start}).
   *
   * @param config Its settings.
   * @param context What it reads from the run.
   */
  constructor(config: DashboardConfig, context: DashboardContext) {
    this.#config = config;
    this.#context = context;
    this.#port = config.port;
    this.#export = config.exportFile === undefined
      ? undefined
      : new HtmlReportOutput(config.exportFile, context);
  }

  /** The page's address (once started; `undefined` without a server). */
  get url(): string | undefined {
    if (this.#port < 0) return undefined;
    const host = this.#config.host.includes(":")
      ? `[${this.#config.host}]`
      : this.#config.host;
    return `http://${host}:${this.#port}`;
  }

  /** `web-dashboard http://127.0.0.1:5665` (the run header shows the URL on its own line). */
  get description(): string {
    const url = this.url;
    return url === undefined ? WEB_DASHBOARD : `${WEB_DASHBOARD} ${url}`;
  }

  /**
   * Starts the server (unless the port is -1) and the export.
   *
   * @returns A promise settled once listening.
   * @throws {Error} When the port cannot be had (k6 only warns for its
   * default port, then runs without the dashboard; so does wsload).
   */
  async start(): Promise<void> {
    this.#assets = await loadUplotAssets();
    await this.#export?.start();
    this.#startedAt = now();
    if (this.#config.port >= 0) await this.#listen();
    this.#timer = setInterval(() => this.#broadcast(), this.#config.periodMs);
    this.#timer.unref?.();
  }

  async #listen(): Promise<void> {
    const server = createServer((request, response) =>
      this.#handle(request, response)
    );
    try {
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(this.#config.port, this.#config.host, () => {
          server.off("error", reject);
          resolve();
        });
      });
    } catch (error) {
      const code = (error as { code?: string }).code;
      const reason = code === "EADDRINUSE"
        ? `port ${this.#config.port} on ${this.#config.host} is already in use`
        : (error as Error).message;
      if (this.#config.port !== DEFAULT_DASHBOARD_PORT) {
        throw new Error(
          `web dashboard: ${reason}; set K6_WEB_DASHBOARD_PORT to a free port (0 picks one)`,
        );
      }
      this.#context.logger.warn(
        `web dashboard: ${reason}; the run goes on without it (set K6_WEB_DASHBOARD_PORT to a free port, 0 picks one)`,
      );
      this.#port = -1;
      return;
    }
    this.#server = server;
    this.#port = (server.address() as { port: number }).port;
    if (this.#config.open) {
      const [command, args] = browserCommand(this.url!);
      try {
        const child = spawn(command, args, { stdio: "ignore", detached: true });
        child.on("error", () => {});
        child.unref();
      } catch {
        // No browser to open: the URL is in the run header.
      }
    }
  }

  #handle(request: IncomingMessage, response: ServerResponse): void {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, { Allow: "GET" }).end();
      return;
    }
    switch (path) {
      case "/":
        response.writeHead(200, {
          "Content-Type": "text/html; charset=utf-8",
          "Cache-Control": "no-store",
        }).end(renderReportPage(this.#input(true)));
        return;
      case "/report":
        response.writeHead(200, {
          "Content-Type": "text/html; charset=utf-8",
          "Content-Disposition": 'attachment; filename="report.html"',
        }).end(renderReportPage(this.#input(false)));
        return;
      case "/events":
        response.writeHead(200, {
          "Content-Type": "text/event-stream",
          "Cache-Control": "no-store",
          Connection: "keep-alive",
        });
        response.write(`retry: ${this.#config.periodMs}\n\n`);
        response.write(this.#message());
        if (this.#done) {
          response.end();
          return;
        }
        this.#clients.add(response);
        request.on("close", () => this.#clients.delete(response));
        return;
      case "/favicon.ico":
        response.writeHead(204).end();
        return;
      default:
        response.writeHead(404, { "Content-Type": "text/plain" }).end(
          "not found: the dashboard is at /\n",
        );
    }
  }

  // The live page while running (or its last state once over), or the
  // report of the run so far (the /report download).
  #input(live: boolean, end?: RunEnd): ReportPageInput {
    const running = live && !this.#done;
    return {
      scriptPath: this.#context.scriptPath,
      startedAt: this.#timeline.origin ?? this.#startedAt,
      end: end ?? this.#context.summarySoFar?.(),
      failures: this.#context.failures?.(),
      timeline: this.#timeline.data(),
      assets: this.#assets!,
      live: live
        ? {
          running,
          elapsedMs: end?.data.state.testRunDurationMs ??
            now() - this.#startedAt,
        }
        : undefined,
    };
  }

  // One `snapshot` event of the page's changing parts.
  #message(end?: RunEnd): string {
    const parts = renderReportParts(this.#input(true, end));
    return `event: snapshot\ndata: ${
      JSON.stringify({ running: !this.#done, ...parts })
    }\n\n`;
  }

  #broadcast(end?: RunEnd): void {
    if (this.#clients.size === 0) return;
    const message = this.#message(end);
    for (const client of this.#clients) client.write(message);
  }

  /**
   * Takes a sample into the charts (and the export's).
   *
   * @param sample The sample.
   */
  add(sample: Sample): void {
    if (this.#done) return;
    this.#timeline.add(sample);
    this.#export?.add(sample);
  }

  /**
   * Sends the final state, stops the server and writes the export.
   *
   * @param end The run's summary and exit code.
   * @returns A promise settled once the server is closed and the file written.
   */
  async stop(end: RunEnd): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    clearInterval(this.#timer);
    this.#broadcast(end);
    await this.#closeServer();
    await this.#export?.stop(end);
  }

  /** Stops serving at once and writes what the export has. */
  abort(): void {
    this.#done = true;
    clearInterval(this.#timer);
    void this.#closeServer();
    this.#export?.abort();
  }

  #closeServer(): Promise<void> {
    for (const client of this.#clients) client.end();
    this.#clients.clear();
    const server = this.#server;
    this.#server = undefined;
    if (server === undefined) return Promise.resolve();
    return new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections?.();
    });
  }
}
