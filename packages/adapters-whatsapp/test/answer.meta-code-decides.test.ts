import { isProviderError, ProviderRejected, ProviderUnavailable } from "@replykit/core";
import { type JsonAnswer, redactor } from "@replykit/http-transport";
import { jsonAnswer as answer } from "@replykit/http-transport/testing";
import { describe, expect, it } from "vitest";
import { readAnswer } from "../src/answer.js";

// A documented Meta code says what happened; the HTTP status of the answer that carries it
// does not overrule it. A 5xx read by status alone would call a refusal retryable and
// delivery-unknown, and a rate limit possibly delivered.

function errorOf(reply: JsonAnswer) {
  const outcome = readAnswer(reply, redactor(["token"]));
  if (!isProviderError(outcome)) throw new Error(`expected an error: ${JSON.stringify(outcome)}`);
  return outcome;
}

const envelope = (code: number) => ({ error: { code, message: `(#${code}) failed` } });

describe("readAnswer: a documented Meta code under a status that says otherwise", () => {
  it.each([131009, 131008, 100, 190, 10, 200, 131047, 131026])(
    "keeps Meta %i a ProviderRejected under HTTP 500",
    (code) => {
      const error = errorOf(answer(500, envelope(code)));
      expect(error).toBeInstanceOf(ProviderRejected);
      expect(error).toMatchObject({ providerCode: code, httpStatus: 500, retryable: false });
      expect(error).not.toHaveProperty("deliveryUnknown");
    },
  );

  it.each([4, 80007, 130429, 131056])(
    "keeps Meta %i a rate limit under HTTP 500: retryable, and nothing was sent",
    (code) => {
      const error = errorOf(answer(500, envelope(code), 2000));
      expect(error).toBeInstanceOf(ProviderUnavailable);
      expect(error).toMatchObject({ providerCode: code, retryable: true, retryAfterMs: 2000 });
      expect(error).not.toHaveProperty("deliveryUnknown");
    },
  );
});

describe("readAnswer: the success range", () => {
  it.each([200, 201, 299])("reads the wamid of a documented answer with HTTP %i", (status) => {
    expect(readAnswer(answer(status, { messages: [{ id: "wamid.1" }] }), (text) => text)).toEqual({
      providerMessageId: "wamid.1",
    });
  });

  it.each([199, 300])("does not read HTTP %i as a success, whatever its body", (status) => {
    const outcome = readAnswer(answer(status, { messages: [{ id: "wamid.1" }] }), (text) => text);
    expect(isProviderError(outcome)).toBe(true);
  });
});
