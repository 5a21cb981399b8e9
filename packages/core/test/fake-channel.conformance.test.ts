import { channelConformance } from "../src/conformance/index.js";
import { FakeChannel } from "../src/testing/index.js";

// The in-memory channel passes the same suite as the real adapters, which keeps the
// suite honest: every check in it can be met, and FakeChannel behaves like a provider.
channelConformance("FakeChannel", async () => {
  const channel = new FakeChannel({ provider: "fake" });
  return {
    channel,
    recipient: "5511999999999",
    secrets: ["fake-secret-token"],
    lastAcceptedMessageId: () => channel.accepted.at(-1),
    provider: {
      rejectNext: () => channel.answerNext({ kind: "reject", providerCode: 131009 }),
      rateLimitNext: (seconds) =>
        channel.answerNext({
          kind: "unavailable",
          providerCode: 130429,
          ...(seconds === undefined ? {} : { retryAfterMs: seconds * 1000 }),
        }),
      failNextWithServerError: () =>
        channel.answerNext({ kind: "unavailable", providerCode: 131000 }),
      resetNextConnection: () => channel.answerNext({ kind: "unavailable" }),
      answerNextWithUnexpectedBody: () =>
        channel.answerNext({
          kind: "unavailable",
          retryable: false,
          message: "the provider's answer was not understood (unexpected shape)",
        }),
      delayNext: () => channel.answerNext({ kind: "hang" }),
      // The fake holds no credential, so it has none to quote back.
      rejectNextQuoting: () => channel.answerNext({ kind: "reject" }),
    },
  };
});
