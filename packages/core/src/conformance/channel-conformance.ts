import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AttemptAbort } from "../attempt-abort.js";
import { isProviderError, ProviderRejected, ProviderUnavailable } from "../errors.js";
import { MAX_BUTTONS } from "../limits.js";
import type { ChannelPort } from "../ports/channel.js";
import {
  sendContext as context,
  failureOf,
  buttonMessage as message,
  renderings,
} from "../testing/fixtures.js";

/** Makes the provider behind a channel misbehave, once, on its next request. */
export interface ProviderControl {
  /** A documented error that sending again will not fix (Meta 131009, a 400…). */
  rejectNext(): void | Promise<void>;
  /** The provider's rate limit, with `Retry-After: retryAfterSeconds` when given. */
  rateLimitNext(retryAfterSeconds?: number): void | Promise<void>;
  /** An HTTP 5xx or the provider's "temporarily unavailable" answer. */
  failNextWithServerError(): void | Promise<void>;
  /** The connection closes without an answer. */
  resetNextConnection(): void | Promise<void>;
  /** A success status with a body that is not the documented shape. */
  answerNextWithUnexpectedBody(): void | Promise<void>;
  /** The next answer comes only after `milliseconds`. */
  delayNext(milliseconds: number): void | Promise<void>;
  /**
   * A rejection whose text quotes `text`, as a provider or proxy may echo a credential it
   * was sent (Z-API quotes a wrong `Client-Token`): the adapter must redact it.
   */
  rejectNextQuoting(text: string): void | Promise<void>;
}

export interface ChannelUnderTest {
  readonly channel: ChannelPort;
  /** A recipient the provider accepts. */
  readonly recipient: string;
  /** Every credential the channel holds: none may appear in an error it raises. */
  readonly secrets: readonly string[];
  readonly provider: ProviderControl;
  /** The message id the provider gave in its last successful answer. */
  lastAcceptedMessageId(): string | undefined | Promise<string | undefined>;
  close?(): Promise<void>;
}

const buttons = (count: number) =>
  Array.from({ length: count }, (_, index) => ({
    id: `option-${index + 1}`,
    title: `Option ${index + 1}`,
  }));

/**
 * The behaviour every {@link ChannelPort} must have, as a vitest suite. Call it at the top
 * level of a test file with a function that starts the channel against its provider (a
 * simulator over real HTTP, not a mock of the adapter's own code).
 */
export function channelConformance(name: string, setup: () => Promise<ChannelUnderTest>): void {
  describe(`ChannelPort conformance: ${name}`, () => {
    let subject: ChannelUnderTest;
    const errorsRaised: unknown[] = [];

    const sendExpectingFailure = async (): Promise<unknown> => {
      const error = await failureOf(
        subject.channel.send(
          subject.recipient,
          message({ body: "Pick one", buttons: buttons(2) }),
          context(),
        ),
      );
      errorsRaised.push(error);
      return error;
    };

    beforeAll(async () => {
      subject = await setup();
    });
    afterAll(async () => {
      await subject?.close?.();
    });

    it("declares capabilities within the domain's limits", () => {
      const { capabilities, provider } = subject.channel;
      expect(provider).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(capabilities.maxButtons).toBeGreaterThanOrEqual(1);
      expect(capabilities.maxButtons).toBeLessThanOrEqual(MAX_BUTTONS);
      for (const limit of Object.values(capabilities.limits)) {
        expect(Number.isInteger(limit) && limit > 0).toBe(true);
      }
    });

    it.each([1, 2, 3])("returns the provider's message id for %i button(s)", async (count) => {
      const max = subject.channel.capabilities.maxButtons;
      const sent = message({
        body: `Choose among ${count}`,
        buttons: buttons(Math.min(count, max)),
      });
      const receipt = await subject.channel.send(subject.recipient, sent, context());
      expect(receipt.providerMessageId).toBe(await subject.lastAcceptedMessageId());
      expect(receipt.providerMessageId.length).toBeGreaterThan(0);
    });

    it("sends the header and footer it declares, and unicode text intact", async () => {
      const { header, footer } = subject.channel.capabilities;
      const sent = message({
        ...(header ? { header: "Olá 👋" } : {}),
        body: "Café, naïve, 𝒜stral, e\u0301 — 你好",
        ...(footer ? { footer: "replykit ✓" } : {}),
        buttons: [
          { id: "yes-✓", title: "Sim 👍" },
          { id: "no", title: "Não" },
        ],
      });
      const receipt = await subject.channel.send(subject.recipient, sent, context());
      expect(receipt.providerMessageId).toBe(await subject.lastAcceptedMessageId());
    });

    it("maps a documented rejection to a ProviderRejected that keeps the provider's code", async () => {
      await subject.provider.rejectNext();
      const error = await sendExpectingFailure();
      expect(error).toBeInstanceOf(ProviderRejected);
      const rejected = error as ProviderRejected;
      expect(rejected.provider).toBe(subject.channel.provider);
      expect(rejected.providerCode).toBeDefined();
      expect(rejected.retryable).toBe(false);
    });

    it("maps a rate limit to a retryable ProviderUnavailable that honours Retry-After", async () => {
      await subject.provider.rateLimitNext(7);
      const error = await sendExpectingFailure();
      expect(error).toBeInstanceOf(ProviderUnavailable);
      const unavailable = error as ProviderUnavailable;
      expect(unavailable.retryable).toBe(true);
      expect(unavailable.retryAfterMs).toBe(7000);
      expect(unavailable.provider).toBe(subject.channel.provider);
    });

    it("maps a server error to ProviderUnavailable", async () => {
      await subject.provider.failNextWithServerError();
      const error = await sendExpectingFailure();
      expect(error).toBeInstanceOf(ProviderUnavailable);
    });

    it("maps a reset connection to a retryable ProviderUnavailable", async () => {
      await subject.provider.resetNextConnection();
      const error = await sendExpectingFailure();
      expect(error).toBeInstanceOf(ProviderUnavailable);
      expect((error as ProviderUnavailable).retryable).toBe(true);
    });

    it("turns an answer of unexpected shape into a provider error, not a crash", async () => {
      await subject.provider.answerNextWithUnexpectedBody();
      const error = await sendExpectingFailure();
      expect(isProviderError(error)).toBe(true);
      expect((error as Error).message).toMatch(/unexpected|not understood|invalid/i);
    });

    it("stops waiting when the send is aborted", async () => {
      await subject.provider.delayNext(3_000);
      const controller = new AbortController();
      const pending = subject.channel.send(
        subject.recipient,
        message({ body: "Still there?", buttons: buttons(1) }),
        context(controller.signal),
      );
      setTimeout(() => controller.abort(), 20);
      const started = Date.now();
      const error = await failureOf(pending);
      errorsRaised.push(error);
      expect(error).toBeInstanceOf(ProviderUnavailable);
      // Well before the provider's 3 s: the adapter gave up on the abort, not on a timeout.
      expect(Date.now() - started).toBeLessThan(1_500);
    });

    // The attempt itself as the context, as the use case gives it to a channel that reads its
    // signal on demand, which must hear the abort on `cancellation`; any other channel reads
    // `signal`, made on that read.
    it("stops waiting when the use case's attempt aborts", async () => {
      await subject.provider.delayNext(3_000);
      const attempt = new AttemptAbort("conformance-request", 5_000);
      const pending = subject.channel.send(
        subject.recipient,
        message({ body: "Still there?", buttons: buttons(1) }),
        attempt,
      );
      setTimeout(() => attempt.abort(new DOMException("cut short", "AbortError")), 20);
      const started = Date.now();
      const error = await failureOf(pending);
      errorsRaised.push(error);
      expect(error).toBeInstanceOf(ProviderUnavailable);
      expect(Date.now() - started).toBeLessThan(1_500);
    });

    it("keeps working after a failure", async () => {
      const receipt = await subject.channel.send(
        subject.recipient,
        message({ body: "Back to normal", buttons: buttons(1) }),
        context(),
      );
      expect(receipt.providerMessageId).toBe(await subject.lastAcceptedMessageId());
    });

    it("never puts a credential in an error, even one the provider quotes back", async () => {
      for (const secret of subject.secrets) {
        await subject.provider.rejectNextQuoting(secret);
        errorsRaised.push(await sendExpectingFailure());
      }
      for (const error of errorsRaised) {
        for (const secret of subject.secrets) expect(renderings(error)).not.toContain(secret);
      }
    });
  });
}
