import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { type ParsedInbound, STATUS_RANK } from "../inbound/events.js";
import type { InboundDriver, WebhookRequest } from "../inbound/inbound-driver.js";

/** A documented (or inferred) webhook body and the events it must parse to. */
export interface InboundFixture {
  /** Names the test: `"button_reply tap"`, `"failed status with error 131047"`. */
  readonly name: string;
  /**
   * Where the shape comes from, as providers/INBOUND.md tags it: the provider's own docs
   * (`confirmed`), SDKs and community code (`secondary`), or inferred (`unconfirmed`).
   */
  readonly confidence: "confirmed" | "secondary" | "unconfirmed";
  /** The body as JSON would parse it. */
  readonly body: unknown;
  /** Every event of the body, in order. At least one. */
  readonly expected: readonly ParsedInbound[];
}

/**
 * A driver's inbound side and what the suite needs to drive it. Secrets the suite makes up are
 * 32 to 64 characters of `[A-Za-z0-9_-]`: `options` must accept every such secret.
 */
export interface InboundUnderTest<Options> {
  /** The driver's `inbound`. */
  readonly inbound: InboundDriver<Options>;
  /**
   * A connection's options (as the driver's schema outputs them) whose inbound secret is
   * `secret` (Meta's app secret, Z-API's URL secret…), or with no inbound secret at all.
   */
  options(secret: string | undefined): Options;
  /**
   * The request the provider sends with `body` (serialised as it does: these are the bytes
   * signed) to a connection whose secret is `secret`: signed with it, or carrying it in
   * the URL path or a header. The suite changes its body, headers and path secret.
   */
  request(body: unknown, secret: string): WebhookRequest | Promise<WebhookRequest>;
  /**
   * Whether `verify` covers the body's bytes (an HMAC signature: Meta) or only checks a
   * secret the request carries (Z-API's URL secret). Checked both ways.
   */
  readonly signsBody: boolean;
  /** The headers that carry the signature or the secret (`x-hub-signature-256`, `authorization`); none for a URL secret. */
  readonly credentialHeaders: readonly string[];
  readonly fixtures: readonly InboundFixture[];
  /**
   * For providers whose bodies carry several items (Meta): a valid body with one item per
   * entry of `picks`, in that order. Each pick (any non-negative integer: take it modulo your
   * number of item shapes) chooses the item, which depends on the pick only: the same pick
   * gives the same item, with the same ids. Leave it out when a body is always one event
   * (Z-API).
   */
  bodyWithItems?(picks: readonly number[]): unknown;
}

export interface WebhookRequestInit {
  /** Default `"POST"`. */
  readonly method?: string;
  /** Header names in any case. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly query?: string | Readonly<Record<string, string>>;
  /** The raw body: bytes, or text sent as UTF-8. Default empty. */
  readonly body?: string | Uint8Array<ArrayBuffer>;
  readonly pathSecret?: string;
}

/** A {@link WebhookRequest} from plain values, for tests and simulators. */
export function webhookRequest(init: WebhookRequestInit = {}): WebhookRequest {
  const headers = new Map(
    Object.entries(init.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
  );
  const rawBody =
    typeof init.body === "string"
      ? new TextEncoder().encode(init.body)
      : (init.body ?? new Uint8Array());
  return {
    method: init.method ?? "POST",
    header: (name) => headers.get(name.toLowerCase()),
    query: new URLSearchParams(init.query ?? ""),
    rawBody,
    ...(init.pathSecret === undefined ? {} : { pathSecret: init.pathSecret }),
  };
}

const SECRET_ALPHABET = [
  ..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-",
] as const;
const secretArbitrary = fc.string({
  unit: fc.constantFrom(...SECRET_ALPHABET),
  minLength: 32,
  maxLength: 64,
});
/** Printable ASCII, what a changed character of a header or URL secret is replaced by. */
const PRINTABLE = Array.from({ length: 0x7e - 0x21 + 1 }, (_, index) =>
  String.fromCharCode(0x21 + index),
);

/** `value` with the character at `position` replaced by one that differs, case aside. */
function changeCharacter(value: string, position: number, replacement: number): string {
  const original = value[position] ?? "";
  const candidates = PRINTABLE.filter(
    (character) => character.toLowerCase() !== original.toLowerCase(),
  );
  const character = candidates[replacement % candidates.length] ?? "~";
  return `${value.slice(0, position)}${character}${value.slice(position + 1)}`;
}

/** `secret` with each character replaced by the next of the alphabet: a secret unlike it everywhere. */
function everyCharacterChanged(secret: string): string {
  return [...secret]
    .map((character) => {
      const index = SECRET_ALPHABET.indexOf(character as (typeof SECRET_ALPHABET)[number]);
      return SECRET_ALPHABET[(index + 1) % SECRET_ALPHABET.length];
    })
    .join("");
}

/** Where a request carries its credential: a header by name, or the URL's secret segment. */
type CredentialPlace = { readonly header: string } | { readonly pathSecret: true };

function valueAt(request: WebhookRequest, place: CredentialPlace): string | undefined {
  return "header" in place ? request.header(place.header) : request.pathSecret;
}

/** A copy of `request` with the credential at `place` replaced (or removed: `undefined`). */
function withCredential(
  request: WebhookRequest,
  place: CredentialPlace,
  value: string | undefined,
): WebhookRequest {
  if ("header" in place) {
    const name = place.header.toLowerCase();
    return {
      method: request.method,
      header: (asked) => (asked.toLowerCase() === name ? value : request.header(asked)),
      query: request.query,
      rawBody: request.rawBody,
      ...(request.pathSecret === undefined ? {} : { pathSecret: request.pathSecret }),
    };
  }
  return {
    method: request.method,
    header: (asked) => request.header(asked),
    query: request.query,
    rawBody: request.rawBody,
    ...(value === undefined ? {} : { pathSecret: value }),
  };
}

function withRawBody(request: WebhookRequest, rawBody: Uint8Array<ArrayBuffer>): WebhookRequest {
  return {
    method: request.method,
    header: (asked) => request.header(asked),
    query: request.query,
    rawBody,
    ...(request.pathSecret === undefined ? {} : { pathSecret: request.pathSecret }),
  };
}

const isNonEmptyString = (value: unknown) => typeof value === "string" && value.length > 0;
const isOptionalNonEmptyString = (value: unknown) => value === undefined || isNonEmptyString(value);
const isValidDate = (value: unknown) => value instanceof Date && Number.isFinite(value.getTime());

/** Fails unless `event` is one of the union's shapes, with every field of its type. */
function expectWellFormed(event: ParsedInbound): void {
  const shown = () => {
    try {
      return JSON.stringify(event);
    } catch {
      return String(event);
    }
  };
  switch (event.kind) {
    case "button_reply":
      expect(isNonEmptyString(event.providerEventId), shown()).toBe(true);
      expect(isNonEmptyString(event.from), shown()).toBe(true);
      expect(isNonEmptyString(event.buttonId), shown()).toBe(true);
      expect(event.buttonTitle === undefined || typeof event.buttonTitle === "string").toBe(true);
      expect(isOptionalNonEmptyString(event.replyToProviderMessageId), shown()).toBe(true);
      expect(isValidDate(event.at), shown()).toBe(true);
      return;
    case "delivery_status":
      expect(isNonEmptyString(event.providerEventId), shown()).toBe(true);
      expect(isNonEmptyString(event.providerMessageId), shown()).toBe(true);
      expect(Object.keys(STATUS_RANK), shown()).toContain(event.status);
      if (event.error !== undefined) {
        expect(isNonEmptyString(event.error.code), shown()).toBe(true);
        expect(typeof event.error.message, shown()).toBe("string");
      }
      expect(isOptionalNonEmptyString(event.recipient), shown()).toBe(true);
      expect(isValidDate(event.at), shown()).toBe(true);
      return;
    case "ignored":
      expect(isNonEmptyString(event.reason), shown()).toBe(true);
      expect(isOptionalNonEmptyString(event.providerEventId), shown()).toBe(true);
      return;
    default:
      expect.fail(`not a ParsedInbound: ${shown()}`);
  }
}

/** Parses `body` twice: never throws, well-formed events, the same both times. */
function parseChecked<Options>(inbound: InboundDriver<Options>, body: unknown) {
  const events = inbound.parse(body);
  expect(Array.isArray(events)).toBe(true);
  for (const event of events) expectWellFormed(event);
  expect(inbound.parse(body)).toEqual(events);
  return events;
}

type JsonPath = readonly (string | number)[];

/** Every path into a JSON value (the root included), depth first, at most `limit`. */
function pathsOf(value: unknown, limit = 400): JsonPath[] {
  const paths: JsonPath[] = [];
  const visit = (node: unknown, path: JsonPath) => {
    if (paths.length >= limit) return;
    paths.push(path);
    if (Array.isArray(node)) {
      for (const [index, child] of node.entries()) visit(child, [...path, index]);
    } else if (node !== null && typeof node === "object") {
      for (const [key, child] of Object.entries(node)) visit(child, [...path, key]);
    }
  };
  visit(value, []);
  return paths;
}

function nodeAt(value: unknown, path: JsonPath): unknown {
  let node = value;
  for (const key of path) node = (node as Record<string | number, unknown>)[key];
  return node;
}

const REMOVE = Symbol("remove");

/** A copy of the JSON value `root` with the node at `path` replaced, or removed. */
function replaceAt(root: unknown, path: JsonPath, replacement: unknown): unknown {
  if (path.length === 0) return replacement === REMOVE ? undefined : replacement;
  const copy = structuredClone(root);
  const parent = nodeAt(copy, path.slice(0, -1)) as Record<string | number, unknown>;
  const key = path[path.length - 1] as string | number;
  if (replacement !== REMOVE) parent[key] = replacement;
  else if (Array.isArray(parent)) parent.splice(key as number, 1);
  else delete parent[key];
  return copy;
}

/** An array nested `depth` deep, or an object, as a hostile sender writes it. */
function deeplyNested(depth: number, asObject: boolean): unknown {
  let node: unknown = "bottom";
  for (let level = 0; level < depth; level += 1) node = asObject ? { value: node } : [node];
  return node;
}

/**
 * The behaviour every driver's inbound side must have, as a vitest suite: its fixtures parse
 * to their events; a changed body, signature or secret is rejected, as is a connection with
 * no secret; no body, however malformed, makes `parse` throw; a body with N items gives N
 * events; parsing is deterministic, so a redelivery can be deduplicated by providerEventId.
 * Call it at the top level of a test file; `setup` runs when the suite is collected.
 */
export function inboundConformance<Options>(
  name: string,
  setup: () => InboundUnderTest<Options>,
): void {
  describe(`InboundDriver conformance: ${name}`, () => {
    const subject = setup();
    const { inbound, fixtures } = subject;
    const fixtureIndex = fc.nat({ max: Math.max(fixtures.length - 1, 0) });
    const fixtureAt = (index: number) => fixtures[index] as InboundFixture;
    // Every subtree of every fixture: grafted elsewhere, they make bodies of the provider's
    // own shapes in the wrong places.
    const subtrees = fixtures.flatMap(({ body }) =>
      pathsOf(body).map((path) => nodeAt(body, path)),
    );

    /** Where requests carry the credential: the places whose value depends on the secret. */
    let credentialPlaces: CredentialPlace[] = [];

    beforeAll(async () => {
      const body = fixtures[0]?.body ?? {};
      const [one, other] = [
        await subject.request(body, "a".repeat(32)),
        await subject.request(body, "b".repeat(32)),
      ];
      const places: CredentialPlace[] = [
        ...subject.credentialHeaders.map((header) => ({ header })),
        { pathSecret: true },
      ];
      credentialPlaces = places.filter(
        (place) =>
          valueAt(one, place) !== undefined && valueAt(one, place) !== valueAt(other, place),
      );
    });

    it("ships fixtures, each with at least one expected event", () => {
      expect(fixtures.length).toBeGreaterThan(0);
      for (const fixture of fixtures)
        expect(fixture.expected.length, fixture.name).toBeGreaterThan(0);
    });

    describe.each(
      fixtures.map((fixture) => [`${fixture.name} (${fixture.confidence})`, fixture] as const),
    )("fixture %s", (_label, fixture) => {
      it("verifies when signed, and parses to its expected events", async () => {
        const secret = "fixture-secret-0123456789-abcdefghij";
        const request = await subject.request(fixture.body, secret);
        expect(await inbound.verify(request, subject.options(secret))).toBe(true);
        const before = structuredClone(fixture.body);
        expect(parseChecked(inbound, fixture.body)).toEqual(fixture.expected);
        expect(fixture.body, "parse changed the body it was given").toEqual(before);
      });

      it("gives each tap and status its own providerEventId, the same on redelivery", () => {
        const ids = (events: readonly ParsedInbound[]) =>
          events.flatMap((event) => (event.kind === "ignored" ? [] : [event.providerEventId]));
        const first = ids(inbound.parse(fixture.body));
        expect(new Set(first).size).toBe(first.length);
        expect(ids(inbound.parse(structuredClone(fixture.body)))).toEqual(first);
      });
    });

    it("carries its credential in the request: a header or the URL's secret segment", () => {
      expect(
        credentialPlaces.length,
        "requests made with two different secrets differ in no credential header nor pathSecret",
      ).toBeGreaterThan(0);
    });

    if (subject.signsBody) {
      it("rejects a signed body with any byte changed (property)", async () => {
        await fc.assert(
          fc.asyncProperty(
            fixtureIndex,
            secretArbitrary,
            fc.nat(),
            fc.integer({ min: 1, max: 255 }),
            async (index, secret, at, flip) => {
              const request = await subject.request(fixtureAt(index).body, secret);
              const options = subject.options(secret);
              expect(await inbound.verify(request, options)).toBe(true);
              const tampered = new Uint8Array(request.rawBody);
              const position = at % Math.max(tampered.length, 1);
              tampered[position] = ((tampered[position] ?? 0) ^ flip) & 0xff;
              const changed = tampered.length === 0 ? new Uint8Array([flip]) : tampered;
              expect(await inbound.verify(withRawBody(request, changed), options)).toBe(false);
            },
          ),
          { numRuns: 60 },
        );
      });
    } else {
      it("accepts a changed body: the secret, not a signature, authenticates (signsBody: false)", async () => {
        const secret = "unsigned-secret-0123456789-abcdefghij";
        const request = await subject.request(fixtureAt(0).body, secret);
        const changed = withRawBody(request, new TextEncoder().encode('{"changed":true}'));
        expect(await inbound.verify(changed, subject.options(secret))).toBe(true);
      });
    }

    it("rejects a request whose signature or secret has any character changed (property)", async () => {
      await fc.assert(
        fc.asyncProperty(
          fixtureIndex,
          secretArbitrary,
          fc.nat(),
          fc.nat(),
          fc.nat(),
          async (index, secret, which, at, replacement) => {
            const body = fixtureAt(index).body;
            const request = await subject.request(body, secret);
            const options = subject.options(secret);
            expect(await inbound.verify(request, options)).toBe(true);
            const place = credentialPlaces[which % credentialPlaces.length];
            if (place === undefined) return; // reported by the test above
            // Only the characters that depend on the secret: not a "Bearer " or "sha256=" prefix.
            const other =
              valueAt(await subject.request(body, everyCharacterChanged(secret)), place) ?? "";
            const value = valueAt(request, place) ?? "";
            const positions = [...value].flatMap((character, position) =>
              character === other[position] ? [] : [position],
            );
            const position = positions[at % Math.max(positions.length, 1)] ?? 0;
            const tampered = withCredential(
              request,
              place,
              changeCharacter(value, position, replacement),
            );
            expect(await inbound.verify(tampered, options)).toBe(false);
          },
        ),
        { numRuns: 60 },
      );
    });

    it("rejects a request signed with another secret, one character off or unrelated (property)", async () => {
      await fc.assert(
        fc.asyncProperty(
          fixtureIndex,
          secretArbitrary,
          fc.oneof(
            fc.record({ at: fc.nat(), to: fc.constantFrom(...SECRET_ALPHABET) }),
            secretArbitrary,
          ),
          async (index, secret, change) => {
            const wrong =
              typeof change === "string"
                ? change
                : `${secret.slice(0, change.at % secret.length)}${change.to}${secret.slice((change.at % secret.length) + 1)}`;
            fc.pre(wrong !== secret);
            const request = await subject.request(fixtureAt(index).body, wrong);
            expect(await inbound.verify(request, subject.options(secret))).toBe(false);
          },
        ),
        { numRuns: 60 },
      );
    });

    it("rejects a request without its signature or secret", async () => {
      const secret = "removed-secret-0123456789-abcdefghij";
      const request = await subject.request(fixtureAt(0).body, secret);
      for (const place of credentialPlaces) {
        const stripped = withCredential(request, place, undefined);
        expect(await inbound.verify(stripped, subject.options(secret)), JSON.stringify(place)).toBe(
          false,
        );
      }
    });

    it("rejects every request for a connection without an inbound secret", async () => {
      await fc.assert(
        fc.asyncProperty(fixtureIndex, secretArbitrary, async (index, secret) => {
          const request = await subject.request(fixtureAt(index).body, secret);
          expect(await inbound.verify(request, subject.options(undefined))).toBe(false);
        }),
        { numRuns: 30 },
      );
      expect(await inbound.verify(webhookRequest({ body: "{}" }), subject.options(undefined))).toBe(
        false,
      );
    });

    it("rejects arbitrary requests without throwing (property)", async () => {
      const headerValue = fc.option(fc.string({ maxLength: 120 }), { nil: undefined });
      await fc.assert(
        fc.asyncProperty(
          secretArbitrary,
          fc.uint8Array({ maxLength: 256 }),
          fc.array(headerValue, {
            minLength: subject.credentialHeaders.length,
            maxLength: subject.credentialHeaders.length,
          }),
          fc.option(fc.string({ maxLength: 80 }), { nil: undefined }),
          async (secret, bytes, values, pathSecret) => {
            const headers = Object.fromEntries(
              subject.credentialHeaders.flatMap((header, index) =>
                values[index] === undefined ? [] : [[header, values[index]]],
              ),
            );
            const request = webhookRequest({
              headers,
              body: new Uint8Array(bytes),
              ...(pathSecret === undefined ? {} : { pathSecret }),
            });
            expect(await inbound.verify(request, subject.options(secret))).toBe(false);
          },
        ),
        { numRuns: 60 },
      );
    });

    it("never throws on arbitrary JSON, nor on arbitrary values (property)", () => {
      fc.assert(
        fc.property(fc.jsonValue({ maxDepth: 6 }), (body) => {
          parseChecked(inbound, body);
        }),
      );
      fc.assert(
        fc.property(
          fc.anything({
            withBigInt: true,
            withBoxedValues: true,
            withDate: true,
            withMap: true,
            withNullPrototype: true,
            withObjectString: true,
            withSet: true,
            withSparseArray: true,
            withTypedArray: true,
          }),
          (body) => {
            parseChecked(inbound, body);
          },
        ),
      );
    });

    it("never throws on the provider's own bodies with any part changed, removed or moved (property)", () => {
      fc.assert(
        fc.property(
          fixtureIndex,
          fc.nat(),
          fc.oneof(
            fc.constant<unknown>(REMOVE),
            fc.jsonValue({ maxDepth: 3 }),
            fc.constantFrom<unknown>(...(subtrees.length > 0 ? subtrees : [null])),
          ),
          (index, at, replacement) => {
            const body = fixtureAt(index).body;
            const paths = pathsOf(body);
            const path = paths[at % paths.length] ?? [];
            parseChecked(inbound, replaceAt(body, path, replacement));
          },
        ),
        { numRuns: 300 },
      );
    });

    it("never throws on a body nested ten thousand levels deep", () => {
      const deep = [deeplyNested(10_000, false), deeplyNested(10_000, true)];
      for (const fixture of fixtures) {
        for (const path of pathsOf(fixture.body, 60)) {
          for (const nested of deep) parseChecked(inbound, replaceAt(fixture.body, path, nested));
        }
      }
    });

    if (subject.bodyWithItems !== undefined) {
      const bodyWithItems = subject.bodyWithItems.bind(subject);
      it("gives N events, in order, for a body of N items (property)", async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.uniqueArray(fc.nat({ max: 100_000 }), { maxLength: 12 }),
            secretArbitrary,
            async (picks, secret) => {
              const body = bodyWithItems(picks);
              const request = await subject.request(body, secret);
              expect(await inbound.verify(request, subject.options(secret))).toBe(true);
              const events = parseChecked(inbound, body);
              expect(events).toHaveLength(picks.length);
              expect(events).toEqual(picks.flatMap((pick) => inbound.parse(bodyWithItems([pick]))));
            },
          ),
          { numRuns: 60 },
        );
      });
    }

    const handshake = inbound.handshake?.bind(inbound);
    if (handshake !== undefined) {
      it("answers no handshake to a webhook delivery", async () => {
        const secret = "handshake-secret-0123456789-abcdefgh";
        for (const fixture of fixtures) {
          const request = await subject.request(fixture.body, secret);
          expect(handshake(request, subject.options(secret))).toBeUndefined();
          expect(handshake(request, subject.options(undefined))).toBeUndefined();
        }
      });
    }
  });
}
