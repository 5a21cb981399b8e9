import type { ButtonMessage } from "@replykit/core";
import { phoneDigits } from "@replykit/http-transport";
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

/**
 * The `jid` for a recipient. A recipient written as a phone number (`+55 (11) 99999-9999`)
 * becomes its digits (`5511999999999`), by the rule every replykit adapter shares
 * ({@link phoneDigits}). Anything else (a `…@s.whatsapp.net` number, a `…@lid`, a `…@g.us`
 * group, or any other form) is passed through unchanged for ZapperAPI to judge.
 */
export function toRecipient(recipient: string): string {
  return phoneDigits(recipient) ?? recipient;
}

/**
 * The exact JSON ZapperAPI receives for `message`. The header travels as `title` and the footer
 * as `footer`, each only when the message has one; `expiration` only when configured.
 */
export function toRequestBody(
  recipient: string,
  message: ButtonMessage,
  options: { readonly expiration?: ZapperExpiration | undefined } = {},
): ZapperButtonsRequest {
  const { expiration } = options;
  return {
    jid: toRecipient(recipient),
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
