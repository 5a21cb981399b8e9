import { isProviderError, ProviderRejected, ProviderUnavailable } from "@replykit/core";
import { type JsonAnswer, redactor } from "@replykit/http-transport";
import {
  jsonAnswer as answer,
  buttonMessage,
  failureOf,
  renderings,
  sendContext,
} from "@replykit/http-transport/testing";
import { startWhatsAppSimulator, type WhatsAppSimulator } from "@replykit/provider-simulator";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { readAnswer } from "../src/answer.js";
import { createWhatsAppChannel } from "../src/index.js";
import { buttons } from "./support.js";

const TOKEN = "EAAG-test-access-token-0123456789";

/** Meta's error envelope, as documented in providers/README.md. */
function metaError(code: number, extra: Record<string, unknown> = {}) {
  return {
    error: {
      message: `(#${code}) Meta says something`,
      type: "OAuthException",
      code,
      fbtrace_id: "AbCdEfGhIjKlMnOpQrStUvW",
      ...extra,
    },
  };
}

function errorOf(reply: JsonAnswer) {
  const outcome = readAnswer(reply, redactor([TOKEN]));
  if (!isProviderError(outcome))
    throw new Error(`expected an error, got ${JSON.stringify(outcome)}`);
  return outcome;
}

// Every row of the providers/README.md table, with the HTTP status it documents.
const REJECTED: readonly [number, number][] = [
  [131009, 400],
  [131008, 400],
  [100, 400],
  [190, 401],
  [10, 403],
  [200, 403],
  [131047, 400],
  [131026, 400],
];
const RATE_LIMITED: readonly [number, number][] = [
  [4, 400],
  [4, 429],
  [80007, 400],
  [80007, 429],
  [130429, 400],
  [130429, 429],
  [131056, 400],
];
const MAYBE_SENT: readonly [number, number][] = [
  [131000, 500],
  [1, 500],
  [2, 503],
];

describe("readAnswer: Meta's documented codes", () => {
  it.each(REJECTED)(
    "maps Meta %i (HTTP %i) to a ProviderRejected keeping code and message",
    (code, status) => {
      const error = errorOf(answer(status, metaError(code)));
      expect(error).toBeInstanceOf(ProviderRejected);
      expect(error).toMatchObject({
        provider: "whatsapp",
        providerCode: code,
        httpStatus: status,
        retryable: false,
      });
      expect(error.message).toContain(`(#${code}) Meta says something`);
      expect(error.message).toContain(`Meta error ${code}`);
    },
  );

  it.each(RATE_LIMITED)(
    "maps Meta %i (HTTP %i) to a retryable ProviderUnavailable honouring Retry-After",
    (code, status) => {
      const error = errorOf(answer(status, metaError(code), 7000));
      expect(error).toBeInstanceOf(ProviderUnavailable);
      expect(error).toMatchObject({
        provider: "whatsapp",
        providerCode: code,
        httpStatus: status,
        retryable: true,
        retryAfterMs: 7000,
      });
    },
  );

  it.each(RATE_LIMITED)(
    "maps Meta %i (HTTP %i) without Retry-After to no retryAfterMs",
    (code, status) => {
      const error = errorOf(answer(status, metaError(code)));
      expect(error).toMatchObject({ retryable: true });
      expect(error).not.toHaveProperty("retryAfterMs");
    },
  );

  it.each(RATE_LIMITED)(
    "does not say delivery is unknown for the rate limit Meta %i (HTTP %i): nothing was sent",
    (code, status) => {
      const error = errorOf(answer(status, metaError(code)));
      expect(error).not.toHaveProperty("deliveryUnknown");
    },
  );

  it.each(MAYBE_SENT)(
    "maps Meta %i (HTTP %i) to a retryable ProviderUnavailable that says delivery is unknown, as Meta documents",
    (code, status) => {
      const error = errorOf(answer(status, metaError(code)));
      expect(error).toBeInstanceOf(ProviderUnavailable);
      expect(error).toMatchObject({
        provider: "whatsapp",
        providerCode: code,
        httpStatus: status,
        retryable: true,
        deliveryUnknown: true,
      });
    },
  );

  it.each(REJECTED)("does not say delivery is unknown for Meta %i (HTTP %i)", (code, status) => {
    expect(errorOf(answer(status, metaError(code)))).not.toHaveProperty("deliveryUnknown");
  });

  it("includes error_data.details, the subcode and the fbtrace_id in the message", () => {
    const error = errorOf(
      answer(
        400,
        metaError(131009, {
          error_subcode: 2494010,
          error_data: { messaging_product: "whatsapp", details: "Button title length invalid." },
        }),
      ),
    );
    expect(error.message).toBe(
      "Meta error 131009 (parameter value is not valid), subcode 2494010: (#131009) Meta says something — Button title length invalid. [fbtrace_id AbCdEfGhIjKlMnOpQrStUvW]",
    );
  });

  it("still maps by code when optional envelope fields are malformed or missing", () => {
    const error = errorOf(
      answer(400, { error: { code: 131047, error_data: "oops", error_subcode: "x" } }),
    );
    expect(error).toBeInstanceOf(ProviderRejected);
    expect(error).toMatchObject({ providerCode: 131047 });
    expect(error.message).toBe(
      "Meta error 131047 (more than 24 hours since the user last replied; only a template can re-engage)",
    );
  });

  it("keeps Meta's text on one line and bounded in length", () => {
    const error = errorOf(
      answer(400, metaError(100, { message: `line one\nline two\r\n${"x".repeat(5000)}` })),
    );
    expect(error.message).not.toMatch(/[\r\n]/);
    expect(error.message).toContain("line one line two");
    expect(error.message.length).toBeLessThan(500);
  });

  it("blanks out the access token if an upstream echoes it in its error text", () => {
    const error = errorOf(
      answer(
        401,
        metaError(190, {
          message: `Invalid token Bearer ${TOKEN}`,
          error_data: { details: `got ${TOKEN}` },
        }),
      ),
    );
    expect(error.message).toContain("Invalid token Bearer [REDACTED]");
    expect(renderings(error)).not.toContain(TOKEN);
  });
});

describe("readAnswer: codes and answers Meta does not document here", () => {
  it("maps an unknown code with HTTP 400 to a ProviderRejected keeping the code", () => {
    const error = errorOf(answer(400, metaError(368)));
    expect(error).toBeInstanceOf(ProviderRejected);
    expect(error).toMatchObject({ providerCode: 368, httpStatus: 400 });
    expect(error.message).toContain("Meta error 368: (#368) Meta says something");
  });

  it.each([429, 500, 502, 503, 408])(
    "maps an unknown code with HTTP %i to a retryable ProviderUnavailable",
    (status) => {
      const error = errorOf(answer(status, metaError(999_999), 3000));
      expect(error).toBeInstanceOf(ProviderUnavailable);
      expect(error).toMatchObject({
        providerCode: 999_999,
        httpStatus: status,
        retryable: true,
        retryAfterMs: 3000,
      });
    },
  );

  it.each([
    [
      502,
      "<html>Bad gateway</html> (not JSON, parsed to undefined)",
      undefined,
      ProviderUnavailable,
    ],
    [503, "an empty body", undefined, ProviderUnavailable],
    [400, "JSON of another shape", { message: "nope" }, ProviderRejected],
    [
      401,
      "an error without a numeric code",
      { error: { message: "x", code: "190" } },
      ProviderRejected,
    ],
  ])("maps HTTP %i with %s by its status, with a clear message", (status, _what, body, type) => {
    const error = errorOf(answer(status, body));
    expect(error).toBeInstanceOf(type);
    expect(error).toMatchObject({ provider: "whatsapp", httpStatus: status });
    expect(error).not.toHaveProperty("providerCode");
    expect(error.message).toBe(
      `WhatsApp Cloud API answered HTTP ${status} without Meta's JSON error envelope (the body was empty, not JSON, or of another shape)`,
    );
  });

  it.each([500, 502, 503])(
    "says delivery is unknown for an unknown code with HTTP %i",
    (status) => {
      expect(errorOf(answer(status, metaError(999_999)))).toMatchObject({ deliveryUnknown: true });
    },
  );

  it.each([408, 429])(
    "does not say delivery is unknown for an unknown code with HTTP %i",
    (status) => {
      expect(errorOf(answer(status, metaError(999_999)))).not.toHaveProperty("deliveryUnknown");
    },
  );

  it.each([
    ["no contacts", { messaging_product: "whatsapp", messages: [{ id: "wamid.x" }] }],
    ["contacts of another shape", { contacts: "n/a", messages: [{ id: "wamid.x" }] }],
    ["no messaging_product", { contacts: [], messages: [{ id: "wamid.x" }] }],
    ["a second message of another shape", { messages: [{ id: "wamid.x" }, { id: 7 }] }],
  ])(
    "reads the wamid from a success answer with %s: only messages[0].id is required",
    (_what, body) => {
      expect(readAnswer(answer(200, body))).toEqual({ providerMessageId: "wamid.x" });
    },
  );

  it("reads the wamid from the documented success answer, extra fields allowed", () => {
    expect(
      readAnswer(
        answer(200, {
          messaging_product: "whatsapp",
          contacts: [{ input: "+55 11 99999-9999", wa_id: "5511999999999" }],
          messages: [{ id: "wamid.HBgM", message_status: "accepted" }],
        }),
      ),
    ).toEqual({ providerMessageId: "wamid.HBgM" });
  });

  it.each([
    ["another shape", { something: "else" }],
    ["no messages", { messaging_product: "whatsapp", contacts: [], messages: [] }],
    ["an empty id", { messaging_product: "whatsapp", contacts: [], messages: [{ id: "" }] }],
    ["a numeric id", { messaging_product: "whatsapp", contacts: [], messages: [{ id: 7 }] }],
    ["messages that is not a list", { messaging_product: "whatsapp", messages: { id: "wamid.x" } }],
    ["an error envelope", metaError(131000)],
    ["no body at all", undefined],
  ])(
    "maps a 200 with %s to a non-retryable ProviderUnavailable (unexpected shape)",
    (_what, body) => {
      const error = errorOf(answer(200, body));
      expect(error).toBeInstanceOf(ProviderUnavailable);
      expect(error).toMatchObject({ httpStatus: 200, retryable: false, deliveryUnknown: true });
      expect(error.message).toMatch(/unexpected shape/);
    },
  );
});

describe("Meta's errors through the simulator, over HTTP", () => {
  let simulator: WhatsAppSimulator;
  const raised: unknown[] = [];

  beforeAll(async () => {
    simulator = await startWhatsAppSimulator({ accessToken: TOKEN });
  });
  afterAll(() => simulator.close());
  beforeEach(() => simulator.reset());

  const channel = () =>
    createWhatsAppChannel({
      accessToken: TOKEN,
      phoneNumberId: simulator.credentials.phoneNumberId,
      baseUrl: simulator.baseUrl,
    });

  async function sendFailing(
    subject = channel(),
    signal?: AbortSignal,
  ): Promise<ProviderRejected | ProviderUnavailable> {
    const error = await failureOf(
      subject.send(
        "5511999999999",
        buttonMessage({ body: "Pick", buttons: buttons(2) }),
        sendContext(signal),
      ),
    );
    raised.push(error);
    if (!isProviderError(error)) throw new Error(`not a provider error: ${String(error)}`);
    return error;
  }

  it.each([...REJECTED.map(([code]) => code)])(
    "maps an injected Meta %i to a ProviderRejected with Meta's details",
    async (code) => {
      simulator.failNext({ errorCode: code });
      const error = await sendFailing();
      expect(error).toBeInstanceOf(ProviderRejected);
      expect(error).toMatchObject({ providerCode: code, retryable: false });
      expect(error.message).toContain("Injected by the provider simulator (failNext).");
    },
  );

  it.each([4, 80007, 130429, 131056])(
    "maps Meta %i to a retryable ProviderUnavailable honouring Retry-After",
    async (code) => {
      simulator.failNext({ errorCode: code, retryAfterSeconds: 12 });
      const error = await sendFailing();
      expect(error).toBeInstanceOf(ProviderUnavailable);
      expect(error).toMatchObject({ providerCode: code, retryable: true, retryAfterMs: 12_000 });
    },
  );

  it.each([131000, 1, 2])(
    "maps Meta %i to a retryable ProviderUnavailable that says delivery is unknown",
    async (code) => {
      simulator.failNext({ errorCode: code });
      const error = await sendFailing();
      expect(error).toBeInstanceOf(ProviderUnavailable);
      expect(error).toMatchObject({ providerCode: code, retryable: true, deliveryUnknown: true });
      expect(error.httpStatus).toBeGreaterThanOrEqual(500);
    },
  );

  it("maps a wrong access token to Meta 190, a ProviderRejected without the token", async () => {
    const wrong = "EAAG-wrong-token-9876543210";
    const error = await sendFailing(
      createWhatsAppChannel({
        accessToken: wrong,
        phoneNumberId: simulator.credentials.phoneNumberId,
        baseUrl: simulator.baseUrl,
      }),
    );
    expect(error).toBeInstanceOf(ProviderRejected);
    expect(error).toMatchObject({ providerCode: 190, httpStatus: 401 });
    expect(renderings(error)).not.toContain(wrong);
  });

  it("maps an unknown phone number id to Meta 100", async () => {
    const error = await sendFailing(
      createWhatsAppChannel({
        accessToken: TOKEN,
        phoneNumberId: "999",
        baseUrl: simulator.baseUrl,
      }),
    );
    expect(error).toBeInstanceOf(ProviderRejected);
    expect(error).toMatchObject({ providerCode: 100, httpStatus: 400 });
  });

  it("maps an unreachable host to a retryable ProviderUnavailable", async () => {
    const closed = await startWhatsAppSimulator();
    const baseUrl = closed.baseUrl;
    await closed.close();
    const error = await sendFailing(
      createWhatsAppChannel({ accessToken: TOKEN, phoneNumberId: "1", baseUrl }),
    );
    expect(error).toBeInstanceOf(ProviderUnavailable);
    expect(error).toMatchObject({ retryable: true });
    // A refused connection: nothing was sent, so nothing can have been delivered.
    expect(error).not.toHaveProperty("deliveryUnknown");
  });

  it("says delivery is unknown when the connection is reset after the request was sent", async () => {
    simulator.failNext({ reset: true });
    const error = await sendFailing();
    expect(error).toBeInstanceOf(ProviderUnavailable);
    expect(error).toMatchObject({ retryable: true, deliveryUnknown: true });
  });

  it("gives up after timeoutMs with a retryable ProviderUnavailable", async () => {
    simulator.failNext({ latencyMs: 1_000 });
    const error = await sendFailing(
      createWhatsAppChannel({
        accessToken: TOKEN,
        phoneNumberId: simulator.credentials.phoneNumberId,
        baseUrl: simulator.baseUrl,
        timeoutMs: 50,
      }),
    );
    expect(error).toBeInstanceOf(ProviderUnavailable);
    expect(error).toMatchObject({ retryable: true, deliveryUnknown: true });
    expect(error.message).toContain("did not answer within 50 ms");
  });

  it("fails at once when the caller's signal is already aborted", async () => {
    const error = await sendFailing(channel(), AbortSignal.abort());
    expect(error).toBeInstanceOf(ProviderUnavailable);
    expect(error).toMatchObject({ retryable: true });
  });

  it("never puts the access token or the request URL in any error raised above", () => {
    expect(raised.length).toBeGreaterThanOrEqual(20);
    for (const error of raised) {
      const rendered = renderings(error);
      expect(rendered).not.toContain(TOKEN);
      expect(rendered).not.toContain("Bearer");
      expect(rendered).not.toContain("/messages");
    }
  });
});
