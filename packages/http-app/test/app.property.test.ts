import {
  FakeChannel,
  InMemoryAgentDirectory,
  InMemoryAuthenticator,
  InMemoryChannelDirectory,
  InMemoryConversationDirectory,
  InMemoryIdempotencyStore,
  ManualClock,
  RecordingLogger,
} from "@replykit/core/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createApp, ErrorEnvelopeSchema, SEND_BUTTONS_PATH } from "../src/index.js";

const TOKEN = "property-token";
const VALID: Record<string, string> = {
  agentId: "agent_a",
  conversationId: "conv_a",
  header_text: "Header",
  body_text: "Pick one",
  footer_text: "Footer",
  button_1_id: "a",
  button_1_title: "A",
  button_2_id: "b",
  button_2_title: "B",
  button_3_id: "c",
  button_3_title: "C",
};
const FIELDS = Object.keys(VALID);

function makeWorld() {
  const clock = new ManualClock();
  const channel = new FakeChannel({ provider: "whatsapp" });
  const app = createApp({
    authenticator: new InMemoryAuthenticator({
      [TOKEN]: { kind: "api_key", subject: "k", organizationId: "org_a" },
    }),
    agents: new InMemoryAgentDirectory([
      { id: "agent_a", organizationId: "org_a" },
      { id: "agent_b", organizationId: "org_b" },
    ]),
    conversations: new InMemoryConversationDirectory([
      { id: "conv_a", organizationId: "org_a", channelConnectionId: "c1", recipient: "5511" },
    ]),
    channels: new InMemoryChannelDirectory({ c1: channel }),
    idempotency: new InMemoryIdempotencyStore({ clock }),
    clock,
    logger: new RecordingLogger(),
    policy: { maxRetries: 0 },
  });
  return { app, channel };
}

/** One change to a valid body. */
type Mutation =
  | { readonly kind: "drop"; readonly field: string }
  | { readonly kind: "add"; readonly field: string; readonly value: unknown }
  | { readonly kind: "retype"; readonly field: string; readonly value: unknown }
  | { readonly kind: "set"; readonly field: string; readonly value: string };

const field = fc.constantFrom(...FIELDS);
const nonString = fc.jsonValue().filter((value) => typeof value !== "string");
const extraButton = fc
  .tuple(fc.integer({ min: 4, max: 120 }), fc.constantFrom("id", "title"))
  .map(([slot, part]) => `button_${slot}_${part}`);
const text = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: "grapheme", maxLength: 30 }),
  fc.constantFrom("", "   ", " padded ", "agent_b", "conv_zzz", "a"),
  fc.integer({ min: 0, max: 100_000 }).map((length) => "x".repeat(length)),
);
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  field.map((name) => ({ kind: "drop", field: name }) as const),
  fc
    .tuple(fc.oneof(extraButton, fc.string({ maxLength: 20 })), fc.jsonValue())
    .map(([name, value]) => ({ kind: "add", field: name, value }) as const),
  fc
    .tuple(field, nonString)
    .map(([name, value]) => ({ kind: "retype", field: name, value }) as const),
  fc.tuple(field, text).map(([name, value]) => ({ kind: "set", field: name, value }) as const),
);

function mutate(mutations: readonly Mutation[]): Record<string, unknown> {
  const body: Record<string, unknown> = { ...VALID };
  for (const change of mutations) {
    if (change.kind === "drop") delete body[change.field];
    else body[change.field] = change.value;
  }
  return body;
}

/**
 * Raw request bodies: arbitrary JSON, arbitrary objects, mutated valid bodies, non-JSON, and
 * the valid body itself: few mutations leave a body valid, and without it one run in about
 * fifteen drew no body that reaches the send.
 */
const rawBody: fc.Arbitrary<string> = fc.oneof(
  fc.constant(JSON.stringify(VALID)),
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.object().map((value) => JSON.stringify(value)),
  fc
    .array(mutation, { minLength: 1, maxLength: 5 })
    .map((changes) => JSON.stringify(mutate(changes))),
  fc
    .array(mutation, { minLength: 1, maxLength: 5 })
    .map((changes) => JSON.stringify(mutate(changes))),
  fc.string({ maxLength: 60 }),
);

/** What a header value may hold (visible ASCII, space, tab): anything else never reaches us. */
const headerCharacter = fc.oneof(
  fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)),
  fc.constant("\t"),
);
const contentTypePiece = fc.constantFrom(
  ";",
  " ",
  "; ",
  " ;",
  "charset",
  "=",
  "utf-8",
  "foo",
  ",",
  '"',
  "\t",
  "application/json",
);
/** Content-Type values near the accepted ones (parameters, spacing, case) and far from them. */
const contentType: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constant("application/json") },
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        fc.constantFrom(
          "application/json",
          "APPLICATION/Json",
          "application/vnd.api+json",
          "application/jsonx",
          "text/plain",
          "",
        ),
        fc.array(contentTypePiece, { maxLength: 6 }),
      )
      .map(([mediaType, pieces]) => mediaType + pieces.join("")),
  },
  { weight: 1, arbitrary: fc.string({ unit: headerCharacter, maxLength: 40 }) },
);

describe("any request body and Content-Type", () => {
  it("never yields a 5xx, never sends unless it answers 200, and every 400 names a field", async () => {
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(rawBody, contentType, async (body, type) => {
        const { app, channel } = makeWorld();
        const response = await app.request(SEND_BUTTONS_PATH, {
          method: "POST",
          headers: { "Content-Type": type, Authorization: `Bearer ${TOKEN}` },
          body,
        });
        statuses.add(response.status);
        expect(response.status).toBeLessThan(500);
        expect(response.headers.get("x-request-id")).toBeTruthy();
        const answer: unknown = await response.json();
        if (response.status === 200) {
          expect(channel.sends).toHaveLength(1);
          return;
        }
        expect(channel.sends).toHaveLength(0);
        const { error } = ErrorEnvelopeSchema.parse(answer);
        if (response.status !== 400) return;
        const issues = error.issues ?? [];
        expect(issues.length).toBeGreaterThan(0);
        const parsed: unknown = (() => {
          try {
            return JSON.parse(body);
          } catch {
            return undefined;
          }
        })();
        for (const issue of issues) {
          // Only an unknown key can be empty, and then it is the body's own (empty) key.
          if (issue.code === "unknown_field") {
            expect(Object.keys(parsed ?? {})).toContain(issue.field);
            expect(error.message).toContain(JSON.stringify(issue.field));
          } else {
            expect(issue.field.length).toBeGreaterThan(0);
            expect(error.message).toContain(issue.field);
          }
        }
        const extra = issues.filter((issue) => /^button_([4-9]|\d{2,})_/.test(issue.field));
        for (const issue of extra) expect(issue.providerCode).toBe(131009);
        if (extra.length > 0) expect(error.providerCode).toBe(131009);
      }),
      { numRuns: 300 },
    );
    // The generators reach past validation: some bodies are sent, some refused by the core.
    expect([...statuses].sort()).toEqual(expect.arrayContaining([200, 400]));
  });
});
