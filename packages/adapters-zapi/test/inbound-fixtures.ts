import type { ParsedInbound } from "@replykit/core";

/**
 * A Z-API webhook body and the events it parses to. `confidence` as providers/INBOUND.md
 * tags facts: Z-API's own docs (`confirmed`), community code (`secondary`), or inferred
 * (`unconfirmed`). The shape is that of `InboundFixture` in `@replykit/core/conformance`.
 */
export interface ZapiInboundFixture {
  readonly name: string;
  readonly confidence: "confirmed" | "secondary" | "unconfirmed";
  /** Where the shape comes from. */
  readonly source: string;
  readonly body: unknown;
  readonly expected: readonly ParsedInbound[];
}

/** When the tests say the webhook arrived: the time of any event whose body has none. */
export const RECEIVED_AT = new Date("2026-03-04T05:06:07.000Z");

const MOMMENT = 1634645380000;
const STATUS_MOMMENT = 1632234645000;
const SEND_MOMMENT = 1777494009341;

const ON_RECEIVED_DOCS =
  "Z-API docs, webhooks/on-message-received, example return (Button List), z-api-docs repository";
const STATUS_DOCS = "Z-API docs, webhooks/on-whatsapp-message-status-changes";

/** The documented "Button List" tap, with `overrides` applied. */
function buttonListTap(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    waitingMessage: false,
    isGroup: false,
    instanceId: "A20DA9C0183A2D35A260F53F5D2B9244",
    messageId: "3EB0TAP0000000000001",
    phone: "5544999999999",
    fromMe: false,
    momment: MOMMENT,
    status: "RECEIVED",
    chatName: "Nome",
    senderPhoto: "https://",
    senderName: "Nome",
    participantPhone: null,
    participantLid: null,
    photo: "https://",
    broadcast: false,
    referenceMessageId: "3EB0SENT000000000001",
    forwarded: false,
    type: "ReceivedCallback",
    buttonsResponseMessage: { buttonId: "1", message: "Ótimo" },
    ...overrides,
  };
}

function statusCallback(status: string, ids: readonly string[]): Record<string, unknown> {
  return {
    instanceId: "instance.id",
    status,
    ids,
    momment: STATUS_MOMMENT,
    phoneDevice: 0,
    phone: "5544999999999",
    type: "MessageStatusCallback",
    isGroup: false,
  };
}

function status(
  id: string,
  state: "sent" | "delivered" | "read",
  at = new Date(STATUS_MOMMENT),
): ParsedInbound {
  return {
    kind: "delivery_status",
    providerEventId: `${id}:${state}`,
    providerMessageId: id,
    status: state,
    recipient: "5544999999999",
    at,
  };
}

export const ZAPI_FIXTURES: readonly ZapiInboundFixture[] = [
  {
    name: "button-list tap (buttonsResponseMessage)",
    confidence: "confirmed",
    source: ON_RECEIVED_DOCS,
    body: buttonListTap(),
    expected: [
      {
        kind: "button_reply",
        providerEventId: "3EB0TAP0000000000001",
        from: "5544999999999",
        buttonId: "1",
        buttonTitle: "Ótimo",
        replyToProviderMessageId: "3EB0SENT000000000001",
        at: new Date(MOMMENT),
      },
    ],
  },
  {
    name: "button-actions REPLY tap, read like a button-list tap",
    confidence: "secondary",
    source:
      "undocumented; community code reads buttonsResponseMessage.buttonId for send-button-actions replies",
    body: buttonListTap({
      messageId: "3EB0TAP0000000000002",
      referenceMessageId: "3EB0SENT000000000002",
      buttonsResponseMessage: { buttonId: "yes", message: "Yes" },
    }),
    expected: [
      {
        kind: "button_reply",
        providerEventId: "3EB0TAP0000000000002",
        from: "5544999999999",
        buttonId: "yes",
        buttonTitle: "Yes",
        replyToProviderMessageId: "3EB0SENT000000000002",
        at: new Date(MOMMENT),
      },
    ],
  },
  {
    name: "tap from a LID chat: phone kept as given",
    confidence: "confirmed",
    source: "Z-API docs, tips/lid: `phone` may be a LID instead of a number",
    body: buttonListTap({
      messageId: "3EB0TAP0000000000003",
      phone: "209876543210987@lid",
      chatLid: "209876543210987@lid",
    }),
    expected: [
      {
        kind: "button_reply",
        providerEventId: "3EB0TAP0000000000003",
        from: "209876543210987@lid",
        buttonId: "1",
        buttonTitle: "Ótimo",
        replyToProviderMessageId: "3EB0SENT000000000001",
        at: new Date(MOMMENT),
      },
    ],
  },
  {
    name: "tap without referenceMessageId or momment",
    confidence: "unconfirmed",
    source: "inferred: a tap whose optional fields are missing is still a tap",
    body: (() => {
      const {
        referenceMessageId: _,
        momment: __,
        ...rest
      } = buttonListTap({
        messageId: "3EB0TAP0000000000004",
      });
      return rest;
    })(),
    expected: [
      {
        kind: "button_reply",
        providerEventId: "3EB0TAP0000000000004",
        from: "5544999999999",
        buttonId: "1",
        buttonTitle: "Ótimo",
        at: RECEIVED_AT,
      },
    ],
  },
  {
    name: "own message echoed (fromMe: true) is not a tap",
    confidence: "confirmed",
    source: "Z-API docs, webhooks/on-message-received-notify-fromme",
    body: buttonListTap({ messageId: "3EB0OWN00000000000001", fromMe: true }),
    expected: [
      { kind: "ignored", providerEventId: "3EB0OWN00000000000001", reason: "own message echoed" },
    ],
  },
  {
    name: "text message received",
    confidence: "confirmed",
    source: "Z-API docs, webhooks/on-message-received, example return (text)",
    body: (() => {
      const { buttonsResponseMessage: _, ...rest } = buttonListTap({
        messageId: "3EB0TEXT0000000000001",
        referenceMessageId: null,
        text: { message: "teste" },
      });
      return rest;
    })(),
    expected: [
      {
        kind: "ignored",
        providerEventId: "3EB0TEXT0000000000001",
        reason: "received message is not a button reply: text",
      },
    ],
  },
  {
    name: "button-list reply without a buttonId",
    confidence: "unconfirmed",
    source: "inferred: a malformed tap is ignored, saying what is missing",
    body: buttonListTap({
      messageId: "3EB0TAP0000000000005",
      buttonsResponseMessage: { message: "Ótimo" },
    }),
    expected: [
      {
        kind: "ignored",
        providerEventId: "3EB0TAP0000000000005",
        reason: "button reply without buttonsResponseMessage.buttonId",
      },
    ],
  },
  {
    name: "status SENT",
    confidence: "confirmed",
    source: STATUS_DOCS,
    body: statusCallback("SENT", ["999999999999999999999"]),
    expected: [status("999999999999999999999", "sent")],
  },
  {
    name: "status RECEIVED is delivered",
    confidence: "confirmed",
    source: STATUS_DOCS,
    body: statusCallback("RECEIVED", ["999999999999999999999"]),
    expected: [status("999999999999999999999", "delivered")],
  },
  {
    name: "status READ",
    confidence: "confirmed",
    source: STATUS_DOCS,
    body: statusCallback("READ", ["999999999999999999999"]),
    expected: [status("999999999999999999999", "read")],
  },
  {
    name: "status PLAYED is read",
    confidence: "confirmed",
    source: STATUS_DOCS,
    body: statusCallback("PLAYED", ["999999999999999999999"]),
    expected: [status("999999999999999999999", "read")],
  },
  {
    name: "status READ_BY_ME is read",
    confidence: "secondary",
    source:
      "providers/INBOUND.md lists READ_BY_ME; the status page of the docs repository does not",
    body: statusCallback("READ_BY_ME", ["999999999999999999998"]),
    expected: [status("999999999999999999998", "read")],
  },
  {
    name: "one status for three messages: three events",
    confidence: "confirmed",
    source: `${STATUS_DOCS}: ids is an array, "identifier(s) of the message(s)"`,
    body: statusCallback("RECEIVED", ["3EB0A1", "3EB0A2", "3EB0A3"]),
    expected: [
      status("3EB0A1", "delivered"),
      status("3EB0A2", "delivered"),
      status("3EB0A3", "delivered"),
    ],
  },
  {
    name: "an unknown status is ignored",
    confidence: "unconfirmed",
    source: "inferred: Z-API documents no other status, and none for failure",
    body: statusCallback("DELETED", ["999999999999999999999"]),
    expected: [{ kind: "ignored", reason: 'unsupported Z-API message status "DELETED"' }],
  },
  {
    name: "on send (DeliveryCallback), as the docs repository shows it: accepted, no momment",
    confidence: "confirmed",
    source: "Z-API docs repository, webhooks/on-message-send, 200 example",
    body: {
      phone: "554499999999",
      zaapId: "A20DA9C0183A2D35A260F53F5D2B9244",
      messageId: "A20DA9C0183A2D35A260F53F5D2B9244",
      type: "DeliveryCallback",
      instanceId: "instance.id",
    },
    expected: [
      {
        kind: "delivery_status",
        providerEventId: "A20DA9C0183A2D35A260F53F5D2B9244:accepted",
        providerMessageId: "A20DA9C0183A2D35A260F53F5D2B9244",
        status: "accepted",
        recipient: "554499999999",
        at: RECEIVED_AT,
      },
    ],
  },
  {
    name: "on send (DeliveryCallback) with momment: accepted, not delivered",
    confidence: "confirmed",
    source: "Z-API docs, webhooks/on-message-send-examples, Success",
    body: {
      phone: "554499999999",
      messageId: "A800FB3697F1DE58C48D",
      instanceId: "instance.id",
      zaapId: "A20DA9C0183A2D35A260F53F5D2B9244",
      momment: SEND_MOMMENT,
      type: "DeliveryCallback",
    },
    expected: [
      {
        kind: "delivery_status",
        providerEventId: "A800FB3697F1DE58C48D:accepted",
        providerMessageId: "A800FB3697F1DE58C48D",
        status: "accepted",
        recipient: "554499999999",
        at: new Date(SEND_MOMMENT),
      },
    ],
  },
  {
    name: "on send (DeliveryCallback) with error: failed",
    confidence: "confirmed",
    source: "Z-API docs, webhooks/on-message-send-examples, Error",
    body: {
      phone: "554499999999",
      messageId: "A20DA9C0183A2D35A260F53F5D2B9245",
      error: "Phone number does not exist",
      instanceId: "instance.id",
      zaapId: "A20DA9C0183A2D35A260F53F5D2B9244",
      momment: 1777494091684,
      type: "DeliveryCallback",
    },
    expected: [
      {
        kind: "delivery_status",
        providerEventId: "A20DA9C0183A2D35A260F53F5D2B9245:failed",
        providerMessageId: "A20DA9C0183A2D35A260F53F5D2B9245",
        status: "failed",
        error: { code: "send_failed", message: "Phone number does not exist" },
        recipient: "554499999999",
        at: new Date(1777494091684),
      },
    ],
  },
  {
    name: "on send (DeliveryCallback) with errorCode SHADOW_BAN: failed with that code",
    confidence: "confirmed",
    source: "Z-API docs, webhooks/on-message-send-examples, errorCode",
    body: {
      phone: "554499999999",
      messageId: "A20DA9C0183A2D35A260F53F5D2B9246",
      error: "Temporary sending restriction",
      errorCode: "SHADOW_BAN",
      instanceId: "instance.id",
      zaapId: "A20DA9C0183A2D35A260F53F5D2B9244",
      momment: 1777494091685,
      type: "DeliveryCallback",
    },
    expected: [
      {
        kind: "delivery_status",
        providerEventId: "A20DA9C0183A2D35A260F53F5D2B9246:failed",
        providerMessageId: "A20DA9C0183A2D35A260F53F5D2B9246",
        status: "failed",
        error: { code: "SHADOW_BAN", message: "Temporary sending restriction" },
        recipient: "554499999999",
        at: new Date(1777494091685),
      },
    ],
  },
  {
    name: "instance disconnected: ignored",
    confidence: "confirmed",
    source: "Z-API docs, webhooks/on-whatsapp-disconnected",
    body: {
      momment: 1580163342,
      error: "Device has been disconnected",
      disconnected: true,
      type: "DisconnectedCallback",
      instanceId: "instance.id",
    },
    expected: [
      { kind: "ignored", reason: 'unsupported Z-API callback type "DisconnectedCallback"' },
    ],
  },
  {
    name: "chat presence: ignored",
    confidence: "confirmed",
    source: "Z-API docs, webhooks/on-chat-presence",
    body: {
      type: "PresenceChatCallback",
      phone: "5544999999999",
      status: "COMPOSING",
      lastSeen: null,
      instanceId: "instance.id",
    },
    expected: [
      { kind: "ignored", reason: 'unsupported Z-API callback type "PresenceChatCallback"' },
    ],
  },
];
