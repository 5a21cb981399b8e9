import { isProviderError, ProviderUnavailable } from "@replykit/core";
import { type JsonAnswer, redactor } from "@replykit/http-transport";
import { jsonAnswer as answer } from "@replykit/http-transport/testing";
import { describe, expect, it } from "vitest";
import { readAnswer } from "../src/answer.js";

// Meta documents 131000, 1 and 2 as "retry; the message may have been sent". That holds
// whatever error status carries them: read by status alone, a 4xx would call a message that
// may have been delivered rejected, and a 429 would say nothing about its delivery.

function errorOf(reply: JsonAnswer) {
  const outcome = readAnswer(reply, redactor(["token"]));
  if (!isProviderError(outcome)) throw new Error(`expected an error: ${JSON.stringify(outcome)}`);
  return outcome;
}

const envelope = (code: number) => ({ error: { code, message: `(#${code}) failed` } });

describe("readAnswer: Meta's maybe-sent codes under any status", () => {
  it.each([
    [131000, 400],
    [1, 400],
    [1, 403],
    [2, 400],
    [2, 429],
  ])(
    "maps Meta %i with HTTP %i to a retryable ProviderUnavailable whose delivery is unknown",
    (code, status) => {
      const error = errorOf(answer(status, envelope(code)));
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

  it("keeps Meta's Retry-After on a maybe-sent code, and leaves it out when Meta gave none", () => {
    expect(errorOf(answer(400, envelope(131000), 3000))).toMatchObject({ retryAfterMs: 3000 });
    expect(errorOf(answer(400, envelope(131000)))).not.toHaveProperty("retryAfterMs");
  });
});
