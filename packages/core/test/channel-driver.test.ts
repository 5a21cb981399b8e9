import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  type ChannelCapabilities,
  type ChannelPort,
  createChannel,
  defineChannelDriver,
  WHATSAPP_CLOUD_LIMITS,
} from "../src/index.js";

// A driver is a provider as one value; createChannel is the one way a configured connection
// becomes a channel, its options checked by the driver's own schema.

const capabilities: ChannelCapabilities = {
  maxButtons: 3,
  limits: WHATSAPP_CLOUD_LIMITS,
  header: true,
  footer: true,
  buttonRendering: "native",
};

const options = z.object({
  apiKey: z.string().min(1, "apiKey is required"),
  region: z.enum(["eu", "us"]).default("eu"),
  limits: z.object({ perSecond: z.number().int("limits.perSecond must be whole") }).optional(),
});

function driverNamed(provider: string) {
  const made: { options: unknown; env: unknown }[] = [];
  const driver = defineChannelDriver({
    provider,
    options,
    capabilities: () => capabilities,
    create: (parsed, env: { transport: string }): ChannelPort => {
      made.push({ options: parsed, env });
      return {
        provider,
        capabilities,
        send: async () => ({ providerMessageId: "p-1" }),
      };
    },
  });
  return { driver, made };
}

describe("defineChannelDriver", () => {
  it.each(["a", "whatsapp", "zapi-2", "x1", `a${"b".repeat(31)}`])(
    "accepts the provider name %j",
    (name) => {
      expect(driverNamed(name).driver.provider).toBe(name);
    },
  );

  it.each([
    "",
    "WhatsApp",
    "1abc",
    "-abc",
    "with space",
    "under_score",
    `a${"b".repeat(32)}`,
    "ok\n",
  ])("refuses the provider name %j, quoting it", (name) => {
    expect(() => driverNamed(name)).toThrow(TypeError);
    expect(() => driverNamed(name)).toThrow(JSON.stringify(name));
  });

  it("freezes the driver it makes", () => {
    const { driver } = driverNamed("acme");
    expect(Object.isFrozen(driver)).toBe(true);
  });
});

describe("createChannel", () => {
  it("makes the channel from the parsed options, defaults filled in, and the runtime's env", () => {
    const { driver, made } = driverNamed("acme");
    const channel = createChannel(driver, { apiKey: "k" }, { transport: "fetch" });
    expect(channel.provider).toBe("acme");
    expect(made).toEqual([{ options: { apiKey: "k", region: "eu" }, env: { transport: "fetch" } }]);
  });

  it("throws one Error naming the provider and every problem, with the path of nested ones", () => {
    const { driver, made } = driverNamed("acme");
    const input = { apiKey: "", region: "mars", limits: { perSecond: 1.5 } } as never;
    expect(() => createChannel(driver, input, { transport: "fetch" })).toThrow(
      /^acme: invalid options: apiKey: apiKey is required; region: .+; limits\.perSecond: limits\.perSecond must be whole$/,
    );
    expect(made).toEqual([]);
  });

  it("states a problem with the options as a whole without a path", () => {
    const { driver } = driverNamed("acme");
    const [problem] = options.safeParse("not an object").error?.issues ?? [];
    expect(() => createChannel(driver, "not an object" as never, { transport: "fetch" })).toThrow(
      new Error(`acme: invalid options: ${problem?.message}`),
    );
  });
});
