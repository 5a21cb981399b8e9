/** Where a delivery status puts a message; statuses only move forward (see `STATUS_RANK`). */
export type DeliveryState = "accepted" | "sent" | "delivered" | "read" | "failed";

/**
 * How far along each status is. `failed` outranks every other: a message that failed stays
 * failed whatever arrives after (Meta may send `sent` late, after `failed`).
 */
export const STATUS_RANK: Readonly<Record<DeliveryState, number>> = Object.freeze({
  accepted: 1,
  sent: 2,
  delivered: 3,
  read: 4,
  failed: 5,
});

/** Whether `next` moves a message on from `current` (never back, never sideways). */
export const movesForward = (current: DeliveryState | undefined, next: DeliveryState): boolean =>
  current === undefined || STATUS_RANK[next] > STATUS_RANK[current];

/**
 * What a provider's webhook said, as a driver's parser reads it: before it is matched to
 * the message replykit sent. Parsers never throw; what they cannot use is `ignored`.
 */
export type ParsedInbound =
  | {
      readonly kind: "button_reply";
      /** The provider's id of the tap (Meta's wamid of the reply, Z-API's messageId…). */
      readonly providerEventId: string;
      /** Who tapped: a phone number, a LID or a business-scoped id; never assumed E.164. */
      readonly from: string;
      readonly buttonId: string;
      readonly buttonTitle?: string | undefined;
      /** The provider's id of the message whose button was tapped, when the webhook says. */
      readonly replyToProviderMessageId?: string | undefined;
      readonly at: Date;
    }
  | {
      readonly kind: "delivery_status";
      /** Unique per status change: the message id and the status, at least. */
      readonly providerEventId: string;
      readonly providerMessageId: string;
      readonly status: DeliveryState;
      readonly error?: { readonly code: string; readonly message: string } | undefined;
      readonly recipient?: string | undefined;
      readonly at: Date;
    }
  | {
      readonly kind: "ignored";
      readonly providerEventId?: string | undefined;
      /** Why, for the logs: `"own message echoed"`, `"unsupported message type: image"`, … */
      readonly reason: string;
    };

/** How a tap was matched to the message replykit sent. */
export type MatchedBy =
  /** The webhook named the sent message's provider id, and the log has it. */
  | "provider_message_id"
  /** The most recent message to that sender on that connection with a button of that id. */
  | "recent_message_with_button"
  /** Nothing in the message log fits. */
  | "unmatched";

/** A normalized inbound event, as handed to the embedder's `InboundEventHandler`. */
export type InboundEvent =
  | {
      readonly kind: "button_reply";
      readonly connectionId: string;
      readonly provider: string;
      readonly providerEventId: string;
      readonly from: string;
      readonly buttonId: string;
      readonly buttonTitle?: string | undefined;
      readonly replyTo: {
        readonly providerMessageId?: string | undefined;
        readonly messageId?: string | undefined;
        readonly conversationId?: string | undefined;
        readonly matchedBy: MatchedBy;
      };
      readonly receivedAt: Date;
    }
  | {
      readonly kind: "delivery_status";
      readonly connectionId: string;
      readonly provider: string;
      readonly providerEventId: string;
      readonly providerMessageId: string;
      /** replykit's id of the message, when the log has it. */
      readonly messageId?: string | undefined;
      readonly status: DeliveryState;
      readonly error?: { readonly code: string; readonly message: string } | undefined;
      readonly at: Date;
    }
  | {
      readonly kind: "ignored";
      readonly connectionId: string;
      readonly provider: string;
      readonly providerEventId?: string | undefined;
      readonly reason: string;
    };
