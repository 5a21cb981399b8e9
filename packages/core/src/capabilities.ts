import { withButtonCountIssue } from "./button-count.js";
import type { ButtonMessage } from "./button-message.js";
import { type Issue, withIssue } from "./issue.js";
import type { TextLimits } from "./limits.js";
import { type MessageField, withTextIssues } from "./text-rules.js";

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

/** What a message that fits costs: no list of its own. */
const NO_ISSUES: readonly Issue[] = Object.freeze([]);

/** Lists every way `message` exceeds what the channel declares; empty when it fits. */
export function checkCapabilities(
  message: ButtonMessage,
  capabilities: ChannelCapabilities,
): readonly Issue[] {
  const { limits } = capabilities;
  let issues = withButtonCountIssue(undefined, message.buttons.length, capabilities.maxButtons);
  issues = withOptionalText(issues, message.header, "header", capabilities.header, limits);
  issues = withTextIssues(issues, message.body, message.body.trim(), limits.body, "body", 0);
  issues = withOptionalText(issues, message.footer, "footer", capabilities.footer, limits);
  for (const [index, { id, title }] of message.buttons.entries()) {
    issues = withTextIssues(issues, id, id.trim(), limits.buttonId, "id", index);
    issues = withTextIssues(issues, title, title.trim(), limits.buttonTitle, "title", index);
  }
  return issues ?? NO_ISSUES;
}

/** A header or footer: refused outright by a channel that cannot show it, else its text rules. */
function withOptionalText(
  issues: Issue[] | undefined,
  text: string | undefined,
  field: Exclude<MessageField, "body">,
  shown: boolean,
  limits: TextLimits,
): Issue[] | undefined {
  if (text === undefined) return issues;
  if (!shown) return withIssue(issues, unsupported(field));
  return withTextIssues(issues, text, text.trim(), limits[field], field, 0);
}
