import { describe, expect, expectTypeOf, it } from "vitest";
import * as z from "zod/mini";
import { optionalOrDropped } from "../src/index.js";

const body = z.looseObject({
  id: z.string(),
  code: optionalOrDropped(z.number().check(z.int())),
});

describe("optionalOrDropped", () => {
  it("keeps a field of the right shape", () => {
    expect(body.parse({ id: "a", code: 131009 })).toEqual({ id: "a", code: 131009 });
  });

  it("reads an absent field as undefined", () => {
    expect(body.safeParse({ id: "a" })).toEqual({ success: true, data: { id: "a" } });
    expect(body.parse({ id: "a", code: undefined }).code).toBeUndefined();
  });

  it.each([
    ["a string", "131009"],
    ["a fraction", 1.5],
    ["null", null],
    ["an object", {}],
  ])("drops a field that is %s, and still reads the rest of the body", (_, code) => {
    expect(body.safeParse({ id: "a", code, other: 1 })).toEqual({
      success: true,
      data: { id: "a", code: undefined, other: 1 },
    });
  });

  it("drops nothing else: a required field of the wrong shape still fails the body", () => {
    expect(body.safeParse({ code: 1 }).success).toBe(false);
  });

  it("types the field as the schema's output or undefined", () => {
    expectTypeOf<z.output<typeof body>["code"]>().toEqualTypeOf<number | undefined>();
  });
});
