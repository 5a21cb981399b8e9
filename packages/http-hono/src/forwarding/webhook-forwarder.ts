import type { InboundEvent, InboundEventHandler, Logger } from "@replykit/core";
import { createJsonLogger } from "@replykit/http-app";
import {
  importSigningKey,
  signWebhook,
  toBase64Url,
  webhookSigningKey,
} from "./standard-webhooks.js";

// Forwards normalized inbound events to the embedder's URL, signed as Standard Webhooks
// describe. Edge-safe: WebCrypto and fetch only. The outbox lives in this process's memory:
// what it holds when the process stops is lost (see the README).

/** The `type` of a forwarded webhook, one per kind of `InboundEvent`. */
export type ForwardedEventType = "message.button_reply" | "message.status" | "webhook.ignored";

const TYPES: Readonly<Record<InboundEvent["kind"], ForwardedEventType>> = {
  button_reply: "message.button_reply",
  delivery_status: "message.status",
  ignored: "webhook.ignored",
};

/** The type a forwarded webhook carries for an event. */
export const forwardedEventType = (event: InboundEvent): ForwardedEventType => TYPES[event.kind];

/**
 * The JSON body of a forwarded webhook, in the specification's recommended envelope: `type`,
 * `timestamp` (when the event happened: the tap's `receivedAt`, the status's `at`, else when
 * it was queued; ISO 8601) and `data`, the `InboundEvent` with its dates as ISO strings.
 */
export interface ForwardedWebhookBody {
  readonly type: ForwardedEventType;
  readonly timestamp: string;
  readonly data: Record<string, unknown> & { readonly kind: InboundEvent["kind"] };
}

/** `fetch`, or any function with its signature (a test double, a pooled client). */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface WebhookForwarderOptions {
  /** Where to POST the events. */
  readonly url: string | URL;
  /**
   * The signing secret: `whsec_<base64 key>` as the specification writes them (the base64
   * part decoded is the key), or a raw secret whose UTF-8 bytes are the key. Several while
   * rotating: each signs, and `webhook-signature` carries one `v1,…` per secret.
   */
  readonly secret: string | readonly string[];
  /** Default: the global `fetch`. */
  readonly fetch?: FetchLike;
  /** Default: JSON lines on stdout (`createJsonLogger()`). Secrets are never logged. */
  readonly logger?: Logger;
  /**
   * How many events the outbox holds (queued, waiting for a retry or being delivered).
   * `handle` rejects a batch that does not fit, whole. Default 10 000.
   */
  readonly maxPending?: number;
  /** Attempts per event, the first included. Default 8. */
  readonly maxAttempts?: number;
  /** Delay before the first retry; doubled each time, with jitter. Default 1 000 ms. */
  readonly initialBackoffMs?: number;
  /** Longest delay between two attempts (also caps a `Retry-After`). Default 60 000 ms. */
  readonly maxBackoffMs?: number;
  /** How long one attempt may take, answer included. Default 10 000 ms. */
  readonly attemptTimeoutMs?: number;
  /** Attempts under way at once. Default 4. */
  readonly concurrency?: number;
  /** Milliseconds since the epoch. Default `Date.now`. */
  readonly now?: () => number;
  /** Draws in [0, 1) for the jitter. Default `Math.random`. */
  readonly random?: () => number;
}

export interface WebhookForwarder extends InboundEventHandler {
  /**
   * Queues the events and resolves at once; delivery happens in the background. Rejects with
   * `OutboxFullError` when the batch does not fit (none of it is queued, so that the
   * provider's redelivery brings it again), and once `close()` was called.
   */
  handle(events: readonly InboundEvent[]): Promise<void>;
  /** Events queued, waiting for a retry or being delivered. */
  readonly pending: number;
  /** Resolves when nothing is pending (or the forwarder is closed). */
  idle(): Promise<void>;
  /**
   * Stops: no new attempt starts, the attempts under way finish (each bounded by
   * `attemptTimeoutMs`), and what is still queued is dropped and logged as a count.
   */
  close(): Promise<void>;
}

/** `handle` could not queue the events: the outbox is full. */
export class OutboxFullError extends Error {
  override readonly name = "OutboxFullError";
  constructor(
    readonly pending: number,
    readonly maxPending: number,
    readonly refused: number,
  ) {
    super(
      `webhook outbox full: ${pending} of ${maxPending} pending, ${refused} more refused; the provider will deliver them again`,
    );
  }
}

/** `handle` was called after `close()`. */
export class ForwarderClosedError extends Error {
  override readonly name = "ForwarderClosedError";
  constructor() {
    super("the webhook forwarder is closed");
  }
}

interface Entry {
  readonly type: ForwardedEventType;
  readonly connectionId: string;
  readonly kind: InboundEvent["kind"];
  readonly providerEventId: string | undefined;
  readonly body: string;
  id: string | undefined;
  attempts: number;
  timer: ReturnType<typeof setTimeout> | undefined;
}

type Outcome =
  | { readonly kind: "delivered"; readonly status: number }
  /** An answer that retrying will not change (4xx other than 408/429, a redirect). */
  | { readonly kind: "refused"; readonly status: number }
  | {
      readonly kind: "failed";
      readonly status?: number;
      readonly error?: string;
      readonly retryAfterMs?: number;
    };

const DEFAULTS = {
  maxPending: 10_000,
  maxAttempts: 8,
  initialBackoffMs: 1_000,
  maxBackoffMs: 60_000,
  attemptTimeoutMs: 10_000,
  concurrency: 4,
} as const;

/**
 * An `InboundEventHandler` that forwards every event to `options.url` as a Standard
 * Webhooks request: `webhook-id` (derived from the connection and the provider's event id,
 * so the same on every attempt and for a provider's redelivery; random when the event has
 * no provider id), `webhook-timestamp` (seconds, of the attempt) and `webhook-signature`.
 * A 2xx ends an event; 408, 429, 5xx, a network error or a timeout is retried with
 * exponential backoff and jitter up to `maxAttempts`; any other answer gives up at once.
 * Giving up is logged (event id, type, connection, attempts, status or error class), never
 * the secret, the URL's path or the body.
 */
export function createWebhookForwarder(options: WebhookForwarderOptions): WebhookForwarder {
  const url = new URL(options.url);
  const destination = url.origin;
  const secrets = typeof options.secret === "string" ? [options.secret] : options.secret;
  if (secrets.length === 0) throw new RangeError("a webhook forwarder needs at least one secret");
  // The secrets' form is checked here, synchronously, so that a bad one fails at start-up
  // rather than at the first event; importing the keys is asynchronous.
  const keyBytes = secrets.map(webhookSigningKey);
  const keys = Promise.all(keyBytes.map(importSigningKey));
  // Never rejects once the bytes are checked; if it did, every attempt would fail and say so.
  keys.catch(() => undefined);
  const fetchImpl: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));
  const logger = options.logger ?? createJsonLogger();
  const maxPending = positiveInteger("maxPending", options.maxPending, DEFAULTS.maxPending);
  const maxAttempts = positiveInteger("maxAttempts", options.maxAttempts, DEFAULTS.maxAttempts);
  const concurrency = positiveInteger("concurrency", options.concurrency, DEFAULTS.concurrency);
  const initialBackoffMs = nonNegative(
    "initialBackoffMs",
    options.initialBackoffMs,
    DEFAULTS.initialBackoffMs,
  );
  const maxBackoffMs = nonNegative("maxBackoffMs", options.maxBackoffMs, DEFAULTS.maxBackoffMs);
  const attemptTimeoutMs = positiveInteger(
    "attemptTimeoutMs",
    options.attemptTimeoutMs,
    DEFAULTS.attemptTimeoutMs,
  );
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;

  const ready = new Queue<Entry>();
  const waiting = new Set<Entry>();
  const inFlight = new Set<Promise<void>>();
  let idleWaiters: (() => void)[] = [];
  let closed = false;
  let closing: Promise<void> | undefined;
  let droppedAtClose = 0;

  const pendingCount = (): number => ready.size + waiting.size + inFlight.size;

  const settleIdle = (): void => {
    if (pendingCount() > 0 && !closed) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  };

  const pump = (): void => {
    while (!closed && inFlight.size < concurrency) {
      const entry = ready.shift();
      if (entry === undefined) break;
      const run: Promise<void> = deliver(entry)
        .catch((error: unknown) => {
          // deliver() handles every failure it knows; this is a bug, not a lost event to hide.
          logger.log("error", "forwarding.unexpected_error", {
            webhookId: entry.id,
            error: errorClass(error),
          });
        })
        .finally(() => {
          inFlight.delete(run);
          pump();
          settleIdle();
        });
      inFlight.add(run);
    }
  };

  async function deliver(entry: Entry): Promise<void> {
    entry.attempts += 1;
    entry.id ??= await webhookId(entry.connectionId, entry.kind, entry.providerEventId);
    const outcome = await attempt(entry.id, entry.body);
    const fields = {
      webhookId: entry.id,
      type: entry.type,
      connectionId: entry.connectionId,
      attempts: entry.attempts,
      destination,
      ...(outcome.kind === "failed" && outcome.error !== undefined ? { error: outcome.error } : {}),
      ...("status" in outcome && outcome.status !== undefined ? { status: outcome.status } : {}),
    };
    if (outcome.kind === "delivered") {
      logger.log("debug", "forwarding.delivered", fields);
      return;
    }
    if (outcome.kind === "refused") {
      logger.log("error", "forwarding.gave_up", { ...fields, reason: "refused" });
      return;
    }
    if (entry.attempts >= maxAttempts) {
      logger.log("error", "forwarding.gave_up", { ...fields, reason: "attempts_exhausted" });
      return;
    }
    if (closed) {
      droppedAtClose += 1;
      return;
    }
    const delayMs = backoff(entry.attempts, outcome.retryAfterMs);
    logger.log("warn", "forwarding.retry_scheduled", { ...fields, delayMs });
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      waiting.delete(entry);
      ready.push(entry);
      pump();
    }, delayMs);
    waiting.add(entry);
  }

  async function attempt(id: string, body: string): Promise<Outcome> {
    const timestamp = Math.floor(now() / 1000);
    let response: Response;
    try {
      const signature = await signWebhook(await keys, { id, timestamp, body });
      response = await fetchImpl(url.href, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "webhook-id": id,
          "webhook-timestamp": String(timestamp),
          "webhook-signature": signature,
        },
        body,
        // A redirect is a configuration error to fix, not something to follow with the body.
        redirect: "manual",
        signal: AbortSignal.timeout(attemptTimeoutMs),
      });
    } catch (error) {
      return { kind: "failed", error: errorClass(error) };
    }
    // The answer's body is not needed: released so that the connection can be reused.
    response.body?.cancel().catch(() => undefined);
    const status = response.status;
    if (status >= 200 && status < 300) return { kind: "delivered", status };
    if (status === 408 || status === 429 || status >= 500) {
      const retryAfterMs = retryAfter(response.headers.get("retry-after"), now());
      return { kind: "failed", status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
    }
    return { kind: "refused", status };
  }

  /** Exponential, from `initialBackoffMs`, capped, with "equal jitter" (half fixed, half random). */
  function backoff(attempts: number, retryAfterMs: number | undefined): number {
    const exponential = Math.min(maxBackoffMs, initialBackoffMs * 2 ** (attempts - 1));
    const jittered = exponential / 2 + random() * (exponential / 2);
    return Math.round(Math.min(maxBackoffMs, Math.max(jittered, retryAfterMs ?? 0)));
  }

  return {
    async handle(events: readonly InboundEvent[]): Promise<void> {
      if (closed) throw new ForwarderClosedError();
      if (events.length === 0) return;
      const pending = pendingCount();
      if (pending + events.length > maxPending) {
        logger.log("warn", "forwarding.outbox_full", {
          pending,
          maxPending,
          refused: events.length,
        });
        throw new OutboxFullError(pending, maxPending, events.length);
      }
      // Serialised now: the bytes sent on every attempt are the ones of this moment.
      for (const event of events) {
        const type = TYPES[event.kind];
        const body: ForwardedWebhookBody = {
          type,
          timestamp: eventTime(event, now()),
          data: event as unknown as ForwardedWebhookBody["data"],
        };
        ready.push({
          type,
          connectionId: event.connectionId,
          kind: event.kind,
          providerEventId: event.providerEventId,
          body: JSON.stringify(body),
          id: undefined,
          attempts: 0,
          timer: undefined,
        });
      }
      pump();
    },
    get pending() {
      return pendingCount();
    },
    idle() {
      if (pendingCount() === 0 || closed) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
    close() {
      closing ??= (async () => {
        closed = true;
        for (const entry of waiting) clearTimeout(entry.timer);
        droppedAtClose += waiting.size + ready.size;
        waiting.clear();
        ready.clear();
        await Promise.allSettled([...inFlight]);
        if (droppedAtClose > 0) {
          logger.log("warn", "forwarding.closed_with_pending", { dropped: droppedAtClose });
        }
        settleIdle();
      })();
      return closing;
    },
  };
}

const encoder = new TextEncoder();

/**
 * `msg_` and 32 base64url characters of SHA-256 over the connection, the event's kind and
 * the provider's event id: the same event always gets the same id, also after a restart or
 * when the provider delivers it again; an event with no provider id gets a random one.
 */
export async function webhookId(
  connectionId: string,
  kind: InboundEvent["kind"],
  providerEventId: string | undefined,
): Promise<string> {
  if (providerEventId === undefined) return `msg_${crypto.randomUUID().replace(/-/g, "")}`;
  const digest = await crypto.subtle.digest(
    "SHA-256",
    encoder.encode(JSON.stringify([connectionId, kind, providerEventId])),
  );
  return `msg_${toBase64Url(new Uint8Array(digest)).slice(0, 32)}`;
}

function eventTime(event: InboundEvent, nowMs: number): string {
  const at =
    event.kind === "button_reply"
      ? event.receivedAt
      : event.kind === "delivery_status"
        ? event.at
        : undefined;
  return at !== undefined && Number.isFinite(at.getTime())
    ? at.toISOString()
    : new Date(nowMs).toISOString();
}

/** `Retry-After` in milliseconds from now: delta seconds or an HTTP date. */
function retryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isFinite(date) ? Math.max(0, date - nowMs) : undefined;
}

/**
 * What went wrong, without its message (a network error's message may quote the URL):
 * `TimeoutError`, `TypeError (ECONNREFUSED)`…
 */
function errorClass(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const cause = (error as { cause?: unknown }).cause;
  const code =
    cause !== null && typeof cause === "object" && "code" in cause
      ? String((cause as { code: unknown }).code)
      : undefined;
  return code === undefined ? error.name : `${error.name} (${code})`;
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  return value;
}

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a finite number >= 0, got ${value}`);
  }
  return value;
}

/** A FIFO queue with O(1) push and shift. */
class Queue<T> {
  #items: (T | undefined)[] = [];
  #head = 0;

  get size(): number {
    return this.#items.length - this.#head;
  }

  push(item: T): void {
    this.#items.push(item);
  }

  shift(): T | undefined {
    if (this.#head >= this.#items.length) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head] = undefined;
    this.#head += 1;
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }

  clear(): void {
    this.#items = [];
    this.#head = 0;
  }
}
