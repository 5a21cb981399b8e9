import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { hmacSha256Hex, movesForward, STATUS_RANK, timingSafeEqual } from "../src/index.js";

describe("hmacSha256Hex", () => {
  const bytes = (text: string) => new TextEncoder().encode(text);

  it("gives RFC 4231's HMAC-SHA256 test vectors", async () => {
    expect(await hmacSha256Hex("Jefe", bytes("what do ya want for nothing?"))).toBe(
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    );
    expect(await hmacSha256Hex("\u000b".repeat(20), bytes("Hi There"))).toBe(
      "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
    );
  });

  test.prop([
    fc.string({ minLength: 1 }),
    fc.uint8Array({ minLength: 1 }),
    fc.nat(),
    fc.integer({ min: 1, max: 255 }),
  ])("changes when any byte of the body changes", async (secret, body, at, flip) => {
    const original = new Uint8Array(body);
    const tampered = new Uint8Array(body);
    const index = at % tampered.length;
    tampered[index] = ((tampered[index] ?? 0) ^ flip) & 0xff;
    expect(await hmacSha256Hex(secret, tampered)).not.toBe(await hmacSha256Hex(secret, original));
  });

  it("refuses an empty secret", async () => {
    await expect(hmacSha256Hex("", new Uint8Array())).rejects.toThrow(RangeError);
  });
});

describe("timingSafeEqual", () => {
  test.prop([fc.string(), fc.string()])("is string equality", (a, b) => {
    expect(timingSafeEqual(a, b)).toBe(a === b);
  });

  it("refuses a prefix and an empty string", () => {
    expect(timingSafeEqual("secret", "secre")).toBe(false);
    expect(timingSafeEqual("secret", "")).toBe(false);
    expect(timingSafeEqual("", "")).toBe(true);
  });
});

describe("delivery statuses", () => {
  const states = Object.keys(STATUS_RANK) as (keyof typeof STATUS_RANK)[];
  test.prop([fc.array(fc.constantFrom(...states), { minLength: 1 })])(
    "applied in any order, end at the furthest one",
    (sequence) => {
      let current: (typeof states)[number] | undefined;
      for (const next of sequence) if (movesForward(current, next)) current = next;
      const furthest = [...sequence].sort((a, b) => STATUS_RANK[b] - STATUS_RANK[a])[0];
      expect(current).toBe(furthest);
    },
  );

  it("never moves read back to delivered", () => {
    expect(movesForward("read", "delivered")).toBe(false);
    expect(movesForward("delivered", "read")).toBe(true);
  });
});
