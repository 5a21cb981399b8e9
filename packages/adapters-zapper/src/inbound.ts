import {
  type DeliveryState,
  type InboundDriver,
  type ParsedInbound,
  timingSafeEqual,
  type WebhookRequest,
} from "@replykit/core";
import { ignored, isRecord, kindOf, nonEmptyString, quoteWord } from "@replykit/http-transport";
import type { ResolvedZapperOptions } from "./options.js";

// ZapperAPI's webhooks, read. ZapperAPI forwards Baileys events (`messages.upsert`,
// `messages.update`, …); how it wraps them is documented only in secondary sources, so the
// envelope is read tolerantly (see `eventsOf`). Everything here is pure and edge-safe. A body
// is whatever JSON arrived (or `undefined`): every field is checked before use, and an odd
// body is `ignored`, never an exception.

/**
 * Baileys' `WebMessageInfo.Status` (numbers, or their names as some wrappers send them) for a
 * message the session sent. `PENDING` means it left the device but the server has not
 * acknowledged it: replykit's `accepted`. `PLAYED` (a voice note heard) is as good as `read`.
 */
const STATUS = new Map<unknown, DeliveryState>([
  [0, "failed"],
  ["ERROR", "failed"],
  [1, "accepted"],
  ["PENDING", "accepted"],
  [2, "sent"],
  ["SERVER_ACK", "sent"],
  [3, "delivered"],
  ["DELIVERY_ACK", "delivered"],
  [4, "read"],
  ["READ", "read"],
  [5, "read"],
  ["PLAYED", "read"],
]);

/** Baileys' containers around the real message: disappearing-mode chats, view-once, … */
const WRAPPERS = [
  "ephemeralMessage",
  "viewOnceMessage",
  "viewOnceMessageV2",
  "viewOnceMessageV2Extension",
  "documentWithCaptionMessage",
] as const;

/** Keys of a Baileys message that say nothing about its kind. */
const NOT_A_KIND = new Set(["messageContextInfo", "senderKeyDistributionMessage"]);

const USER_JID_SUFFIX = "@s.whatsapp.net";

/** `messages.upsert`, `message-receipt.update`, `MESSAGES_UPDATE`: a Baileys event name. */
const EVENT_NAME = /^(?:[a-z-]+(?:\.[a-z-]+)+|[A-Z]+(?:_[A-Z]+)+)$/;

/** Beyond this, a `messageTimestamp` must be in milliseconds: as seconds it is after 5000 AD. */
const LARGEST_SECONDS = 1e11;

/**
 * Every event of one ZapperAPI webhook body, in order. Never throws.
 *
 * `receivedAt` stands in for the event's time when the body has none (Baileys'
 * `messages.update` carries no timestamp); with it fixed, the same body always gives equal
 * events.
 */
export function parseZapperWebhook(body: unknown, receivedAt: Date): ParsedInbound[] {
  if (Array.isArray(body)) return body.flatMap((event) => eventsOf(event, receivedAt));
  return eventsOf(body, receivedAt);
}

/**
 * One event object. Its name is `type` (ZapperAPI) or `event` (Evolution-style wrappers),
 * `MESSAGES_UPSERT` read as `messages.upsert`. Its payload is the object itself (flat, as
 * ZapperAPI is reported to send it), or `data` (an object or an array of them), and a
 * Baileys `{ messages: [...] }` batch is opened.
 */
function eventsOf(event: unknown, receivedAt: Date): ParsedInbound[] {
  if (!isRecord(event)) return [ignored(`not a ZapperAPI event: ${kindOf(event)}`)];
  const name = eventNameOf(event);
  const data = event.data;
  const payloads = (Array.isArray(data) ? data : isRecord(data) ? [data] : [event]).flatMap(
    (payload) =>
      isRecord(payload) && payload.key === undefined && Array.isArray(payload.messages)
        ? payload.messages
        : [payload],
  );
  return payloads.map((payload): ParsedInbound => {
    if (!isRecord(payload)) return ignored(`a ZapperAPI event payload that is ${kindOf(payload)}`);
    switch (name) {
      case "messages.upsert":
        return upsert(payload, receivedAt);
      case "messages.update":
        return update(payload, receivedAt);
      case undefined:
        return ignored("a ZapperAPI event without a type");
      default:
        return ignored(`unsupported ZapperAPI event ${quoteWord(name)}`);
    }
  });
}

/**
 * The event's name: `type` or `event`, whichever looks like one (`messages.upsert`,
 * `MESSAGES_UPSERT`), so that Baileys' own `type: "notify"` beside `event` is not taken for it.
 */
function eventNameOf(event: Record<string, unknown>): string | undefined {
  const given = [nonEmptyString(event.type), nonEmptyString(event.event)];
  const name =
    given.find((value) => value !== undefined && EVENT_NAME.test(value)) ?? given.find(Boolean);
  return /^MESSAGES_[A-Z]+$/.test(name ?? "") ? name?.toLowerCase().replace("_", ".") : name;
}

/** A received message: a tap in any of its shapes, or ignored. */
function upsert(payload: Record<string, unknown>, receivedAt: Date): ParsedInbound {
  const key = isRecord(payload.key) ? payload.key : {};
  const id = nonEmptyString(key.id);
  const eventId = id === undefined ? {} : { providerEventId: id };
  // The session's own sends come back as upserts too: never a tap.
  if (key.fromMe === true) return { kind: "ignored", ...eventId, reason: "own message echoed" };

  const message = unwrap(payload.message);
  if (message === undefined) {
    return { kind: "ignored", ...eventId, reason: "messages.upsert without a message" };
  }
  const tap = tapOf(message);
  if (tap === undefined) {
    const kind = Object.keys(message).find((name) => !NOT_A_KIND.has(name));
    return {
      kind: "ignored",
      ...eventId,
      reason: `received message is not a button reply: ${kind === undefined ? "empty" : quoteWord(kind)}`,
    };
  }
  if ("problem" in tap) return { kind: "ignored", ...eventId, reason: tap.problem };

  const from = senderOf(key.remoteJid);
  if (id === undefined || from === undefined) {
    const missing = [...(id === undefined ? ["key.id"] : []), ...(from ? [] : ["key.remoteJid"])];
    return { kind: "ignored", ...eventId, reason: `button reply without ${missing.join(", ")}` };
  }
  return {
    kind: "button_reply",
    providerEventId: id,
    from,
    buttonId: tap.buttonId,
    ...(tap.buttonTitle === undefined ? {} : { buttonTitle: tap.buttonTitle }),
    ...(tap.replyTo === undefined ? {} : { replyToProviderMessageId: tap.replyTo }),
    at: timestampOf(payload.messageTimestamp) ?? receivedAt,
  };
}

type Tap =
  | { readonly buttonId: string; readonly buttonTitle?: string; readonly replyTo?: string }
  | { readonly problem: string };

/**
 * The button tapped, from the three shapes a reply-button tap takes in Baileys: the
 * native-flow response to a `quick_reply` button (what ZapperAPI's `/messages/buttons`
 * sends), the legacy `buttonsResponseMessage`, and `templateButtonReplyMessage`.
 */
function tapOf(message: Record<string, unknown>): Tap | undefined {
  const interactive = message.interactiveResponseMessage;
  if (isRecord(interactive)) {
    const flow = isRecord(interactive.nativeFlowResponseMessage)
      ? interactive.nativeFlowResponseMessage
      : {};
    // `paramsJson` is JSON inside a string: `{"id":"<button id>"}` for a quick reply.
    const params = parseJsonText(flow.paramsJson);
    const buttonId = isRecord(params) ? nonEmptyString(params.id) : undefined;
    if (buttonId === undefined) {
      return { problem: "interactive response without a button id in paramsJson" };
    }
    const body = isRecord(interactive.body) ? interactive.body : {};
    return tap(buttonId, body.text, interactive.contextInfo);
  }
  const buttons = message.buttonsResponseMessage;
  if (isRecord(buttons)) {
    const buttonId = nonEmptyString(buttons.selectedButtonId);
    if (buttonId === undefined)
      return { problem: "buttonsResponseMessage without selectedButtonId" };
    return tap(buttonId, buttons.selectedDisplayText, buttons.contextInfo);
  }
  const template = message.templateButtonReplyMessage;
  if (isRecord(template)) {
    const buttonId = nonEmptyString(template.selectedId);
    if (buttonId === undefined) return { problem: "templateButtonReplyMessage without selectedId" };
    return tap(buttonId, template.selectedDisplayText, template.contextInfo);
  }
  return undefined;
}

function tap(buttonId: string, title: unknown, contextInfo: unknown): Tap {
  // `stanzaId` is the id of the message replied to: the one with the buttons.
  const replyTo = isRecord(contextInfo) ? nonEmptyString(contextInfo.stanzaId) : undefined;
  return {
    buttonId,
    ...(typeof title === "string" ? { buttonTitle: title } : {}),
    ...(replyTo === undefined ? {} : { replyTo }),
  };
}

/** A status change of a message the session sent. */
function update(payload: Record<string, unknown>, receivedAt: Date): ParsedInbound {
  const key = isRecord(payload.key) ? payload.key : {};
  const id = nonEmptyString(key.id);
  if (id === undefined) return ignored("a status update without key.id");
  const change = isRecord(payload.update) ? payload.update : {};
  if (change.status === undefined || change.status === null) {
    // Edits, reactions, poll votes… arrive as messages.update too.
    return ignored("messages.update without a status");
  }
  const status = STATUS.get(change.status);
  if (status === undefined) {
    return ignored(
      `unsupported message status ${typeof change.status === "string" ? quoteWord(change.status) : kindOf(change.status)}`,
    );
  }
  // A status of a message the session received (read on another device, say) is not news
  // about anything replykit sent.
  if (key.fromMe === false) {
    return {
      kind: "ignored",
      providerEventId: `${id}:${status}`,
      reason: "status of a received message",
    };
  }
  const recipient = senderOf(key.remoteJid);
  return {
    kind: "delivery_status",
    providerEventId: `${id}:${status}`,
    providerMessageId: id,
    status,
    ...(recipient === undefined ? {} : { recipient }),
    at: timestampOf(change.messageTimestamp ?? payload.messageTimestamp) ?? receivedAt,
  };
}

/**
 * A chat's JID as replykit names the other party: a number's `@s.whatsapp.net` suffix
 * removed (replykit sends to bare digits); LIDs (`…@lid`) and groups (`…@g.us`) as given.
 */
function senderOf(remoteJid: unknown): string | undefined {
  const jid = nonEmptyString(remoteJid);
  if (jid === undefined || !jid.endsWith(USER_JID_SUFFIX)) return jid;
  return nonEmptyString(jid.slice(0, -USER_JID_SUFFIX.length));
}

/** The message inside Baileys' wrappers, a few levels at most. */
function unwrap(message: unknown): Record<string, unknown> | undefined {
  let current = message;
  for (let depth = 0; depth < 4 && isRecord(current); depth += 1) {
    const wrapper = WRAPPERS.map((name) => (current as Record<string, unknown>)[name]).find(
      (inner) => isRecord(inner) && isRecord(inner.message),
    );
    if (!isRecord(wrapper)) return current;
    current = wrapper.message;
  }
  return isRecord(current) ? current : undefined;
}

/**
 * Baileys' `messageTimestamp`: seconds since the epoch, as a number, a string of digits or a
 * protobuf Long `{ low, high }` (32-bit halves). A value too large for seconds is read as
 * milliseconds.
 */
function timestampOf(value: unknown): Date | undefined {
  let seconds = Number.NaN;
  if (typeof value === "number") seconds = value;
  else if (typeof value === "string" && /^\d{1,16}$/.test(value)) seconds = Number(value);
  else if (isRecord(value) && Number.isInteger(value.low) && Number.isInteger(value.high)) {
    seconds = ((value.high as number) >>> 0) * 2 ** 32 + ((value.low as number) >>> 0);
  }
  if (!Number.isFinite(seconds)) return undefined;
  const at = new Date(Math.abs(seconds) >= LARGEST_SECONDS ? seconds : seconds * 1000);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

function parseJsonText(text: unknown): unknown {
  if (typeof text !== "string") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function bearerToken(header: string | undefined): string | undefined {
  return /^\s*Bearer[ \t]+(\S+)\s*$/i.exec(header ?? "")?.[1];
}

async function verify(request: WebhookRequest, options: ResolvedZapperOptions): Promise<boolean> {
  const secret = options.webhookSecret;
  if (secret === undefined) return false;
  const bearer = bearerToken(request.header("authorization"));
  // Both compared whenever given, so the time taken never says which one matched.
  const byHeader = bearer !== undefined && timingSafeEqual(secret, bearer);
  const byPath = request.pathSecret !== undefined && timingSafeEqual(secret, request.pathSecret);
  return byHeader || byPath;
}

/**
 * ZapperAPI's inbound side. `verify` accepts a request that carries the connection's
 * `webhookSecret` as `Authorization: Bearer <secret>` (ZapperAPI's `secretKey`) or as the
 * secret segment of the webhook URL (`request.pathSecret`), compared in constant time; without
 * a configured secret it accepts nothing. `parse` never throws; with no second argument, an
 * event without a time of its own takes the current time.
 */
export const zapperInbound = {
  verify,
  parse: (body: unknown, receivedAt: Date = new Date()): readonly ParsedInbound[] =>
    parseZapperWebhook(body, receivedAt),
} satisfies InboundDriver<ResolvedZapperOptions>;
