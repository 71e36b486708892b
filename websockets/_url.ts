/**
 * WebSocket URLs the way k6 reads them: Go's `net/url` parser (its error
 * texts, its lower-cased scheme, its re-serialisation that keeps
 * `ws://host:port` without a trailing slash) and k6's checks on top.
 *
 * Go works on bytes; so does this file, on "byte strings" (one UTF-16 unit
 * per UTF-8 byte), converted back to text at the end.
 *
 * @module
 */

/** A URL accepted by the `WebSocket` constructor. */
export interface WebSocketUrl {
  /** The URL as Go's `URL.String()` writes it. */
  readonly href: string;
  /** `ws` or `wss` (lower case). */
  readonly scheme: string;
  /** The host as written, with the port and IPv6 brackets; `""` when none. */
  readonly host: string;
  /** Whether the URL carries user-info (`ws://user:pw@host`), which gorilla refuses to dial. */
  readonly hasUserInfo: boolean;
}

/** Go's `net/url` encoding modes used here. */
const PATH = 0;
const HOST = 1;
const USER = 2;
const FRAGMENT = 3;
type Mode = typeof PATH | typeof HOST | typeof USER | typeof FRAGMENT;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function toBytes(text: string): string {
  // ASCII needs no conversion (the common case).
  // deno-lint-ignore no-control-regex
  if (/^[\x00-\x7f]*$/.test(text)) return text;
  let bytes = "";
  for (const byte of encoder.encode(text)) bytes += String.fromCharCode(byte);
  return bytes;
}

function fromBytes(bytes: string): string {
  // deno-lint-ignore no-control-regex
  if (/^[\x00-\x7f]*$/.test(bytes)) return bytes;
  const array = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) array[i] = bytes.charCodeAt(i);
  return decoder.decode(array);
}

/** Go's `strconv.Quote` for the texts at hand (JSON's quoting is the same for printable text). */
function quote(text: string): string {
  return JSON.stringify(text);
}

function isHex(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x46) ||
    (code >= 0x61 && code <= 0x66);
}

function isAlphanumeric(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a);
}

/** Go's `shouldEscape` for the modes at hand. */
function shouldEscape(code: number, mode: Mode): boolean {
  if (isAlphanumeric(code)) return false;
  const char = String.fromCharCode(code);
  if (mode === HOST && `!$&'()*+,;=:[]<>"`.includes(char)) return false;
  if ("-_.~".includes(char)) return false;
  if ("$&+,/:;=?@".includes(char)) {
    switch (mode) {
      case PATH:
        return char === "?";
      case USER:
        return char === "@" || char === "/" || char === "?" || char === ":";
      case FRAGMENT:
        return false;
    }
  }
  if (mode === FRAGMENT && "!()*".includes(char)) return false;
  return true;
}

class ParseError extends Error {}

/** Go's `unescape`: decodes `%XX` escapes, rejecting malformed ones. */
function unescape(bytes: string, mode: Mode): string {
  let result = "";
  for (let i = 0; i < bytes.length;) {
    const code = bytes.charCodeAt(i);
    if (code === 0x25) {
      if (
        i + 2 >= bytes.length || !isHex(bytes.charCodeAt(i + 1)) ||
        !isHex(bytes.charCodeAt(i + 2))
      ) {
        throw new ParseError(
          `invalid URL escape ${quote(fromBytes(bytes.slice(i, i + 3)))}`,
        );
      }
      const value = Number.parseInt(bytes.slice(i + 1, i + 3), 16);
      // Hosts may only %-encode non-ASCII bytes (and "%25", a zone's "%").
      if (mode === HOST && value < 0x80 && bytes.slice(i, i + 3) !== "%25") {
        throw new ParseError(
          `invalid URL escape ${quote(bytes.slice(i, i + 3))}`,
        );
      }
      result += String.fromCharCode(value);
      i += 3;
      continue;
    }
    if (mode === HOST && code < 0x80 && shouldEscape(code, HOST)) {
      throw new ParseError(
        `invalid character ${quote(bytes[i])} in host name`,
      );
    }
    result += bytes[i];
    i++;
  }
  return result;
}

/** Go's `escape`. */
function escape(bytes: string, mode: Mode): string {
  let result = "";
  for (let i = 0; i < bytes.length; i++) {
    const code = bytes.charCodeAt(i);
    result += shouldEscape(code, mode)
      ? `%${code.toString(16).toUpperCase().padStart(2, "0")}`
      : bytes[i];
  }
  return result;
}

/** Go's `validEncoded` for paths. */
function isValidEncodedPath(bytes: string): boolean {
  for (let i = 0; i < bytes.length; i++) {
    if (`!$&'()*+,;=:@[]%`.includes(bytes[i])) continue;
    if (shouldEscape(bytes.charCodeAt(i), PATH)) return false;
  }
  return true;
}

/** Go's `validOptionalPort`: `""` or `:` followed by digits. */
function isValidOptionalPort(port: string): boolean {
  return port === "" || /^:[0-9]*$/.test(port);
}

/** Go's `parseHost`. */
function parseHost(host: string): string {
  if (host.startsWith("[")) {
    const end = host.lastIndexOf("]");
    if (end < 0) throw new ParseError("missing ']' in host");
    const colonPort = host.slice(end + 1);
    if (!isValidOptionalPort(colonPort)) {
      throw new ParseError(`invalid port ${quote(colonPort)} after host`);
    }
  } else {
    const colon = host.lastIndexOf(":");
    if (colon !== -1 && !isValidOptionalPort(host.slice(colon))) {
      throw new ParseError(
        `invalid port ${quote(fromBytes(host.slice(colon)))} after host`,
      );
    }
  }
  return unescape(host, HOST);
}

/** The parts of a parsed URL that serialisation needs. */
interface GoUrl {
  scheme: string;
  opaque: string;
  userInfo: string | undefined;
  host: string;
  path: string;
  rawPath: string;
  forceQuery: boolean;
  rawQuery: string;
  fragment: string;
}

/** Go's `url.Parse` (without the fragment, which the caller splits off). */
function parse(raw: string): GoUrl {
  // deno-lint-ignore no-control-regex
  if (/[\x00-\x1f\x7f]/.test(raw)) {
    throw new ParseError("net/url: invalid control character in URL");
  }
  const url: GoUrl = {
    scheme: "",
    opaque: "",
    userInfo: undefined,
    host: "",
    path: "",
    rawPath: "",
    forceQuery: false,
    rawQuery: "",
    fragment: "",
  };
  let rest = raw;
  const scheme = /^[A-Za-z][A-Za-z0-9+\-.]*:/.exec(raw);
  if (scheme !== null) {
    url.scheme = scheme[0].slice(0, -1).toLowerCase();
    rest = raw.slice(scheme[0].length);
  } else if (raw.startsWith(":")) {
    throw new ParseError("missing protocol scheme");
  }
  if (rest.endsWith("?") && rest.indexOf("?") === rest.length - 1) {
    url.forceQuery = true;
    rest = rest.slice(0, -1);
  } else {
    const question = rest.indexOf("?");
    if (question >= 0) {
      url.rawQuery = rest.slice(question + 1);
      rest = rest.slice(0, question);
    }
  }
  if (!rest.startsWith("/")) {
    if (url.scheme !== "") {
      // A rootless path: opaque, as RFC 3986 says.
      url.opaque = rest;
      return url;
    }
    const segment = rest.split("/", 1)[0];
    if (segment.includes(":")) {
      throw new ParseError("first path segment in URL cannot contain colon");
    }
  }
  if (rest.startsWith("//") && (url.scheme !== "" || !rest.startsWith("///"))) {
    let authority = rest.slice(2);
    rest = "";
    const slash = authority.indexOf("/");
    if (slash >= 0) {
      rest = authority.slice(slash);
      authority = authority.slice(0, slash);
    }
    const at = authority.lastIndexOf("@");
    url.host = parseHost(at < 0 ? authority : authority.slice(at + 1));
    if (at >= 0) {
      const userInfo = authority.slice(0, at);
      if (!/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(userInfo)) {
        throw new ParseError("net/url: invalid userinfo");
      }
      for (const part of userInfo.split(":", 2)) unescape(part, USER);
      url.userInfo = userInfo;
    }
  }
  url.path = unescape(rest, PATH);
  url.rawPath = escape(url.path, PATH) === rest ? "" : rest;
  return url;
}

/** Go's `URL.EscapedPath`. */
function escapedPath(url: GoUrl): string {
  if (
    url.rawPath !== "" && isValidEncodedPath(url.rawPath) &&
    unescape(url.rawPath, PATH) === url.path
  ) {
    return url.rawPath;
  }
  if (url.path === "*") return "*";
  return escape(url.path, PATH);
}

/** Go's `URL.String` (no fragment: k6 refuses URLs that have one). */
function serialise(url: GoUrl): string {
  let text = "";
  if (url.scheme !== "") text += `${url.scheme}:`;
  if (url.opaque !== "") {
    text += url.opaque;
  } else {
    if (url.scheme !== "" || url.host !== "" || url.userInfo !== undefined) {
      if (url.host !== "" || url.path !== "" || url.userInfo !== undefined) {
        text += "//";
      }
      if (url.userInfo !== undefined) text += `${url.userInfo}@`;
      if (url.host !== "") text += escape(url.host, HOST);
    }
    const path = escapedPath(url);
    if (path !== "" && !path.startsWith("/") && url.host !== "") text += "/";
    text += path;
  }
  if (url.forceQuery || url.rawQuery !== "") text += `?${url.rawQuery}`;
  return fromBytes(text);
}

/**
 * Reads the `url` argument of `new WebSocket(url)` exactly as k6 does.
 *
 * @param value The argument (converted with `String()`).
 * @returns The URL.
 * @throws {TypeError} `WebSocket requires a url` when `value` is null or undefined.
 * @throws {SyntaxError} `WebSocket requires valid url, but got "<url>" which
 * resulted in parse "<url>": <reason>`, `WebSocket requires url with scheme
 * ws or wss, but got "<scheme>"`, `WebSocket requires no url fragment, but
 * got "<fragment>"`.
 *
 * @example Go's serialisation and errors
 * ```ts
 * import { parseWebSocketUrl } from "./_url.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(parseWebSocketUrl("WS://localhost:10000").href, "ws://localhost:10000");
 * assert.equal(parseWebSocketUrl("ws://h/a b").href, "ws://h/a%20b");
 * assert.throws(() => parseWebSocketUrl("ws://h:x"), {
 *   message: 'WebSocket requires valid url, but got "ws://h:x" which resulted in parse "ws://h:x": invalid port ":x" after host',
 * });
 * ```
 */
export function parseWebSocketUrl(value: unknown): WebSocketUrl {
  if (value === null || value === undefined) {
    throw new TypeError("WebSocket requires a url");
  }
  const text = String(value);
  const bytes = toBytes(text);
  const hash = bytes.indexOf("#");
  const beforeFragment = hash < 0 ? bytes : bytes.slice(0, hash);
  let url: GoUrl;
  let failedUrl = beforeFragment;
  try {
    url = parse(beforeFragment);
    if (hash >= 0 && hash + 1 < bytes.length) {
      failedUrl = bytes;
      url.fragment = unescape(bytes.slice(hash + 1), FRAGMENT);
    }
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    throw new SyntaxError(
      `WebSocket requires valid url, but got ${
        quote(text)
      } which resulted in parse ${
        quote(fromBytes(failedUrl))
      }: ${error.message}`,
    );
  }
  if (url.scheme !== "ws" && url.scheme !== "wss") {
    throw new SyntaxError(
      `WebSocket requires url with scheme ws or wss, but got ${
        quote(fromBytes(url.scheme))
      }`,
    );
  }
  if (url.fragment !== "") {
    throw new SyntaxError(
      `WebSocket requires no url fragment, but got ${
        quote(fromBytes(url.fragment))
      }`,
    );
  }
  return {
    href: serialise(url),
    scheme: url.scheme,
    host: fromBytes(escape(url.host, HOST)),
    hasUserInfo: url.userInfo !== undefined,
  };
}

/**
 * The host of a URL when it is an IP literal: what the remote address will
 * be when the transport does not say.
 *
 * @param host The URL's host (with port).
 * @returns The address, or `undefined` for a name.
 */
export function ipLiteral(host: string): string | undefined {
  if (host.startsWith("[")) {
    const end = host.indexOf("]");
    return end > 0 ? host.slice(1, end) : undefined;
  }
  const address = host.replace(/:[0-9]*$/, "");
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(address) ? address : undefined;
}
