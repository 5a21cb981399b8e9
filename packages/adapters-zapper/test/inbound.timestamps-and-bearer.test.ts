import { isProviderError, type WebhookRequest } from "@replykit/core";
import { redactor } from "@replykit/http-transport";
import { jsonAnswer } from "@replykit/http-transport/testing";
import { describe, expect, it } from "vitest";
import { optionsSchema, parseZapperWebhook, readAnswer, zapperInbound } from "../src/index.js";
import { RECEIVED_AT } from "./inbound-fixtures.js";

// When a tap happened, read from each form Baileys gives `messageTimestamp`, which
// Authorization headers carry the webhook secret, and that a success is exactly 2xx.

const SECONDS = 1_717_171_717;

/** The time of a tap whose `messageTimestamp` is the given value. */
function tapTime(messageTimestamp: unknown): Date | undefined {
  const [event] = parseZapperWebhook(
    {
      type: "messages.upsert",
      key: { remoteJid: "5511999999999@s.whatsapp.net", fromMe: false, id: "3EB0TAP" },
      messageTimestamp,
      message: {
        buttonsResponseMessage: { selectedButtonId: "yes", selectedDisplayText: "Yes" },
      },
    },
    RECEIVED_AT,
  );
  expect(event?.kind).toBe("button_reply");
  return event?.kind === "button_reply" ? event.at : undefined;
}

describe("ZapperAPI tap times", () => {
  it("reads seconds given as a string of digits", () => {
    expect(tapTime(String(SECONDS))).toEqual(new Date(SECONDS * 1000));
  });

  it("reads a string of 16 digits as milliseconds, and ignores one of 17", () => {
    expect(tapTime("1717171717000000")).toEqual(new Date(1_717_171_717_000_000));
    expect(tapTime("17171717170000000")).toEqual(RECEIVED_AT);
  });

  it("falls back to the time received for a string that is not only digits", () => {
    for (const text of [` ${SECONDS}`, `${SECONDS} `, `+${SECONDS}`, `-${SECONDS}`, "1.7e9", ""]) {
      expect(tapTime(text)).toEqual(RECEIVED_AT);
    }
  });

  it("reads both 32-bit halves of a protobuf Long", () => {
    const millis = 1_717_171_717_000;
    const high = Math.floor(millis / 2 ** 32);
    const low = (millis - high * 2 ** 32) | 0; // as protobuf.js gives it: a signed int32
    expect(tapTime({ low, high })).toEqual(new Date(millis));
  });

  it("reads a value of exactly 1e11 as milliseconds, just below it as seconds", () => {
    expect(tapTime(1e11)).toEqual(new Date(1e11));
    expect(tapTime(1e11 - 1)).toEqual(new Date((1e11 - 1) * 1000));
  });
});

describe("ZapperAPI's Authorization header", () => {
  const SECRET = "zapper-webhook-secret-0123456789ab";
  const verify = (authorization: string) => {
    const request: WebhookRequest = {
      method: "POST",
      header: (name) => (name.toLowerCase() === "authorization" ? authorization : undefined),
      query: new URLSearchParams(),
      rawBody: new Uint8Array(),
    };
    return zapperInbound.verify(
      request,
      optionsSchema.parse({ instanceId: "inst_abc", apiKey: "k", webhookSecret: SECRET }),
    );
  };

  it("accepts the Bearer secret with white space around it", async () => {
    expect(await verify(`  Bearer\t${SECRET} \t`)).toBe(true);
  });

  it("refuses a header with anything before the Bearer scheme", async () => {
    for (const authorization of [`xBearer ${SECRET}`, `Token Bearer ${SECRET}`]) {
      expect(await verify(authorization)).toBe(false);
    }
  });
});

describe("readAnswer's success range", () => {
  it("takes no answer outside 2xx for a receipt, even with a message key", () => {
    const read = (status: number) =>
      readAnswer(jsonAnswer(status, { key: { id: "3EB0AB" } }), redactor([]));
    for (const status of [199, 300]) expect(isProviderError(read(status))).toBe(true);
    expect(read(299)).toEqual({ providerMessageId: "3EB0AB" });
  });
});
