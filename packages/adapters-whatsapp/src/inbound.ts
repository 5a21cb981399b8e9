import {
  type DeliveryState,
  hmacSha256Hex,
  type InboundDriver,
  type ParsedInbound,
  timingSafeEqual,
  type WebhookRequest,
} from "@replykit/core";
import { oneLine, optionalOrDropped, quoteProviderText } from "@replykit/http-transport";
import * as z from "zod/mini";
import type { ResolvedWhatsAppOptions } from "./options.js";

// Meta's webhooks (providers/INBOUND.md): `{ object: "whatsapp_business_account", entry: [{ id,
// changes: [{ field: "messages", value: { metadata, contacts?, messages?, statuses?, errors? } }] }] }`.
// One body may carry several entries, changes, messages and statuses: every item becomes one
// event, in the order of the body, and whatever is not a tap or a status is `ignored` with a
// reason. Nothing here throws: each item is read on its own with `safeParse`, optional fields
// with `optionalOrDropped`, so one malformed item costs that item only.

/** `X-Hub-Signature-256: sha256=<hex>`: Meta's HMAC-SHA256 of the raw body under the app secret. */
export const WHATSAPP_SIGNATURE_HEADER = "x-hub-signature-256";

// Exactly the form hmacSha256Hex gives (lower-case hex): anything else is not Meta's header.
const SIGNATURE_FORM = /^sha256=([0-9a-f]{64})$/;

// Meta sends an integer; anything printable is answered, bounded, so the handshake cannot be
// used to reflect arbitrary text (the server answers it as text/plain anyway).
const CHALLENGE_FORM = /^[\x21-\x7E]{1,256}$/;

/** Provider text in a reason or error is kept, bounded: it ends up in logs. */
const MAX_QUOTED = 60;
const MAX_ERROR_TEXT = 300;

const keepText = (text: string) => text;

/** A provider string as a reason quotes it: one line, bounded, in double quotes. */
function quoted(value: unknown): string {
  if (typeof value !== "string") return `(${value === null ? "null" : typeof value})`;
  return JSON.stringify(quoteProviderText(value, { redact: keepText, maxLength: MAX_QUOTED }));
}

const text = z.string().check(z.minLength(1));
const optionalText = optionalOrDropped(text);

// Seconds since the epoch, as a string of digits (what Meta sends) or a number. Twelve digits
// at most, so the Date is always valid.
const epochSeconds = z.pipe(
  z.union([
    z.string().check(z.regex(/^\d{1,12}$/)),
    z.number().check(z.int(), z.minimum(0), z.maximum(999_999_999_999)),
  ]),
  z.transform((seconds: string | number) => new Date(Number(seconds) * 1000)),
);

const envelope = z.looseObject({ object: z.optional(z.unknown()), entry: z.array(z.unknown()) });
const entryShape = z.looseObject({ changes: z.array(z.unknown()) });
const changeShape = z.looseObject({
  field: z.optional(z.unknown()),
  value: z.optional(z.unknown()),
});
const valueShape = z.looseObject({
  messages: z.optional(z.unknown()),
  statuses: z.optional(z.unknown()),
  errors: z.optional(z.unknown()),
});

/** What any message item is read for first: its id (for deduplication) and type. */
const messageHead = z.looseObject({ id: optionalText, type: z.optional(z.unknown()) });

const tapFields = {
  id: text,
  // A phone number, or (2026, users with a username) absent: then the business-scoped user id
  // `from_user_id` (BR.1502576394655843) is the only sender Meta names. Never assumed E.164.
  from: optionalText,
  from_user_id: optionalText,
  timestamp: epochSeconds,
  context: optionalOrDropped(z.looseObject({ id: optionalText })),
};

/** Reply-button tap (Meta "Interactive messages webhook reference", confirmed). */
const buttonReplyTap = z.looseObject({
  ...tapFields,
  interactive: z.looseObject({
    type: z.literal("button_reply"),
    button_reply: z.looseObject({ id: text, title: optionalText }),
  }),
});

/**
 * Template quick-reply tap, confirmed; also how "Direct Send" interactive buttons, delivered
 * as templates since 2026, come back. The payload is the button's id.
 */
const templateButtonTap = z.looseObject({
  ...tapFields,
  button: z.looseObject({ payload: text, text: optionalText }),
});

const statusItem = z.looseObject({
  id: text,
  status: text,
  timestamp: epochSeconds,
  recipient_id: optionalText,
  // With usernames (2026) the phone number may be missing; the BSUID is always there.
  recipient_user_id: optionalText,
  errors: optionalOrDropped(z.array(z.unknown())),
});

const metaError = z.looseObject({
  code: optionalOrDropped(z.union([z.number(), text])),
  title: optionalText,
  message: optionalText,
  error_data: optionalOrDropped(z.looseObject({ details: optionalText })),
});

const DELIVERY_STATES: Readonly<Record<string, DeliveryState>> = {
  sent: "sent",
  delivered: "delivered",
  read: "read",
  failed: "failed",
};

/** The paths zod could not read, for a reason: never the values, which are the provider's. */
function unreadable(error: z.core.$ZodError): string {
  const paths = [...new Set(error.issues.map((issue) => issue.path.join(".") || "(item)"))];
  return paths.slice(0, 5).join(", ");
}

const ignored = (reason: string, providerEventId?: string): ParsedInbound =>
  providerEventId === undefined
    ? { kind: "ignored", reason }
    : { kind: "ignored", providerEventId, reason };

interface Tap {
  readonly id: string;
  readonly from?: string | undefined;
  readonly from_user_id?: string | undefined;
  readonly timestamp: Date;
  readonly context?: { readonly id?: string | undefined } | undefined;
}

function readTap<Item extends Tap>(
  item: unknown,
  schema: z.ZodMiniType<Item>,
  what: string,
  button: (tap: Item) => { buttonId: string; buttonTitle: string | undefined },
  providerEventId: string | undefined,
): ParsedInbound {
  const parsed = schema.safeParse(item);
  if (!parsed.success) {
    return ignored(`${what} not understood: ${unreadable(parsed.error)}`, providerEventId);
  }
  const tap = parsed.data;
  const from = tap.from ?? tap.from_user_id;
  if (from === undefined) return ignored(`${what} without a sender`, tap.id);
  const { buttonId, buttonTitle } = button(tap);
  return {
    kind: "button_reply",
    providerEventId: tap.id,
    from,
    buttonId,
    ...(buttonTitle === undefined ? {} : { buttonTitle }),
    ...(tap.context?.id === undefined ? {} : { replyToProviderMessageId: tap.context.id }),
    at: tap.timestamp,
  };
}

function readMessage(item: unknown): ParsedInbound {
  const head = messageHead.safeParse(item);
  if (!head.success) return ignored("message item is not an object");
  const { id, type } = head.data;
  if (type === "button") {
    return readTap(
      item,
      templateButtonTap,
      "template button tap",
      (tap) => ({ buttonId: tap.button.payload, buttonTitle: tap.button.text }),
      id,
    );
  }
  if (type !== "interactive") return ignored(`unsupported message type: ${quoted(type)}`, id);
  const interactive = (item as { interactive?: unknown }).interactive;
  const kind =
    interactive !== null && typeof interactive === "object"
      ? (interactive as { type?: unknown }).type
      : undefined;
  if (kind !== "button_reply") {
    return ignored(`unsupported interactive reply: ${quoted(kind)}`, id);
  }
  return readTap(
    item,
    buttonReplyTap,
    "button_reply tap",
    (tap) => ({
      buttonId: tap.interactive.button_reply.id,
      buttonTitle: tap.interactive.button_reply.title,
    }),
    id,
  );
}

/** Meta's `errors[0]`, as the domain keeps it: the code as text, its texts in one line. */
function readError(errors: readonly unknown[] | undefined) {
  const parsed = metaError.safeParse(errors?.[0]);
  if (!parsed.success) return undefined;
  const { code, title, message, error_data } = parsed.data;
  const texts = [...new Set([title, message, error_data?.details])]
    .filter((said): said is string => said !== undefined)
    .map((said) => quoteProviderText(said, { redact: keepText, maxLength: MAX_ERROR_TEXT }))
    .filter((said) => said !== "");
  if (code === undefined && texts.length === 0) return undefined;
  const codeText = code === undefined ? "unknown" : oneLine(String(code)).slice(0, MAX_QUOTED);
  return {
    code: codeText === "" ? "unknown" : codeText,
    message: texts.length > 0 ? texts.join(" — ") : `Meta error ${codeText}`,
  };
}

function readStatus(item: unknown): ParsedInbound {
  const parsed = statusItem.safeParse(item);
  if (!parsed.success) {
    const head = messageHead.safeParse(item);
    return ignored(
      `status not understood: ${unreadable(parsed.error)}`,
      head.success ? head.data.id : undefined,
    );
  }
  const { id, status, timestamp, recipient_id, recipient_user_id, errors } = parsed.data;
  const providerEventId = `${id}:${status}`;
  const state = Object.hasOwn(DELIVERY_STATES, status) ? DELIVERY_STATES[status] : undefined;
  if (state === undefined) return ignored(`unsupported status: ${quoted(status)}`, providerEventId);
  const error = readError(errors);
  const recipient = recipient_id ?? recipient_user_id;
  return {
    kind: "delivery_status",
    providerEventId,
    providerMessageId: id,
    status: state,
    ...(error === undefined ? {} : { error }),
    ...(recipient === undefined ? {} : { recipient }),
    at: timestamp,
  };
}

/** An error Meta reports on the change itself (`value.errors[]`), tied to no message. */
function readChangeError(item: unknown): ParsedInbound {
  const error = readError([item]);
  return ignored(
    error === undefined
      ? "error not tied to a message"
      : `error not tied to a message: ${error.code} ${quoted(error.message)}`,
  );
}

function readValue(value: unknown): ParsedInbound[] {
  const parsed = valueShape.safeParse(value);
  if (!parsed.success) return [ignored("messages change without a value object")];
  const lists = [
    ["messages", parsed.data.messages, readMessage],
    ["statuses", parsed.data.statuses, readStatus],
    ["errors", parsed.data.errors, readChangeError],
  ] as const;
  const events: ParsedInbound[] = [];
  let present = 0;
  for (const [name, list, read] of lists) {
    if (list === undefined) continue;
    present += 1;
    if (Array.isArray(list)) for (const item of list) events.push(read(item));
    else events.push(ignored(`value.${name} is not a list`));
  }
  return present === 0 ? [ignored("messages change with no messages or statuses")] : events;
}

function readChange(change: unknown): ParsedInbound[] {
  const parsed = changeShape.safeParse(change);
  if (!parsed.success) return [ignored("change item is not an object")];
  const { field, value } = parsed.data;
  if (field !== "messages") return [ignored(`unsupported webhook field: ${quoted(field)}`)];
  return readValue(value);
}

/**
 * Every event of a Cloud API webhook body, in order: one per message, status and error item,
 * one `ignored` per change of another field and per malformed entry or change. Never throws.
 */
export function parseWhatsAppWebhook(body: unknown): readonly ParsedInbound[] {
  const parsed = envelope.safeParse(body);
  if (!parsed.success) return [ignored("not a WhatsApp Cloud API webhook body")];
  const { object, entry } = parsed.data;
  if (object !== undefined && object !== "whatsapp_business_account") {
    return [ignored(`webhook for another object: ${quoted(object)}`)];
  }
  return entry.flatMap((item) => {
    const shaped = entryShape.safeParse(item);
    return shaped.success
      ? shaped.data.changes.flatMap(readChange)
      : [ignored("entry without a list of changes")];
  });
}

/**
 * Whether `X-Hub-Signature-256` is Meta's signature of the raw body under the app secret,
 * compared in constant time. A connection without `appSecret` accepts nothing.
 */
export async function verifyWhatsAppSignature(
  request: WebhookRequest,
  options: Pick<ResolvedWhatsAppOptions, "appSecret">,
): Promise<boolean> {
  const secret = options.appSecret;
  if (secret === undefined || secret === "") return false;
  const signature = SIGNATURE_FORM.exec(request.header(WHATSAPP_SIGNATURE_HEADER) ?? "")?.[1];
  if (signature === undefined) return false;
  return timingSafeEqual(await hmacSha256Hex(secret, request.rawBody), signature);
}

/**
 * Meta's subscription handshake, `GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`:
 * the challenge to answer with when the token is the connection's `verifyToken` (compared in
 * constant time), `undefined` otherwise (the server answers 403).
 */
export function answerWhatsAppHandshake(
  request: WebhookRequest,
  options: Pick<ResolvedWhatsAppOptions, "verifyToken">,
): string | undefined {
  const expected = options.verifyToken;
  if (expected === undefined || expected === "") return undefined;
  if (request.method.toUpperCase() !== "GET") return undefined;
  const { query } = request;
  if (query.get("hub.mode") !== "subscribe") return undefined;
  const token = query.get("hub.verify_token");
  const challenge = query.get("hub.challenge");
  if (token === null || challenge === null || !CHALLENGE_FORM.test(challenge)) return undefined;
  return timingSafeEqual(expected, token) ? challenge : undefined;
}

/** The Cloud API driver's inbound side: `whatsappDriver.inbound`. */
export const whatsappInbound: InboundDriver<ResolvedWhatsAppOptions> = Object.freeze({
  verify: verifyWhatsAppSignature,
  handshake: answerWhatsAppHandshake,
  parse: parseWhatsAppWebhook,
});
