import { describe, it } from "node:test";
import assert from "node:assert/strict";
import encoding, { b64decode, b64encode } from "../k6/encoding.ts";

const text = (buffer: ArrayBuffer): string => new TextDecoder().decode(buffer);

describe("b64encode", () => {
  it("encodes strings as UTF-8 (k6's vectors)", () => {
    assert.equal(b64encode("hello world"), "aGVsbG8gd29ybGQ=");
    assert.equal(
      b64encode("こんにちは世界", "std"),
      "44GT44KT44Gr44Gh44Gv5LiW55WM",
    );
    assert.equal(b64encode("hello world", "std"), "aGVsbG8gd29ybGQ=");
    assert.equal(b64encode("hello world", "rawstd"), "aGVsbG8gd29ybGQ");
    assert.equal(b64encode("小飼弾..", "url"), "5bCP6aO85by-Li4=");
    assert.equal(b64encode("小飼弾..", "rawurl"), "5bCP6aO85by-Li4");
  });

  it("treats an unknown encoding as std", () => {
    assert.equal(b64encode("小飼弾..", "base64"), "5bCP6aO85by+Li4=");
  });

  it("encodes an ArrayBuffer and exactly the bytes a Uint8Array views", () => {
    const hello = new Uint8Array([104, 101, 108, 108, 111]);
    assert.equal(b64encode(hello.buffer), "aGVsbG8=");
    const framed = new Uint8Array([0, 104, 101, 108, 108, 111, 0]);
    assert.equal(b64encode(framed.subarray(1, 6)), "aGVsbG8=");
    assert.equal(b64encode(new Uint8Array([0xfb, 0xff]), "url"), "-_8=");
    assert.equal(b64encode(""), "");
  });

  it("refuses other inputs with k6's text, naming the Go type", () => {
    const cases: [unknown, string][] = [
      [42, "int64"],
      [1.5, "float64"],
      [true, "bool"],
      [null, "<nil>"],
      [undefined, "<nil>"],
      [[1, 2], "[]interface {}"],
      [{ a: 1 }, "map[string]interface {}"],
    ];
    for (const [input, goType] of cases) {
      // deno-lint-ignore no-explicit-any
      assert.throws(() => b64encode(input as any), {
        name: "TypeError",
        message:
          `invalid type ${goType}, expected string, []byte or ArrayBuffer`,
      });
    }
  });
});

describe("b64decode", () => {
  it("decodes to an ArrayBuffer by default (k6's vectors)", () => {
    const decoded = b64decode("aGVsbG8gd29ybGQ=");
    assert.ok(decoded instanceof ArrayBuffer);
    assert.equal(text(decoded), "hello world");
    assert.equal(text(b64decode("aGVsbG8=")), "hello");
    assert.equal(
      text(b64decode("44GT44KT44Gr44Gh44Gv5LiW55WM")),
      "こんにちは世界",
    );
  });

  it("decodes to a string with format 's', in every encoding", () => {
    assert.equal(b64decode("aGVsbG8gd29ybGQ=", "std", "s"), "hello world");
    assert.equal(b64decode("aGVsbG8gd29ybGQ", "rawstd", "s"), "hello world");
    assert.equal(b64decode("5bCP6aO85by-Li4=", "url", "s"), "小飼弾..");
    assert.equal(b64decode("5bCP6aO85by-Li4", "rawurl", "s"), "小飼弾..");
    assert.equal(b64decode("", "std", "s"), "");
  });

  it("replaces invalid UTF-8 in string output", () => {
    assert.equal(b64decode("/w==", "std", "s"), "\uFFFD");
  });

  it("skips CR and LF anywhere", () => {
    assert.equal(b64decode("aGVs\r\nbG8=\n", "std", "s"), "hello");
    assert.equal(b64decode("aG\n=\n=", "std", "s"), "h");
  });

  it("rejects malformed input with Go's text and byte offset", () => {
    const cases: [string, string, number][] = [
      ["aGVsbG8", "std", 4], // padding missing
      ["aGk=", "rawstd", 3], // padding forbidden
      ["aG!k", "std", 2], // not in the alphabet
      ["5bCP6aO85by+Li4=", "url", 11], // std digit in the URL alphabet
      ["a===", "std", 1], // padding too early
      ["aG=x", "std", 2], // "==" expected
      ["aG=", "std", 3], // second "=" missing
      ["aGk=x", "std", 4], // data after the padding
      ["aéGk", "std", 1], // offsets count UTF-8 bytes
      ["a", "rawstd", 0], // a single trailing digit
    ];
    for (const [input, variant, offset] of cases) {
      assert.throws(() => b64decode(input, variant), {
        name: "SyntaxError",
        message: `illegal base64 data at input byte ${offset}`,
      }, `${input} (${variant})`);
    }
  });
});

describe("default export", () => {
  it("holds both functions", () => {
    assert.deepEqual(encoding, { b64encode, b64decode });
  });
});
