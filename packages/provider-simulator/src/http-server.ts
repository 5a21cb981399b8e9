import { setMaxListeners } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { CONTROL_PREFIX, type WebhookControl } from "./control.js";

export const DEFAULT_HOST = "127.0.0.1";

/** What `failNext` makes the simulator do instead of (or before) answering normally. */
export interface FailNextOptions {
  /** How many of the next requests this applies to. Default 1. */
  readonly times?: number;
  /** HTTP status. With no `body`, the provider's own error envelope is built for it. */
  readonly status?: number;
  /** Raw response body: a string is sent as-is (text/plain), anything else as JSON. */
  readonly body?: unknown;
  /** Provider error code (Meta's `error.code`); sets the matching HTTP status unless `status` is given. */
  readonly errorCode?: number;
  /** Delay before answering. Given alone, the request is answered normally after the delay. */
  readonly latencyMs?: number;
  /**
   * Read the request and process it (a message the provider accepts counts as delivered,
   * see `processed`), then reset the TCP connection without answering.
   */
  readonly reset?: boolean;
  /**
   * Reset the TCP connection as soon as the request's head arrives, before reading its body:
   * nothing is processed. The client cannot tell this from a reset after the request was
   * written, so it must treat the message as possibly delivered.
   */
  readonly resetBeforeRead?: boolean;
  /** Sets `Retry-After`; given without status or code, the answer is the provider's rate-limit error. */
  readonly retryAfterSeconds?: number;
  /**
   * Whether the provider acted on the message before failing this way, i.e. whether a user
   * would see it (provided the message is one the provider accepts). Default: `true` for a
   * 2xx answer, for `reset` and for `latencyMs` alone (the provider is slow, not failing);
   * `false` for an error status. `processed: true` with a 5xx models a provider that passed
   * the message on and then failed; `resetBeforeRead` never processes.
   */
  readonly processed?: boolean;
  /**
   * Makes each of the `times` requests fail this way with this probability (0 to 1), drawn
   * from a PRNG seeded by `seed`; the others are answered normally. Every one of them counts
   * towards `times`. Default 1: all of them fail.
   */
  readonly failRate?: number;
  /** Seed of `failRate`'s PRNG: the same seed fails the same requests. Default 1. */
  readonly seed?: number;
}

export interface SimulatedResponse {
  readonly kind: "response";
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The JSON value sent, or the raw string when the body was not JSON. */
  readonly body: unknown;
}

export interface ConnectionReset {
  readonly kind: "reset";
}

export interface RecordedRequest {
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Lower-cased header names; repeated headers joined with ", ". Secrets are kept as sent. */
  readonly headers: Readonly<Record<string, string>>;
  readonly rawBody: string;
  /** The body parsed as JSON, or `undefined` when it is empty or not JSON. */
  readonly body: unknown;
  readonly receivedAt: Date;
  /** True when the answer came from `failNext` rather than the provider logic. */
  readonly injected: boolean;
  /**
   * True when the provider acted on the request: a send the provider logic accepts, answered
   * with a 2xx, or processed before an injected `reset`, a delay the client gave up on, or an
   * error given `processed: true`. Each such request is one delivery of its message: count
   * them per message to find duplicates.
   */
  readonly processed: boolean;
  /**
   * The answer sent, or about to be sent: a request is recorded when it is processed, before
   * any latency, so a client that gave up waiting never got this `response`.
   */
  readonly response: SimulatedResponse | ConnectionReset;
}

/** A button of a message the simulator accepted: one a user can tap. */
export interface SentButton {
  readonly id: string;
  /** The label the user sees, as a tap reports it. */
  readonly title: string;
}

/**
 * A message the simulator accepted and (`processed`) delivered: what its webhooks need to
 * tap one of its buttons or report its status.
 */
export interface SentMessage {
  /** The provider's id of the message, as its send answered. */
  readonly messageId: string;
  /**
   * The recipient as the provider's webhooks name them: Meta's `wa_id` (digits), Z-API's
   * `phone`, ZapperAPI's `remoteJid` (`…@s.whatsapp.net`).
   */
  readonly recipient: string;
  /** The reply buttons (those a user can tap), in order. */
  readonly buttons: readonly SentButton[];
  readonly sentAt: Date;
}

/** Running totals since the simulator started or was last cleared; not bounded by `maxRecorded`. */
export interface SimulatorCounts {
  /** Requests recorded. */
  readonly received: number;
  /** Requests with `processed: true`: deliveries. */
  readonly processed: number;
}

export interface ProviderSimulator<TCredentials> {
  readonly baseUrl: string;
  readonly port: number;
  readonly credentials: TCredentials;
  /** Every request received, oldest first. The array is live: it grows as requests arrive. */
  readonly received: readonly RecordedRequest[];
  failNext(failure?: FailNextOptions): void;
  /**
   * A message this simulator accepted and delivered (a `processed` send), by its id; kept
   * until `reset()` (not `clear()`), the `maxRecorded` most recent ones.
   */
  sentMessage(messageId: string): SentMessage | undefined;
  /** The messages `sentMessage` knows, oldest first. */
  sentMessages(): readonly SentMessage[];
  /** How many requests were received and processed, counted even when `maxRecorded` drops them. */
  counts(): SimulatorCounts;
  /** Forgets the recorded requests and zeroes the counts. */
  clear(): void;
  /**
   * Forgets recorded requests, sent messages and pending failures, and restores the initial
   * provider state.
   */
  reset(): void;
  close(): Promise<void>;
}

export interface CommonSimulatorOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0: a free port chosen by the OS. */
  readonly port?: number;
  /** Delay added before every answer. Default 0. */
  readonly latencyMs?: number;
  /**
   * How many requests `received` keeps, the oldest dropped first. Default: all of them,
   * as tests want; a long-running demo sets a bound so memory stays flat.
   */
  readonly maxRecorded?: number;
}

export type JsonBody =
  | { readonly kind: "empty" }
  | { readonly kind: "invalid" }
  | { readonly kind: "parsed"; readonly value: unknown };

export interface SimulatorRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: Readonly<Record<string, string>>;
  readonly rawBody: string;
  readonly json: JsonBody;
}

export interface Reply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** The message a successful send created; remembered when the request is `processed`. */
  readonly sent?: SentMessage;
}

export interface InjectedError {
  readonly status?: number;
  readonly errorCode?: number;
  readonly retryAfterSeconds?: number;
}

/** The provider-specific part of a simulator; everything else is shared plumbing. */
export interface ProviderBehaviour {
  handle(request: SimulatorRequest): Reply;
  /** Builds the provider's own error envelope for an injected failure. */
  injectedError(failure: InjectedError): Reply;
  /** Restores provider state (e.g. a disconnected instance) on `reset()`. */
  reset?(): void;
  /**
   * Answers `POST /_simulator/webhooks/<action>` (the webhooks over HTTP); such requests are
   * neither recorded nor counted, and `failNext` does not apply to them.
   */
  control?: WebhookControl;
}

interface PendingFailure {
  readonly failure: FailNextOptions;
  remaining: number;
  /** Draws in [0, 1) for `failRate`. */
  readonly random: () => number;
}

export async function startSimulatorServer<TCredentials>(
  options: CommonSimulatorOptions,
  credentials: TCredentials,
  behaviour: ProviderBehaviour,
): Promise<ProviderSimulator<TCredentials>> {
  const host = options.host ?? DEFAULT_HOST;
  const baseLatencyMs = options.latencyMs ?? 0;
  const received: RecordedRequest[] = [];
  const maxRecorded = options.maxRecorded ?? Number.POSITIVE_INFINITY;
  // Bumped by reset(): requests begun before it are dropped instead of answered.
  let generation = 0;
  const pending: PendingFailure[] = [];
  // Aborting cancels pending delays so close() never waits on a sleeping request.
  const shutdown = new AbortController();
  // Every request sleeping on latency listens to it: hundreds at once under load are expected.
  setMaxListeners(0, shutdown.signal);

  let receivedCount = 0;
  let processedCount = 0;
  // Insertion order is age: the oldest is the first key.
  const delivered = new Map<string, SentMessage>();

  const takeFailure = (): FailNextOptions | undefined => {
    const head = pending[0];
    if (head === undefined) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) pending.shift();
    const rate = head.failure.failRate;
    if (rate !== undefined && head.random() >= rate) return undefined;
    return head.failure;
  };

  const server = createServer((req, res) => {
    void answer(req, res).catch(() => {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
        res.end("simulator error");
      } else {
        res.destroy();
      }
    });
  });

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const startedIn = generation;
    const receivedAt = new Date();
    const url = new URL(req.url ?? "/", "http://simulator.invalid");
    if (behaviour.control !== undefined && url.pathname.startsWith(CONTROL_PREFIX)) {
      const reply = await answerControl(
        req,
        url.pathname.slice(CONTROL_PREFIX.length),
        behaviour.control,
      );
      const sent = encode(reply);
      res.writeHead(reply.status, sent.recorded.headers);
      res.end(sent.payload);
      return;
    }
    // Taken in the order requests arrive, before their bodies are read.
    const failure = takeFailure();
    const headers = flattenHeaders(req);

    const record = (entry: {
      rawBody: string;
      body: unknown;
      processed: boolean;
      response: SimulatedResponse | ConnectionReset;
    }): void => {
      received.push({
        method: req.method ?? "GET",
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers,
        receivedAt,
        injected: failure !== undefined && !isDelayOnly(failure),
        ...entry,
      });
      receivedCount += 1;
      if (entry.processed) processedCount += 1;
      if (received.length > maxRecorded) received.splice(0, received.length - maxRecorded);
    };

    if (failure?.resetBeforeRead === true) {
      record({ rawBody: "", body: undefined, processed: false, response: { kind: "reset" } });
      req.socket.resetAndDestroy();
      return;
    }

    const rawBody = await readBody(req);
    const request: SimulatorRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: url.searchParams,
      headers,
      rawBody,
      json: parseJson(rawBody),
    };
    // The provider logic runs for every request: it says whether the provider would accept
    // the message, which an injected failure may then hide from the client.
    const normal = behaviour.handle(request);
    const accepted = request.method === "POST" && isSuccess(normal.status);
    const reply =
      failure === undefined || isDelayOnly(failure) || failure.reset === true
        ? normal
        : injectedReply(failure, behaviour);
    const processed = accepted && (failure?.processed ?? defaultProcessed(failure, reply));
    if (processed && normal.sent !== undefined) {
      delivered.set(normal.sent.messageId, normal.sent);
      for (const oldest of delivered.keys()) {
        if (delivered.size <= maxRecorded) break;
        delivered.delete(oldest);
      }
    }
    const body = request.json.kind === "parsed" ? request.json.value : undefined;

    if (failure?.reset === true) {
      record({ rawBody, body, processed, response: { kind: "reset" } });
      if (!(await waited(failure, startedIn, res))) return;
      req.socket.resetAndDestroy();
      return;
    }

    const sent = encode(reply);
    // Recorded when processed, before any latency and before the bytes leave: a client that
    // has its answer always finds the record, and one that gave up still left a delivery.
    record({ rawBody, body, processed, response: sent.recorded });
    if (!(await waited(failure, startedIn, res))) return;
    res.writeHead(reply.status, sent.recorded.headers);
    res.end(sent.payload);
  }

  /** Sleeps the base and injected latency; false when the answer must be dropped instead. */
  async function waited(
    failure: FailNextOptions | undefined,
    startedIn: number,
    res: ServerResponse,
  ): Promise<boolean> {
    const latencyMs = baseLatencyMs + (failure?.latencyMs ?? 0);
    if (latencyMs <= 0) return true;
    try {
      await sleep(latencyMs, undefined, { signal: shutdown.signal });
    } catch {
      res.destroy();
      return false;
    }
    // A request that outlived a reset() (or its client) belongs to a test that has moved
    // on: its answer is dropped (its record went with the reset).
    if (startedIn !== generation || res.destroyed) {
      res.destroy();
      return false;
    }
    return true;
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | undefined;
  return {
    baseUrl: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    credentials,
    received,
    failNext(failure = {}) {
      const times = failure.times ?? 1;
      if (!Number.isInteger(times) || times < 1) {
        throw new RangeError(`failNext: times must be a positive integer, got ${times}`);
      }
      const rate = failure.failRate;
      if (rate !== undefined && !(rate >= 0 && rate <= 1)) {
        throw new RangeError(`failNext: failRate must be between 0 and 1, got ${rate}`);
      }
      pending.push({ failure, remaining: times, random: seededRandom(failure.seed ?? 1) });
    },
    sentMessage(messageId) {
      return delivered.get(messageId);
    },
    sentMessages() {
      return [...delivered.values()];
    },
    counts() {
      return { received: receivedCount, processed: processedCount };
    },
    clear() {
      received.length = 0;
      receivedCount = 0;
      processedCount = 0;
    },
    reset() {
      generation += 1;
      received.length = 0;
      receivedCount = 0;
      processedCount = 0;
      pending.length = 0;
      delivered.clear();
      behaviour.reset?.();
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        shutdown.abort();
        server.close(() => resolve());
        // Keep-alive sockets from fetch would otherwise hold close() open.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

async function answerControl(
  req: IncomingMessage,
  action: string,
  control: WebhookControl,
): Promise<Reply> {
  if (req.method !== "POST") {
    req.resume();
    return { status: 405, body: { error: "use POST" }, headers: { allow: "POST" } };
  }
  const json = parseJson(await readBody(req));
  if (json.kind !== "parsed") return { status: 400, body: { error: "the body must be JSON" } };
  return control(action, json.value);
}

function isDelayOnly(failure: FailNextOptions): boolean {
  return (
    failure.latencyMs !== undefined &&
    failure.reset !== true &&
    failure.resetBeforeRead !== true &&
    failure.status === undefined &&
    failure.body === undefined &&
    failure.errorCode === undefined &&
    failure.retryAfterSeconds === undefined
  );
}

const isSuccess = (status: number): boolean => status >= 200 && status < 300;

/** `processed` when `failNext` does not say: a success or a reset was acted on, an error was not. */
function defaultProcessed(failure: FailNextOptions | undefined, reply: Reply): boolean {
  if (failure === undefined || isDelayOnly(failure) || failure.reset === true) return true;
  return isSuccess(reply.status);
}

/** mulberry32: a small PRNG, so that a seed always fails the same requests. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function injectedReply(failure: FailNextOptions, behaviour: ProviderBehaviour): Reply {
  const retryAfter =
    failure.retryAfterSeconds === undefined
      ? {}
      : { "retry-after": String(failure.retryAfterSeconds) };
  if (failure.body !== undefined) {
    return { status: failure.status ?? 500, body: failure.body, headers: retryAfter };
  }
  const injected: InjectedError = {
    ...(failure.status === undefined ? {} : { status: failure.status }),
    ...(failure.errorCode === undefined ? {} : { errorCode: failure.errorCode }),
    ...(failure.retryAfterSeconds === undefined
      ? {}
      : { retryAfterSeconds: failure.retryAfterSeconds }),
  };
  const reply = behaviour.injectedError(injected);
  return { ...reply, headers: { ...reply.headers, ...retryAfter } };
}

function encode(reply: Reply): { recorded: SimulatedResponse; payload: string | undefined } {
  const headers: Record<string, string> = {};
  let payload: string | undefined;
  if (typeof reply.body === "string") {
    headers["content-type"] = "text/plain; charset=utf-8";
    payload = reply.body;
  } else if (reply.body !== undefined) {
    headers["content-type"] = "application/json; charset=utf-8";
    payload = JSON.stringify(reply.body);
  }
  Object.assign(headers, reply.headers);
  return {
    recorded: { kind: "response", status: reply.status, headers, body: reply.body },
    payload,
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  }
  return Buffer.concat(chunks).toString("utf8");
}

function parseJson(raw: string): JsonBody {
  if (raw.trim() === "") return { kind: "empty" };
  try {
    return { kind: "parsed", value: JSON.parse(raw) as unknown };
  } catch {
    return { kind: "invalid" };
  }
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

/** The media type of a request without parameters, lower-cased (`application/json`). */
export function mediaType(request: SimulatorRequest): string | undefined {
  const value = request.headers["content-type"];
  if (value === undefined) return undefined;
  return value.split(";")[0]?.trim().toLowerCase();
}
