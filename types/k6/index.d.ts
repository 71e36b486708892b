/**
 * Types of the `k6` module as scripts run by `wsload run` see it; with the
 * other folders here, a drop-in for `@types/k6` where wsload behaves as k6
 * (see README.md next to this file).
 *
 * @module
 */
import "./global.js";

/** Runs the checks on a value; records each in the `checks` metric. */
export function check<VT>(val: VT, sets: Checkers<VT>, tags?: object): boolean;
/** Throws an error that fails the iteration. */
export function fail(err?: string): never;
/** Runs `fn` in a group (tags its samples, adds `group_duration`). */
export function group<RT>(name: string, fn: () => RT): RT;
/** Seeds `Math.random()`. */
export function randomSeed(int: number): void;
/** Pauses the VU for `t` seconds. */
export function sleep(t: number): void;

/** One check. */
export interface Checker<VT> {
  (val: VT): boolean;
}
/** Checks by description. */
export interface Checkers<VT> {
  [description: string]: Checker<VT>;
}

/** A JSON value. */
export type JSONValue =
  | null
  | boolean
  | number
  | string
  | JSONArray
  | JSONObject;
/** A JSON array. */
export interface JSONArray extends Array<JSONValue> {}
/** A JSON object. */
export interface JSONObject {
  [key: string]: JSONValue;
}

export * as default from "./index.js";
