/**
 * The script loader of `wsload run`: reads a k6 script and its modules,
 * makes them wait where k6 blocks, and instantiates them per VU.
 *
 * @module
 */
export * from "./import.ts";
export * from "./load.ts";
export * from "./script_error.ts";
export * from "./sandbox.ts";
