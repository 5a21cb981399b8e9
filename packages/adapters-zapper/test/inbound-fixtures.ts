import type { ParsedInbound } from "@replykit/core";

/**
 * A ZapperAPI webhook body and the events it parses to. `confidence` as providers/INBOUND.md
 * tags facts: ZapperAPI's own docs (`confirmed`), SDKs and community code (`secondary`), or
 * inferred (`unconfirmed`). ZapperAPI documents the event names it forwards (Baileys'), not
 * their bodies, so no body here is confirmed. The shape is that of `InboundFixture` in
 * `@replykit/core/conformance`.
 */
export interface ZapperInboundFixture {
  readonly name: string;
  readonly confidence: "confirmed" | "secondary" | "unconfirmed";
  /** Where the shape comes from. */
  readonly source: string;
  readonly body: unknown;
  readonly expected: readonly ParsedInbound[];
}

/** When the tests say the webhook arrived: the time of any event whose body has none. */
export const RECEIVED_AT = new Date("2026-03-04T05:06:07.000Z");

const INSTANCE = "inst_abcdefghijk1234567890z";
const SENDER_JID = "5511999999999@s.whatsapp.net";
const SENDER = "5511999999999";
const SENT_ID = "3EB0C0FFEE0000000001";
const SECONDS = 1_717_171_717;
const AT = new Date(SECONDS * 1000);

const UPSERT_SOURCE =
  "providers/INBOUND.md: messages.upsert { type, instanceId, key, pushName, messageTimestamp, message } (secondary)";
const NATIVE_FLOW_SOURCE =
  "providers/INBOUND.md: ZapperAPI sends native-flow quick_reply buttons, so a tap is an interactiveResponseMessage (unconfirmed, strongly inferred)";
const UPDATE_SOURCE =
  "providers/INBOUND.md: messages.update with Baileys' numeric update.status (unconfirmed)";

/** A flat `messages.upsert` from the tapping user, as ZapperAPI is reported to send it. */
function upsert(
  id: string,
  message: Record<string, unknown>,
  key: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    type: "messages.upsert",
    instanceId: INSTANCE,
    key: { remoteJid: SENDER_JID, fromMe: false, id, ...key },
    pushName: "Maria",
    messageTimestamp: SECONDS,
    message,
  };
}

/** What Baileys puts in a native-flow reply to a `quick_reply` button. */
function nativeFlowReply(buttonId: string, title: string): Record<string, unknown> {
  return {
    interactiveResponseMessage: {
      body: { text: title, format: "DEFAULT" },
      nativeFlowResponseMessage: {
        name: "quick_reply",
        paramsJson: JSON.stringify({ id: buttonId }),
        version: 3,
      },
      contextInfo: {
        stanzaId: SENT_ID,
        participant: "5511888888888@s.whatsapp.net",
        quotedMessage: { interactiveMessage: { body: { text: "Did this help?" } } },
      },
    },
    messageContextInfo: { deviceListMetadataVersion: 2 },
  };
}

function tap(
  id: string,
  buttonId: string,
  buttonTitle: string,
  overrides: Partial<Extract<ParsedInbound, { kind: "button_reply" }>> = {},
): ParsedInbound {
  return {
    kind: "button_reply",
    providerEventId: id,
    from: SENDER,
    buttonId,
    buttonTitle,
    replyToProviderMessageId: SENT_ID,
    at: AT,
    ...overrides,
  };
}

function statusUpdate(id: string, status: unknown, fromMe = true): Record<string, unknown> {
  return { key: { remoteJid: SENDER_JID, fromMe, id }, update: { status } };
}

function status(
  id: string,
  state: "accepted" | "sent" | "delivered" | "read" | "failed",
): ParsedInbound {
  return {
    kind: "delivery_status",
    providerEventId: `${id}:${state}`,
    providerMessageId: id,
    status: state,
    recipient: SENDER,
    at: RECEIVED_AT,
  };
}

export const ZAPPER_FIXTURES: readonly ZapperInboundFixture[] = [
  {
    name: "native-flow quick_reply tap (interactiveResponseMessage, paramsJson)",
    confidence: "unconfirmed",
    source: NATIVE_FLOW_SOURCE,
    body: upsert("3EB0TAP0000000000001", nativeFlowReply("yes", "Yes")),
    expected: [tap("3EB0TAP0000000000001", "yes", "Yes")],
  },
  {
    name: "native-flow tap with messageTimestamp as a protobuf Long { low, high }",
    confidence: "secondary",
    source: "providers/INBOUND.md: messageTimestamp is a number or { low, high }",
    body: {
      ...upsert("3EB0TAP0000000000002", nativeFlowReply("no", "No")),
      messageTimestamp: { low: SECONDS, high: 0, unsigned: true },
    },
    expected: [tap("3EB0TAP0000000000002", "no", "No")],
  },
  {
    name: "legacy buttonsResponseMessage tap",
    confidence: "secondary",
    source: "Baileys' ButtonsResponseMessage, read by community code of Baileys-based APIs",
    body: upsert("3EB0TAP0000000000003", {
      buttonsResponseMessage: {
        selectedButtonId: "yes",
        selectedDisplayText: "Yes",
        contextInfo: { stanzaId: SENT_ID, participant: "5511888888888@s.whatsapp.net" },
        type: 1,
      },
    }),
    expected: [tap("3EB0TAP0000000000003", "yes", "Yes")],
  },
  {
    name: "templateButtonReplyMessage tap",
    confidence: "secondary",
    source: "Baileys' TemplateButtonReplyMessage, read by community code of Baileys-based APIs",
    body: upsert("3EB0TAP0000000000004", {
      templateButtonReplyMessage: {
        selectedId: "later",
        selectedDisplayText: "Later",
        selectedIndex: 2,
        contextInfo: { stanzaId: SENT_ID },
      },
    }),
    expected: [tap("3EB0TAP0000000000004", "later", "Later")],
  },
  {
    name: "tap in a disappearing-messages chat (ephemeralMessage wrapper)",
    confidence: "unconfirmed",
    source: "inferred: Baileys wraps messages of chats with a timer in ephemeralMessage.message",
    body: upsert("3EB0TAP0000000000005", {
      ephemeralMessage: { message: nativeFlowReply("yes", "Yes") },
    }),
    expected: [tap("3EB0TAP0000000000005", "yes", "Yes")],
  },
  {
    name: "tap from a LID chat: remoteJid kept as given",
    confidence: "secondary",
    source: "ZapperAPI openapi: a jid may be a LID (…@lid); Baileys reports such chats by LID",
    body: upsert("3EB0TAP0000000000006", nativeFlowReply("yes", "Yes"), {
      remoteJid: "209876543210987@lid",
    }),
    expected: [tap("3EB0TAP0000000000006", "yes", "Yes", { from: "209876543210987@lid" })],
  },
  {
    name: "tap without contextInfo or timestamp",
    confidence: "unconfirmed",
    source: "inferred: a tap whose optional fields are missing is still a tap",
    body: (() => {
      const { messageTimestamp: _, ...rest } = upsert("3EB0TAP0000000000007", {
        interactiveResponseMessage: {
          nativeFlowResponseMessage: { name: "quick_reply", paramsJson: '{"id":"yes"}' },
        },
      });
      return rest;
    })(),
    expected: [
      {
        kind: "button_reply",
        providerEventId: "3EB0TAP0000000000007",
        from: SENDER,
        buttonId: "yes",
        at: RECEIVED_AT,
      },
    ],
  },
  {
    name: "own message echoed (key.fromMe: true), even one with a tap's shape",
    confidence: "secondary",
    source: "providers/INBOUND.md: webhooks also carry what the session sent (key.fromMe: true)",
    body: upsert("3EB0OWN0000000000001", nativeFlowReply("yes", "Yes"), { fromMe: true }),
    expected: [
      { kind: "ignored", providerEventId: "3EB0OWN0000000000001", reason: "own message echoed" },
    ],
  },
  {
    name: "text message received",
    confidence: "secondary",
    source: UPSERT_SOURCE,
    body: upsert("3EB0TEXT000000000001", { conversation: "hello" }),
    expected: [
      {
        kind: "ignored",
        providerEventId: "3EB0TEXT000000000001",
        reason: 'received message is not a button reply: "conversation"',
      },
    ],
  },
  {
    name: "native-flow response without a button id (a WhatsApp Flow reply)",
    confidence: "unconfirmed",
    source: "inferred: Flow replies carry paramsJson without id (flow_token…)",
    body: upsert("3EB0FLOW000000000001", {
      interactiveResponseMessage: {
        body: { text: "Sent" },
        nativeFlowResponseMessage: {
          name: "galaxy_message",
          paramsJson: '{"flow_token":"unused"}',
        },
      },
    }),
    expected: [
      {
        kind: "ignored",
        providerEventId: "3EB0FLOW000000000001",
        reason: "interactive response without a button id in paramsJson",
      },
    ],
  },
  {
    name: "native-flow response whose paramsJson is not JSON",
    confidence: "unconfirmed",
    source: "inferred: paramsJson is read safely",
    body: upsert("3EB0BAD0000000000001", {
      interactiveResponseMessage: { nativeFlowResponseMessage: { paramsJson: '{"id":' } },
    }),
    expected: [
      {
        kind: "ignored",
        providerEventId: "3EB0BAD0000000000001",
        reason: "interactive response without a button id in paramsJson",
      },
    ],
  },
  {
    name: "event wrapped as { event, data } (Evolution-style)",
    confidence: "unconfirmed",
    source: "inferred: Baileys-based APIs also wrap the payload in data",
    body: {
      event: "messages.upsert",
      instance: INSTANCE,
      data: (() => {
        const {
          type: _,
          instanceId: __,
          ...payload
        } = upsert("3EB0TAP0000000000008", nativeFlowReply("yes", "Yes"));
        return payload;
      })(),
    },
    expected: [tap("3EB0TAP0000000000008", "yes", "Yes")],
  },
  {
    name: "several messages in data[]: one event each, in order",
    confidence: "unconfirmed",
    source: "inferred: Baileys emits messages.upsert as a batch of messages",
    body: {
      type: "messages.upsert",
      instanceId: INSTANCE,
      data: [
        upsert("3EB0TAP0000000000009", nativeFlowReply("yes", "Yes")),
        upsert("3EB0TEXT000000000002", { extendedTextMessage: { text: "thanks" } }),
      ],
    },
    expected: [
      tap("3EB0TAP0000000000009", "yes", "Yes"),
      {
        kind: "ignored",
        providerEventId: "3EB0TEXT000000000002",
        reason: 'received message is not a button reply: "extendedTextMessage"',
      },
    ],
  },
  {
    name: "a body that is an array of events",
    confidence: "unconfirmed",
    source: "inferred: tolerated, each element read as one event",
    body: [
      upsert("3EB0TAP0000000000010", nativeFlowReply("no", "No")),
      { type: "messages.update", instanceId: INSTANCE, ...statusUpdate(SENT_ID, 3) },
    ],
    expected: [tap("3EB0TAP0000000000010", "no", "No"), status(SENT_ID, "delivered")],
  },
  {
    name: "status 2 (server ack) is sent",
    confidence: "unconfirmed",
    source: UPDATE_SOURCE,
    body: { type: "messages.update", instanceId: INSTANCE, ...statusUpdate(SENT_ID, 2) },
    expected: [status(SENT_ID, "sent")],
  },
  {
    name: "statuses 0 to 5 in data[]: failed, accepted, sent, delivered, read, read",
    confidence: "unconfirmed",
    source: UPDATE_SOURCE,
    body: {
      type: "messages.update",
      instanceId: INSTANCE,
      data: [0, 1, 2, 3, 4, 5].map((code) => statusUpdate(`3EB0S${code}`, code)),
    },
    expected: [
      status("3EB0S0", "failed"),
      status("3EB0S1", "accepted"),
      status("3EB0S2", "sent"),
      status("3EB0S3", "delivered"),
      status("3EB0S4", "read"),
      status("3EB0S5", "read"),
    ],
  },
  {
    name: "status by name (DELIVERY_ACK), under MESSAGES_UPDATE",
    confidence: "unconfirmed",
    source: "inferred: some Baileys wrappers send the enum's names and upper-case event names",
    body: {
      event: "MESSAGES_UPDATE",
      data: statusUpdate(SENT_ID, "DELIVERY_ACK"),
    },
    expected: [status(SENT_ID, "delivered")],
  },
  {
    name: "status of a received message (key.fromMe: false)",
    confidence: "unconfirmed",
    source: "inferred: Baileys reports the session reading a received message as messages.update",
    body: { type: "messages.update", ...statusUpdate("3EB0IN00000000000001", 4, false) },
    expected: [
      {
        kind: "ignored",
        providerEventId: "3EB0IN00000000000001:read",
        reason: "status of a received message",
      },
    ],
  },
  {
    name: "messages.update without a status (an edit)",
    confidence: "unconfirmed",
    source: "inferred: Baileys reports edits and reactions as messages.update too",
    body: {
      type: "messages.update",
      key: { remoteJid: SENDER_JID, fromMe: true, id: SENT_ID },
      update: { message: { editedMessage: { message: { conversation: "fixed" } } } },
    },
    expected: [{ kind: "ignored", reason: "messages.update without a status" }],
  },
  {
    name: "message-receipt.update: ignored",
    confidence: "unconfirmed",
    source:
      "the event name is in ZapperAPI's openapi (n8n-nodes-zapperapi); its body is inferred from Baileys",
    body: {
      type: "message-receipt.update",
      instanceId: INSTANCE,
      key: { remoteJid: "120363000000000000@g.us", id: SENT_ID },
      receipt: { userJid: SENDER_JID, readTimestamp: SECONDS },
    },
    expected: [{ kind: "ignored", reason: 'unsupported ZapperAPI event "message-receipt.update"' }],
  },
];
