import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  type ButtonMessage,
  type ChannelCapabilities,
  checkCapabilities,
  createButtonMessage,
  WHATSAPP_CLOUD_LIMITS,
} from "../src/index.js";
import { validMessageInput } from "./arbitraries.js";
import { referenceCapabilityIssues } from "./reference-capabilities.js";

const validMessage = validMessageInput.map((input) => {
  const result = createButtonMessage(input);
  if (!result.ok) throw new Error("validMessageInput produced an invalid message");
  return result.value;
});

const capabilities: fc.Arbitrary<ChannelCapabilities> = fc.record({
  maxButtons: fc.integer({ min: 1, max: 3 }),
  limits: fc.record({
    buttonTitle: fc.integer({ min: 1, max: 20 }),
    buttonId: fc.integer({ min: 1, max: 256 }),
    body: fc.integer({ min: 1, max: 1024 }),
    header: fc.integer({ min: 1, max: 60 }),
    footer: fc.integer({ min: 1, max: 60 }),
  }),
  header: fc.boolean(),
  footer: fc.boolean(),
  buttonRendering: fc.constantFrom("native" as const, "best-effort" as const),
});

/** A channel at least as permissive as `strict` on every axis. */
const looserThan = (strict: ChannelCapabilities): fc.Arbitrary<ChannelCapabilities> =>
  fc.record({
    maxButtons: fc.integer({ min: strict.maxButtons, max: 3 }),
    limits: fc.record({
      buttonTitle: fc.integer({ min: strict.limits.buttonTitle, max: 40 }),
      buttonId: fc.integer({ min: strict.limits.buttonId, max: 512 }),
      body: fc.integer({ min: strict.limits.body, max: 4096 }),
      header: fc.integer({ min: strict.limits.header, max: 120 }),
      footer: fc.integer({ min: strict.limits.footer, max: 120 }),
    }),
    header: strict.header ? fc.constant(true) : fc.boolean(),
    footer: strict.footer ? fc.constant(true) : fc.boolean(),
    buttonRendering: fc.constant(strict.buttonRendering),
  });

const rules = (message: ButtonMessage, channel: ChannelCapabilities) =>
  new Set(
    checkCapabilities(message, channel).map((issue) => `${issue.code}@${issue.path.join(".")}`),
  );

const whatsapp: ChannelCapabilities = {
  maxButtons: 3,
  limits: WHATSAPP_CLOUD_LIMITS,
  header: true,
  footer: true,
  buttonRendering: "native",
};

describe("checkCapabilities", () => {
  test.prop(
    [
      validMessage,
      capabilities.chain((strict) => fc.tuple(fc.constant(strict), looserThan(strict))),
    ],
    {
      numRuns: 300,
    },
  )(
    "is monotonic: a stricter channel never accepts what a looser one rejects",
    (message, [strict, loose]) => {
      if (rules(message, loose).size > 0) expect(rules(message, strict).size).toBeGreaterThan(0);
      // Each limit the looser channel enforces is enforced by the stricter one too, field by field.
      const fieldsOf = (found: Set<string>) =>
        new Set([...found].map((rule) => rule.split("@")[1]));
      const strictFields = fieldsOf(rules(message, strict));
      for (const field of fieldsOf(rules(message, loose))) expect(strictFields).toContain(field);
    },
  );

  test.prop([validMessage, capabilities], { numRuns: 300 })(
    "lists the issues of the reference rules, in their order, with their messages",
    (message, channel) => {
      expect(checkCapabilities(message, channel)).toEqual(
        referenceCapabilityIssues(message, channel),
      );
    },
  );

  test.prop([validMessage])(
    "accepts every valid message on a channel with the WhatsApp Cloud limits",
    (message) => {
      expect(checkCapabilities(message, whatsapp)).toEqual([]);
    },
  );

  it("refuses a header on a channel that cannot show one, naming the field", () => {
    const built = createButtonMessage({
      header: "Hi",
      body: "Pick",
      buttons: [{ id: "a", title: "A" }],
    });
    if (!built.ok) throw new Error("fixture");
    expect(checkCapabilities(built.value, { ...whatsapp, header: false })).toEqual([
      expect.objectContaining({ code: "unsupported_field", path: ["header"] }),
    ]);
  });

  it("refuses more buttons than the channel has, with 131009", () => {
    const built = createButtonMessage({
      body: "Pick",
      buttons: [
        { id: "a", title: "A" },
        { id: "b", title: "B" },
      ],
    });
    if (!built.ok) throw new Error("fixture");
    expect(checkCapabilities(built.value, { ...whatsapp, maxButtons: 1 })).toEqual([
      expect.objectContaining({ code: "too_many_buttons", providerCode: 131009 }),
    ]);
  });
});
