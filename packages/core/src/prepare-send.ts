import { type ButtonMessage, createButtonMessage } from "./button-message.js";
import { checkCapabilities } from "./capabilities.js";
import {
  AgentNotFound,
  ChannelNotConfigured,
  ConversationNotFound,
  Forbidden,
  InvalidMessage,
  type SendButtonsError,
  Unauthorized,
} from "./errors.js";
import type { Principal } from "./ports/authenticator.js";
import type { ChannelPort } from "./ports/channel.js";
import type { Conversation } from "./ports/conversation-directory.js";
import type { SendButtonsCommand, SendButtonsDeps } from "./send-buttons.js";

/**
 * `crypto.randomUUID()`, flattened. Node builds the id by concatenating 15 pieces, and V8
 * keeps such a string as a tree of them (~480 bytes against 56 for the flat string) for as
 * long as it lives: in the message log, as long as the message is kept, and copied by each
 * garbage collection it survives. Reading a character makes V8 flatten it in place.
 */
const defaultNewId = (): string => {
  const id = crypto.randomUUID();
  id.charCodeAt(0);
  return id;
};

/** What the steps before the send found: everything the delivery needs. */
export interface SendPlan {
  readonly newId: () => string;
  readonly requestId: string;
  readonly startedAt: number;
  readonly principal: Principal;
  readonly message: ButtonMessage;
  readonly agentId: string;
  readonly conversation: Conversation;
  readonly channel: ChannelPort;
}

/** The plan, or the expected failure that ends the request before anything is sent. */
export type PreparedSend =
  | { readonly ok: true; readonly plan: SendPlan }
  | { readonly ok: false; readonly error: SendButtonsError };

const refused = (error: SendButtonsError): PreparedSend => ({ ok: false, error });

/**
 * The steps before the send — authenticate, validate, look up, authorise, check the
 * channel's capabilities — as plain async code: lookups and checks that neither retry nor
 * time out gain nothing from a fiber, and cost one per step (see issue 11). A rejection of
 * a port rejects, the defect it is.
 */
export async function prepareSend(
  deps: SendButtonsDeps,
  command: SendButtonsCommand,
): Promise<PreparedSend> {
  const newId = deps.newId ?? defaultNewId;
  const requestId = command.requestId ?? newId();
  const startedAt = deps.clock.now();
  let principal = command.principal;
  if (principal === undefined) {
    const token = command.token;
    if (token === undefined || token.trim() === "") {
      return refused(
        new Unauthorized({ reason: "missing_token", message: "a bearer token is required" }),
      );
    }
    principal = await deps.authenticator.authenticate(token);
    if (principal === undefined) {
      return refused(
        new Unauthorized({ reason: "invalid_token", message: "the bearer token is not valid" }),
      );
    }
  }

  const built = createButtonMessage(command.message);
  if (!built.ok) {
    return refused(
      new InvalidMessage({ issues: built.issues, message: "the message is not valid" }),
    );
  }
  const message = built.value;

  const agent = await deps.agents.findAgent(command.agentId);
  if (agent === undefined) {
    return refused(
      new AgentNotFound({
        agentId: command.agentId,
        message: `agent ${command.agentId} was not found`,
      }),
    );
  }
  if (agent.organizationId !== principal.organizationId) {
    return refused(
      new Forbidden({
        agentId: agent.id,
        message: "the agent does not belong to your organization",
      }),
    );
  }

  const conversation = await deps.conversations.findConversation(command.conversationId);
  if (conversation === undefined || conversation.organizationId !== principal.organizationId) {
    return refused(
      new ConversationNotFound({
        conversationId: command.conversationId,
        message: `conversation ${command.conversationId} was not found`,
      }),
    );
  }

  const channel = await deps.channels.findChannel(conversation.channelConnectionId);
  if (channel === undefined) {
    return refused(
      new ChannelNotConfigured({
        channelConnectionId: conversation.channelConnectionId,
        message: "no channel is configured for this conversation's connection",
      }),
    );
  }
  const capabilityIssues = checkCapabilities(message, channel.capabilities);
  if (capabilityIssues.length > 0) {
    return refused(
      new InvalidMessage({
        issues: capabilityIssues,
        message: `the message does not fit what ${channel.provider} can send`,
      }),
    );
  }
  return {
    ok: true,
    plan: {
      newId,
      requestId,
      startedAt,
      principal,
      message,
      agentId: agent.id,
      conversation,
      channel,
    },
  };
}
