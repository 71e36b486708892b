/**
 * `http.url`: URLs made from a template, so that requests to many URLs share
 * one `name` tag.
 *
 * @module
 */
import { urlTag } from "../transport/url_tag.ts";

/**
 * The URL as k6 shows it in tags and logs: credentials masked
 * (`http://****:****@host/`).
 *
 * @param url The URL text.
 * @returns The URL with `user:password@` (or `user@`) masked.
 *
 * @example
 * ```ts
 * import { cleanURL } from "./url.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(cleanURL("http://me:secret@host/x"), "http://****:****@host/x");
 * assert.equal(cleanURL("http://host/x"), "http://host/x");
 * ```
 */
export function cleanURL(url: string): string {
  // One masking for every tag: the sockets' url tag uses the same.
  return urlTag(url);
}

/**
 * A URL with the template it was made from (k6's `http.url` result). Pass it
 * where a request takes a URL; its `name` becomes the `name` tag.
 */
export class HttpURL {
  /** The template, `${}` where values were: the `name` tag. */
  readonly name: string;
  /** The URL. */
  readonly url: string;

  /**
   * Creates a URL with a name.
   *
   * @param url The URL.
   * @param name The template it came from.
   */
  constructor(url: string, name: string) {
    this.url = url;
    this.name = name === url ? cleanURL(url) : name;
  }

  /**
   * The URL.
   *
   * @returns The URL text.
   */
  toString(): string {
    return this.url;
  }
}

/**
 * Builds a URL from a tagged template (k6's `` http.url`…` ``): requests to
 * it are tagged with the template as `name`, one series for every id.
 *
 * @param strings The template's literal parts.
 * @param values The values put between them.
 * @returns The URL and its name.
 *
 * @example Name requests by template
 * ```ts
 * import { url } from "./url.ts";
 * import assert from "node:assert/strict";
 *
 * const id = 42;
 * const posts = url`http://127.0.0.1:8080/posts/${id}`;
 * assert.equal(posts.url, "http://127.0.0.1:8080/posts/42");
 * assert.equal(posts.name, "http://127.0.0.1:8080/posts/${}");
 * ```
 */
export function url(
  strings: TemplateStringsArray | readonly string[],
  ...values: unknown[]
): HttpURL {
  let name = "";
  let text = "";
  strings.forEach((part, index) => {
    name += part;
    text += part;
    if (index < values.length) {
      name += "${}";
      text += String(values[index]);
    }
  });
  return new HttpURL(text, name);
}
