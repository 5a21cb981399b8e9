import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { ConfigError, parseServerConfig } from "../src/config/load-config.js";
import { minimalConfig } from "./support.js";

const messageOf = (raw: unknown): string => {
  try {
    parseServerConfig(raw, { WA_TOKEN: "t" });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected the configuration to be refused");
};

const wrongTypes = () => ({
  ...minimalConfig(),
  agents: [{ id: 7, organizationId: "acme" }],
  maxBodyBytes: 0,
});

// zod/mini sets no locale; classic zod sets English for the whole process when it loads.
// The Workers entry may load no classic zod at all: what it says must not depend on that.
describe("the configuration's messages without a locale set for the process", () => {
  let saved: ReturnType<typeof z.config>;
  beforeEach(() => {
    saved = { ...z.config() };
    z.config({ localeError: undefined, customError: undefined });
  });
  afterEach(() => {
    z.config({ localeError: saved.localeError, customError: saved.customError });
  });

  it("are zod's English ones, each with its path", () => {
    const message = messageOf(wrongTypes());
    expect(message).toContain("agents.0.id: Invalid input: expected string, received number");
    expect(message).toContain("maxBodyBytes: Too small: expected number to be >0");
  });

  it("follow an error map the process configured itself", () => {
    z.config({ customError: () => "nope" });
    expect(messageOf(wrongTypes())).toContain("agents.0.id: nope");
  });
});
