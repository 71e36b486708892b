import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Blob } from "../websockets/mod.ts";

const PASS = [0x50, 0x41, 0x53, 0x53];

async function bytesOf(blob: Blob): Promise<number[]> {
  return [...new Uint8Array(await blob.arrayBuffer())];
}

describe("Blob", () => {
  describe("constructor", () => {
    it("case 88: concatenates strings, buffers, views and Blobs", async () => {
      const cases: [string, unknown[]][] = [
        ["String", ["PASS"]],
        ["MultipleStrings", ["P", "A", "SS"]],
        ["ArrayBuffer", [new Uint8Array(PASS).buffer]],
        ["Int8Array", [new Int8Array(PASS)]],
        ["Uint8Array", [new Uint8Array(PASS)]],
        ["Uint8ClampedArray", [new Uint8ClampedArray(PASS)]],
        ["Int16Array", [new Int16Array([0x4150, 0x5353])]],
        ["Uint16Array", [new Uint16Array([0x4150, 0x5353])]],
        ["Int32Array", [new Int32Array([0x53534150])]],
        ["Uint32Array", [new Uint32Array([0x53534150])]],
        ["Float32Array", [new Float32Array(new Uint8Array(PASS).buffer)]],
        ["DataView", [new DataView(new Int8Array(PASS).buffer)]],
        ["Blob", [new Blob(["PASS"])]],
      ];
      for (const [name, parts] of cases) {
        assert.deepEqual(await bytesOf(new Blob(parts as never)), PASS, name);
      }
      const float64 = new Float64Array(
        new Uint8Array([...PASS, 0, 0, 0, 0]).buffer,
      );
      assert.deepEqual(await bytesOf(new Blob([float64])), [
        ...PASS,
        0,
        0,
        0,
        0,
      ]);
    });

    it("takes only the viewed bytes of a DataView or typed array (k6 takes a DataView's whole buffer)", async () => {
      const buffer = new Uint8Array([0, ...PASS, 0]).buffer;
      assert.deepEqual(
        await bytesOf(new Blob([new DataView(buffer, 1, 4)])),
        PASS,
      );
      assert.deepEqual(
        await bytesOf(new Blob([new Uint8Array(buffer, 1, 4)])),
        PASS,
      );
    });

    it("copies the parts: changing them later changes nothing", async () => {
      const part = new Uint8Array(PASS);
      const blob = new Blob([part]);
      part[0] = 0;
      assert.deepEqual(await bytesOf(blob), PASS);
    });

    it("refuses other parts with k6's Go type names", () => {
      const cases: [unknown, string][] = [
        [1, "int64"],
        [1.5, "float64"],
        [true, "bool"],
        [null, "<nil>"],
        [{}, "map[string]interface {}"],
        [[1], "[]interface {}"],
        [new globalThis.Blob(["x"]), "map[string]interface {}"],
      ];
      for (const [part, type] of cases) {
        assert.throws(() => new Blob([part] as never), {
          name: "TypeError",
          message: `failed to process [blobParts]: unsupported type: ${type}`,
        });
      }
    });

    it("refuses blobParts that are not a sequence", () => {
      assert.throws(() => new Blob("PASS" as never), {
        name: "TypeError",
        message:
          "failed to process [blobParts]: expected an array of parts, got string",
      });
    });

    it("refuses options that are not an object: [options] must be an object", () => {
      for (const options of [null, 1, "text/plain", [], () => {}]) {
        assert.throws(() => new Blob(["PASS"], options as never), {
          name: "TypeError",
          message: "[options] must be an object",
        });
      }
      assert.equal(new Blob(["PASS"], undefined).type, "");
    });

    it("takes no parts", async () => {
      assert.equal(new Blob().size, 0);
      assert.deepEqual(await bytesOf(new Blob([])), []);
    });
  });

  describe("#type and #size", () => {
    it("case 89: type is stored verbatim; size counts bytes", () => {
      assert.equal(
        new Blob(["PASS"], { type: "text/example" }).type,
        "text/example",
      );
      assert.equal(new Blob(["PASS"], { type: "Text/ÉX" }).type, "Text/ÉX");
      assert.equal(new Blob(["PASS"]).type, "");
      assert.equal(new Blob(["PASS"]).size, 4);
      assert.equal(new Blob(["é"]).size, 2);
    });
  });

  describe("reading", () => {
    it("case 90: bytes(), text() and stream()", async () => {
      const blob = new Blob(["P", "A", "SS"]);
      const bytes = await blob.bytes();
      assert.ok(bytes instanceof Uint8Array);
      assert.deepEqual([...bytes], PASS);
      assert.equal(await blob.text(), "PASS");
      const reader = blob.stream().getReader();
      const first = await reader.read();
      assert.equal(new TextDecoder().decode(first.value), "PASS");
      assert.equal((await reader.read()).done, true);
    });

    it("hands out copies", async () => {
      const blob = new Blob(["PASS"]);
      (await blob.bytes())[0] = 0;
      new Uint8Array(await blob.arrayBuffer())[0] = 0;
      assert.equal(await blob.text(), "PASS");
    });
  });

  describe("#slice", () => {
    it("case 91: slices with and without a type", async () => {
      const blob = new Blob(["PASS"]);
      assert.equal(await blob.slice().text(), "PASS");
      assert.equal(await blob.slice(1).text(), "ASS");
      const first = blob.slice(0, 1);
      assert.equal(await first.text(), "P");
      assert.equal(first.type, "");
      const typed = blob.slice(0, 1, "text/example");
      assert.equal(await typed.text(), "P");
      assert.equal(typed.type, "text/example");
      for (const slice of [first, typed]) assert.ok(slice instanceof Blob);
    });

    it("counts negative indices from the end and clamps out-of-range ones", async () => {
      const blob = new Blob(["PASS"]);
      assert.equal(await blob.slice(0, -1).text(), "PAS");
      assert.equal(await blob.slice(-2).text(), "SS");
      assert.equal(await blob.slice(2, 100).text(), "SS");
      assert.equal(await blob.slice(3, 1).text(), "");
    });
  });

  describe("identity", () => {
    it("is instanceof Blob and prints as [object Blob]", () => {
      const blob = new Blob(["PASS"]);
      assert.ok(blob instanceof Blob);
      assert.equal(String(blob), "[object Blob]");
      assert.equal(JSON.stringify(blob), "{}");
    });
  });

  describe("is the platform's Blob", () => {
    it("passes instanceof Blob and reads natively with its bytes", async () => {
      const blob = new Blob(["P", new Uint8Array([0x41, 0x53]), "S"], {
        type: "Text/Plain",
      });
      assert.ok(blob instanceof globalThis.Blob);
      assert.equal(blob.type, "Text/Plain", "k6 keeps the type verbatim");
      assert.equal(await new Response(blob).text(), "PASS");
      assert.equal(
        await globalThis.Blob.prototype.text.call(blob),
        "PASS",
        "the platform's own reader sees the same bytes",
      );
      assert.deepEqual(await blob.bytes(), new TextEncoder().encode("PASS"));
    });
  });
});
