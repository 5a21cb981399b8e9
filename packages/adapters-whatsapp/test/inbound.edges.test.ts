import { webhookRequest } from "@replykit/core/conformance";
import { describe, expect, it } from "vitest";
import { answerWhatsAppHandshake, parseWhatsAppWebhook } from "../src/index.js";
import { envelope, SENT_WAMID } from "./fixtures/inbound.js";

// Edges of the Cloud API's inbound side: a handshake for a connection with no verify token,
// interactive messages without an interactive object, a change without a value, and the
// error a failed status carries when Meta gives only part of it.

describe("subscription handshake without a verify token", () => {
  const challenge = { "hub.mode": "subscribe", "hub.challenge": "1158201444" };
  const handshake = (verifyToken: string | undefined, token: string) =>
    answerWhatsAppHandshake(
      webhookRequest({ method: "GET", query: { ...challenge, "hub.verify_token": token } }),
      { verifyToken },
    );

  it("answers nothing for a connection with no verify token, even to an empty token", () => {
    expect(handshake(undefined, "")).toBeUndefined();
    expect(handshake(undefined, "anything")).toBeUndefined();
  });

  it("answers nothing for a connection whose verify token is empty, even to an empty token", () => {
    expect(handshake("", "")).toBeUndefined();
  });
});

describe("parseWhatsAppWebhook on interactive messages without an interactive object", () => {
  const message = (interactive: unknown) =>
    envelope({
      messages: [
        {
          from: "16505551234",
          id: "wamid.tap",
          timestamp: "1714510003",
          type: "interactive",
          ...(interactive === undefined ? {} : { interactive }),
        },
      ],
    });

  it.each([
    ["null", null],
    ["missing", undefined],
    ["a string", "button_reply"],
  ])("ignores one whose interactive is %s, without throwing", (_what, interactive) => {
    expect(parseWhatsAppWebhook(message(interactive))).toEqual([
      {
        kind: "ignored",
        providerEventId: "wamid.tap",
        reason: "unsupported interactive reply: (undefined)",
      },
    ]);
  });
});

describe("parseWhatsAppWebhook on a messages change without a value object", () => {
  it.each([
    ["null", null],
    ["a string", "x"],
  ])("answers a value that is %s with one ignored event", (_what, value) => {
    expect(parseWhatsAppWebhook(envelope(value))).toEqual([
      { kind: "ignored", reason: "messages change without a value object" },
    ]);
  });
});

describe("parseWhatsAppWebhook on the error of a failed status", () => {
  const failed = (errors: unknown[]) => {
    const [event] = parseWhatsAppWebhook(
      envelope({
        statuses: [
          {
            id: SENT_WAMID,
            status: "failed",
            timestamp: "1714510010",
            recipient_id: "16505551234",
            errors,
          },
        ],
      }),
    );
    expect(event?.kind).toBe("delivery_status");
    return event;
  };

  it("keeps the code alone when Meta gives no text, and says it is Meta's", () => {
    expect(failed([{ code: 131026 }])).toMatchObject({
      error: { code: "131026", message: "Meta error 131026" },
    });
  });

  it("keeps Meta's text with the code unknown when Meta gives no code", () => {
    expect(failed([{ title: "Message undeliverable" }])).toMatchObject({
      error: { code: "unknown", message: "Message undeliverable" },
    });
  });

  it("joins Meta's different texts, in order", () => {
    expect(
      failed([
        {
          code: 131049,
          title: "Ecosystem",
          message: "Not delivered",
          error_data: { details: "Try later" },
        },
      ]),
    ).toMatchObject({
      error: { code: "131049", message: "Ecosystem — Not delivered — Try later" },
    });
  });

  it("gives the status no error when Meta's has neither a code nor any non-empty text", () => {
    for (const errors of [[{}], [{ title: "", message: "" }], []]) {
      expect(failed(errors)).not.toHaveProperty("error");
    }
  });
});
