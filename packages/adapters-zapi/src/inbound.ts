import {
  type DeliveryState,
  type InboundDriver,
  type ParsedInbound,
  timingSafeEqual,
  type WebhookRequest,
} from "@replykit/core";
import {
  ignored,
  isRecord,
  kindOf,
  nonEmptyString,
  oneLine,
  quoteWord,
} from "@replykit/http-transport";
import type { ResolvedZapiOptions } from "./options.js";

// Z-API's webhooks, read: its "on message received" (ReceivedCallback), "message status"
// (MessageStatusCallback) and "on send" (DeliveryCallback) bodies. Everything here is pure and
// edge-safe. A body is whatever JSON arrived (or `undefined`), so every field is checked
// before use and nothing is ever assumed: an odd body is `ignored`, never an exception.

/**
 * What a Z-API message status means for a message replykit sent. Z-API has no failure status
 * (a failed send is a `DeliveryCallback` with `error`). `READ_BY_ME` marks a message this
 * instance read, i.e. one it received: mapped as asked, it simply matches no message sent.
 */
const STATUS = new Map<string, DeliveryState>([
  ["SENT", "sent"],
  ["RECEIVED", "delivered"],
  ["READ", "read"],
  ["READ_BY_ME", "read"],
  ["PLAYED", "read"],
]);

/** What a `ReceivedCallback` carries instead of a tap, named in the `ignored` reason. */
const CONTENT_KINDS = [
  "text",
  "image",
  "audio",
  "video",
  "document",
  "sticker",
  "location",
  "contact",
  "listResponseMessage",
  "buttonsMessage",
  "hydratedTemplate",
  "reaction",
  "poll",
  "pollVote",
  "product",
  "order",
  "notification",
] as const;

/** Longest stretch of a provider's text kept in a reason or an error message. */
const MAX_QUOTED = 300;

/**
 * Every event of one Z-API webhook body, in order. Never throws.
 *
 * `receivedAt` stands in for the event's time when the body has no usable `momment` (older
 * `DeliveryCallback` examples carry none); with it fixed, the same body always gives equal
 * events.
 */
export function parseZapiWebhook(body: unknown, receivedAt: Date): ParsedInbound[] {
  if (!isRecord(body)) return [ignored(`not a Z-API callback: ${kindOf(body)}`)];
  switch (body.type) {
    case "ReceivedCallback":
      return [receivedCallback(body, receivedAt)];
    case "MessageStatusCallback":
      return messageStatusCallback(body, receivedAt);
    case "DeliveryCallback":
      return [deliveryCallback(body, receivedAt)];
    default:
      return [
        ignored(
          typeof body.type === "string"
            ? `unsupported Z-API callback type ${quoteWord(body.type)}`
            : "a Z-API callback without a type",
        ),
      ];
  }
}

/** A tap is a `ReceivedCallback` with `buttonsResponseMessage`; anything else received is not. */
function receivedCallback(body: Record<string, unknown>, receivedAt: Date): ParsedInbound {
  const messageId = nonEmptyString(body.messageId);
  const id = messageId === undefined ? {} : { providerEventId: messageId };
  // With "notify sent by me" on, Z-API also posts what the instance itself sent.
  if (body.fromMe === true) return { kind: "ignored", ...id, reason: "own message echoed" };

  const response = body.buttonsResponseMessage;
  if (!isRecord(response)) {
    const kind = CONTENT_KINDS.find((key) => body[key] !== undefined && body[key] !== null);
    return {
      kind: "ignored",
      ...id,
      reason: `received message is not a button reply: ${kind ?? "other content"}`,
    };
  }
  const buttonId = nonEmptyString(response.buttonId);
  const from = nonEmptyString(body.phone);
  if (buttonId === undefined || from === undefined || messageId === undefined) {
    const missing = [
      ...(buttonId === undefined ? ["buttonsResponseMessage.buttonId"] : []),
      ...(from === undefined ? ["phone"] : []),
      ...(messageId === undefined ? ["messageId"] : []),
    ];
    return { kind: "ignored", ...id, reason: `button reply without ${missing.join(", ")}` };
  }
  const replyTo = nonEmptyString(body.referenceMessageId);
  return {
    kind: "button_reply",
    providerEventId: messageId,
    // A phone number, a group id or a LID (`…@lid`): kept exactly as Z-API gives it.
    from,
    buttonId,
    ...(typeof response.message === "string" ? { buttonTitle: response.message } : {}),
    ...(replyTo === undefined ? {} : { replyToProviderMessageId: replyTo }),
    at: momentOf(body) ?? receivedAt,
  };
}

/** One status for every id in `ids` (Z-API batches the messages a status applies to). */
function messageStatusCallback(body: Record<string, unknown>, receivedAt: Date): ParsedInbound[] {
  const status = typeof body.status === "string" ? STATUS.get(body.status) : undefined;
  if (status === undefined) {
    return [
      ignored(
        typeof body.status === "string"
          ? `unsupported Z-API message status ${quoteWord(body.status)}`
          : "a message status without a status",
      ),
    ];
  }
  // The table of the docs calls the field `id`, every example `ids`: both are read. A status
  // for no message at all (`ids: []`) is no event.
  if (Array.isArray(body.ids) && body.ids.length === 0) return [];
  const given = Array.isArray(body.ids) ? body.ids : [body.id];
  const ids = [...new Set(given.flatMap((id) => nonEmptyString(id) ?? []))];
  if (ids.length === 0) return [ignored("a message status without message ids")];
  const at = momentOf(body) ?? receivedAt;
  const recipient = nonEmptyString(body.phone);
  return ids.map((id) => ({
    kind: "delivery_status",
    providerEventId: `${id}:${status}`,
    providerMessageId: id,
    status,
    ...(recipient === undefined ? {} : { recipient }),
    at,
  }));
}

/**
 * "On send": Z-API handed the message to WhatsApp (`accepted`, not `delivered`: delivery
 * comes later as `RECEIVED`), or, with `error` (and sometimes `errorCode`, e.g.
 * `"SHADOW_BAN"`), could not send it (`failed`).
 */
function deliveryCallback(body: Record<string, unknown>, receivedAt: Date): ParsedInbound {
  const messageId = nonEmptyString(body.messageId);
  if (messageId === undefined) return ignored("a send callback without messageId");
  const error = typeof body.error === "string" ? nonEmptyString(oneLine(body.error)) : undefined;
  const status: DeliveryState = error === undefined ? "accepted" : "failed";
  const recipient = nonEmptyString(body.phone);
  return {
    kind: "delivery_status",
    providerEventId: `${messageId}:${status}`,
    providerMessageId: messageId,
    status,
    ...(error === undefined
      ? {}
      : { error: { code: errorCodeOf(body.errorCode), message: bounded(error) } }),
    ...(recipient === undefined ? {} : { recipient }),
    at: momentOf(body) ?? receivedAt,
  };
}

/** Z-API's `errorCode` when it is a short identifier, else a code of our own. */
function errorCodeOf(code: unknown): string {
  return typeof code === "string" && /^[\w.-]{1,64}$/.test(code) ? code : "send_failed";
}

/** `momment`: milliseconds since the epoch, as a number (or a string of digits). */
function momentOf(body: Record<string, unknown>): Date | undefined {
  const value = body.momment;
  const millis =
    typeof value === "number"
      ? value
      : typeof value === "string" && /^\d{1,16}$/.test(value)
        ? Number(value)
        : Number.NaN;
  if (!Number.isFinite(millis)) return undefined;
  const at = new Date(millis);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

async function verify(request: WebhookRequest, options: ResolvedZapiOptions): Promise<boolean> {
  const secret = options.webhookSecret;
  if (secret === undefined || request.pathSecret === undefined) return false;
  return timingSafeEqual(secret, request.pathSecret);
}

/**
 * Z-API's inbound side. Z-API signs nothing and sends no secret header, so a webhook is
 * authenticated by its URL alone: `verify` accepts a request whose secret path segment
 * (`request.pathSecret`) equals the connection's `webhookSecret`, compared in constant time;
 * without a configured secret it accepts nothing. `parse` never throws; with no second
 * argument, an event without a time of its own takes the current time.
 */
export const zapiInbound = {
  verify,
  parse: (body: unknown, receivedAt: Date = new Date()): readonly ParsedInbound[] =>
    parseZapiWebhook(body, receivedAt),
} satisfies InboundDriver<ResolvedZapiOptions>;

function bounded(text: string, max = MAX_QUOTED): string {
  const codePoints = Array.from(text);
  return codePoints.length <= max ? text : `${codePoints.slice(0, max - 1).join("")}…`;
}
