import type { ButtonMessage } from "@replykit/core";
import { phoneDigits } from "@replykit/http-transport";
import type { ZapiEndpoint } from "./options.js";

/** One `REPLY` button of `send-button-actions`. */
export interface ZapiReplyAction {
  readonly id: string;
  readonly type: "REPLY";
  readonly label: string;
}

/** The body of `POST …/send-button-actions`. */
export interface ZapiButtonActionsRequest {
  readonly phone: string;
  /** Our header: Z-API's `title` is shown bold above the body. */
  readonly title?: string;
  readonly message: string;
  readonly footer?: string;
  readonly buttonActions: readonly ZapiReplyAction[];
  readonly delayMessage?: number;
}

/** The body of `POST …/send-button-list`: no header, no footer. */
export interface ZapiButtonListRequest {
  readonly phone: string;
  readonly message: string;
  readonly buttonList: {
    readonly buttons: readonly { readonly id: string; readonly label: string }[];
  };
  readonly delayMessage?: number;
}

export type ZapiSendRequest = ZapiButtonActionsRequest | ZapiButtonListRequest;

export interface ZapiWireOptions {
  readonly endpoint: ZapiEndpoint;
  readonly delayMessageSeconds?: number | undefined;
}

/** The last path segment of each endpoint, after `/instances/{id}/token/{token}/`. */
export const ZAPI_SEND_ACTION: Readonly<Record<ZapiEndpoint, string>> = Object.freeze({
  "button-actions": "send-button-actions",
  "button-list": "send-button-list",
});

/**
 * Z-API wants `phone` as digits only, country code first ("5511999999999"), "without
 * formatting or a mask". A recipient written as a phone number (`+55 (11) 99999-9999`)
 * becomes its digits, by the rule every replykit adapter shares ({@link phoneDigits}); it
 * must already include the country code, which cannot be guessed. Anything else (a group id
 * such as "120363019502650977-group") is sent as given, trimmed, for Z-API to judge.
 */
export function toRecipient(recipient: string): string {
  return phoneDigits(recipient) ?? recipient.trim();
}

/**
 * The exact JSON Z-API receives for `message`. With `button-list`, a header or footer has
 * nowhere to go; the channel declares that in its capabilities and refuses such a message
 * before this is called, so nothing is dropped silently.
 */
export function toRequestBody(
  recipient: string,
  message: ButtonMessage,
  options: ZapiWireOptions,
): ZapiSendRequest {
  const phone = toRecipient(recipient);
  const delay =
    options.delayMessageSeconds === undefined ? {} : { delayMessage: options.delayMessageSeconds };
  if (options.endpoint === "button-list") {
    return {
      phone,
      message: message.body,
      buttonList: { buttons: message.buttons.map(({ id, title }) => ({ id, label: title })) },
      ...delay,
    };
  }
  return {
    phone,
    ...(message.header === undefined ? {} : { title: message.header }),
    message: message.body,
    ...(message.footer === undefined ? {} : { footer: message.footer }),
    buttonActions: message.buttons.map(({ id, title }) => ({ id, type: "REPLY", label: title })),
    ...delay,
  };
}
