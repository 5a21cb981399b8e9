import type { ButtonMessage } from "@replykit/core";
import type { ZapperExpiration } from "./options.js";

/** One button of ZapperAPI's `POST /{instanceId}/messages/buttons`; replykit sends `reply` only. */
export interface ZapperReplyButton {
  readonly type: "reply";
  readonly displayText: string;
  readonly id: string;
}

/**
 * The request body of `POST /{instanceId}/messages/buttons`, as ZapperAPI's openapi.json
 * (github.com/zapperapi/n8n-nodes-zapperapi) defines it. `media`, `mediaType` and the `url`,
 * `copy` and `call` buttons exist there too; a `ButtonMessage` has no use for them.
 */
export interface ZapperButtonsRequest {
  readonly jid: string;
  readonly title?: string;
  readonly body: string;
  readonly footer?: string;
  readonly buttons: readonly ZapperReplyButton[];
  readonly expiration?: ZapperExpiration;
}

// A phone number as people write it: digits, with an optional leading "+", spaces and dashes.
const WRITTEN_PHONE_NUMBER = /^\+?[\d -]*\d[\d -]*$/;

/**
 * The `jid` for a recipient. A plain phone number written with a leading `+`, spaces or
 * dashes (`+55 11 99999-9999`) becomes its digits (`5511999999999`). Anything else (a
 * `…@s.whatsapp.net` number, a `…@lid`, a `…@g.us` group, or any other form) is passed
 * through unchanged for ZapperAPI to judge.
 */
export function toJid(recipient: string): string {
  return WRITTEN_PHONE_NUMBER.test(recipient) ? recipient.replace(/[+ -]/g, "") : recipient;
}

/**
 * The exact JSON ZapperAPI receives for `message`. The header travels as `title` and the footer
 * as `footer`, each only when the message has one; `expiration` only when configured.
 */
export function toZapperButtonsRequest(
  recipient: string,
  message: ButtonMessage,
  expiration?: ZapperExpiration,
): ZapperButtonsRequest {
  return {
    jid: toJid(recipient),
    ...(message.header === undefined ? {} : { title: message.header }),
    body: message.body,
    ...(message.footer === undefined ? {} : { footer: message.footer }),
    buttons: message.buttons.map((button) => ({
      type: "reply",
      displayText: button.title,
      id: button.id,
    })),
    ...(expiration === undefined ? {} : { expiration }),
  };
}
