import { buttonCountIssues } from "./button-count.js";
import type { ButtonMessage } from "./button-message.js";
import type { Issue } from "./issue.js";
import type { TextLimits } from "./limits.js";
import { textIssues } from "./text-rules.js";

/**
 * What a channel can render. The use case checks every message against the channel it is
 * about to use, so a provider's stricter rule becomes a clear `InvalidMessage` instead of
 * a rejection from upstream.
 */
export interface ChannelCapabilities {
  /** At most this many reply buttons (3 on every provider replykit knows). */
  readonly maxButtons: number;
  readonly limits: TextLimits;
  /** Whether a text header reaches the recipient; if not, a message with one is refused. */
  readonly header: boolean;
  /** Whether a footer reaches the recipient; if not, a message with one is refused. */
  readonly footer: boolean;
  /**
   * `native`: the provider's official API renders the buttons (Meta Cloud API).
   * `best-effort`: the provider drives WhatsApp through the multi-device web protocol and
   * a message may be accepted yet shown without buttons on some clients (Z-API, ZapperAPI).
   */
  readonly buttonRendering: "native" | "best-effort";
}

function unsupported(field: "header" | "footer"): Issue {
  return {
    code: "unsupported_field",
    path: [field],
    message: `this channel cannot show a ${field}; send the message without one`,
  };
}

/** Lists every way `message` exceeds what the channel declares; empty when it fits. */
export function checkCapabilities(
  message: ButtonMessage,
  capabilities: ChannelCapabilities,
): readonly Issue[] {
  const { limits } = capabilities;
  const issues: Issue[] = [...buttonCountIssues(message.buttons.length, capabilities.maxButtons)];
  if (message.header !== undefined) {
    if (!capabilities.header) issues.push(unsupported("header"));
    else issues.push(...textIssues(message.header, ["header"], limits.header));
  }
  issues.push(...textIssues(message.body, ["body"], limits.body));
  if (message.footer !== undefined) {
    if (!capabilities.footer) issues.push(unsupported("footer"));
    else issues.push(...textIssues(message.footer, ["footer"], limits.footer));
  }
  message.buttons.forEach((button, index) => {
    issues.push(...textIssues(button.id, ["buttons", index, "id"], limits.buttonId));
    issues.push(...textIssues(button.title, ["buttons", index, "title"], limits.buttonTitle));
  });
  return issues;
}
