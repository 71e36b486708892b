// k6/crypto: every digest below was printed by k6 v0.48.0 for the same
// input (tests in this file compare wsload's output with it).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import crypto, {
  createHash,
  createHMAC,
  hexEncode,
  hmac,
  randomBytes,
} from "../k6/crypto.ts";

const INPUT = "The quick brown fox";

// k6 v0.48.0: crypto[algorithm](INPUT, "hex"), hmac(algorithm, "key", INPUT, "hex").
const K6_DIGESTS: Record<string, [string, string]> = {
  md4: ["d4559d26c7203ec400e382fd1c8a6092", "0e0302fac1fa250bd77c39503616711f"],
  md5: ["a2004f37730b9445670a738fa0fc9ee5", "d006bc60c92ff6e54f615474fe835e02"],
  sha1: [
    "c519c1a06cdbeb2bc499e22137fb48683858b345",
    "22f9e077a3cebd09248154f85d9a56c79941fd96",
  ],
  sha256: [
    "5cac4f980fedc3d3f1f99b4be3472c9b30d56523e632d151237ec9309048bda9",
    "203d1e5cedd2d18f8c5a3beff0bd9c1ebcb97097dfcb288c46b00c9227fde2c0",
  ],
  sha384: [
    "2e45933dd1a1e6a6928a732d58abeb180c225e5e7b99c64eb6f233a7b99ee4635c17f44ca544cf620cf4289deb4c08cf",
    "60638fa0aa4b044fc6f50d5c4a11dd5c26863cd335e3aac16ac6434fc79505dfb05bc3d02a556e271979b41c9379f579",
  ],
  sha512: [
    "015e6d23e760f612cca616c54f110cb12dd54213f1e046c7607081372402eff4936b379296ed549236020afb37bd3e728a044a4243754f095498c98bc24f77e0",
    "36f44b125a8a90639dc46733039571792e081e0fd8685ff746784b02ed14aa35629d562c7117cde4a701570551faa5a5e1b7ef1eb5c3bcd4cc1fdb8923fcf14e",
  ],
  sha512_224: [
    "d3f7845efd77de7aceb0e3049be18ce8e99e5607cd79a07323a19cea",
    "154e8362ba385695d16a9075de371fb5cbca8fd0a65a420089c9babb",
  ],
  sha512_256: [
    "d99dd5e1f7302ded09f1557974a2d53b3d001a2071c9ac24150a66c7c992d8f6",
    "fc7b4ba201770f6c65fb3cca030cc95e9ef188da51d78f76667c64848f478bfc",
  ],
  ripemd160: [
    "aa1dd8137a60bbfb149657beca550f4c7321060d",
    "e877bf284add1cea7055483c6b6ddfabf111f1c3",
  ],
};

describe("k6/crypto", () => {
  for (const [algorithm, [digest, mac]] of Object.entries(K6_DIGESTS)) {
    it(`${algorithm}: the digest and HMAC k6 gives`, () => {
      const hash = crypto[algorithm as keyof typeof crypto] as (
        input: string,
        encoding: "hex",
      ) => string;
      assert.equal(hash(INPUT, "hex"), digest);
      assert.equal(
        hmac(algorithm as "md5", "key", INPUT, "hex"),
        mac,
      );
    });
  }

  it("encodes as k6 does: base64, base64url with padding, base64rawurl, binary", () => {
    assert.equal(
      crypto.sha256("héllo", "base64"),
      "PEhZHY0JikU49eAT389AbpSOrE0yd7EL9hTildYGgXk=",
    );
    assert.equal(
      crypto.sha256("x?>", "base64url"),
      "ekGaCrQXnswM3v8cVOuxTNc5YSge2n1Y2b59klaIv2E=",
    );
    assert.equal(
      crypto.sha256("x?>", "base64rawurl"),
      "ekGaCrQXnswM3v8cVOuxTNc5YSge2n1Y2b59klaIv2E",
    );
    const binary = crypto.md5("abc", "binary");
    assert.ok(binary instanceof ArrayBuffer);
    assert.equal(hexEncode(binary), "900150983cd24fb0d6963f7d28e17f72");
  });

  it("digests as often as asked and goes on hashing after a digest, as k6", () => {
    // k6 v0.48.0 printed these for update("The quick "), digest() twice,
    // update("brown fox"), digest() (k6's examples/crypto.js digests twice).
    const cases: [() => ReturnType<typeof createHash>, string, string][] = [
      [
        () => createHash("sha1"),
        "4d39faadbf264f3fb59268228994276c36fc3172",
        K6_DIGESTS.sha1[0],
      ],
      [
        () => createHMAC("sha256", "key"),
        "4597c9affca7bb853eeeaf1adc8140e98f5756f63d9991c4ece96c3aec619a5c",
        K6_DIGESTS.sha256[1],
      ],
      [
        () => createHash("md4"),
        "6e1f82c5e369a2d82aafcbd71dd13561",
        K6_DIGESTS.md4[0],
      ],
      [
        () => createHMAC("md4", "key"),
        "6eaf94f9208cfb6cb7fffca770417f69",
        K6_DIGESTS.md4[1],
      ],
    ];
    for (const [make, partial, whole] of cases) {
      const hasher = make();
      hasher.update("The quick ");
      assert.equal(hasher.digest("hex"), partial);
      assert.equal(hasher.digest("hex"), partial);
      hasher.update("brown fox");
      assert.equal(hasher.digest("hex"), whole);
    }
  });

  it("hashes incrementally, with byte keys, and MD4 HMACs with long keys", () => {
    const hash = createHash("sha1");
    hash.update("ab");
    hash.update("c");
    assert.equal(
      hash.digest("hex"),
      "a9993e364706816aba3e25717850c26c9cd0d89d",
    );
    const mac = createHMAC("md4", new Uint8Array([1, 2, 3]).buffer);
    mac.update("data");
    assert.equal(mac.digest("hex"), "85fd44949742f621132839f170377319");
    assert.equal(
      hmac("md4", "k".repeat(100), "msg", "hex"),
      "573f41e49b5207b015073b3db8761138",
    );
  });

  it("gives random bytes, and k6's errors for bad arguments", () => {
    const first = new Uint8Array(randomBytes(16));
    const second = new Uint8Array(randomBytes(16));
    assert.equal(first.length, 16);
    assert.notDeepEqual(first, second);
    assert.throws(() => randomBytes(0), /^Error: invalid size$/);
    assert.throws(
      () => crypto.sha1("x", "nope" as "hex"),
      /^Error: invalid output encoding: nope$/,
    );
    assert.throws(
      () => createHMAC("nope" as "md5", "k"),
      /^Error: invalid algorithm: nope$/,
    );
    // k6 silently hashes nothing for a number; wsload says what it wants.
    assert.throws(
      () => crypto.sha1(5 as unknown as string, "hex"),
      /^TypeError: invalid type number, expected string, \[\]byte or ArrayBuffer$/,
    );
  });
});
