import { REDACTED } from "@replykit/core";

/**
 * A request path as logs may show it: a webhook path's segments after the connection id
 * (`/webhooks/{connectionId}/{secret}`, Z-API's way to authenticate) are a secret, and are
 * replaced by the redaction marker. Any other path is returned as it is.
 */
export function loggablePath(path: string): string {
  const match = /^(\/webhooks\/[^/]*\/)[^?]+/.exec(path);
  return match === null ? path : `${match[1]}${REDACTED}`;
}
