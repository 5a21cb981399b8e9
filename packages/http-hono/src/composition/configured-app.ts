import {
  type AgentDirectory,
  AgentDirectoryToken,
  type Authenticator,
  AuthenticatorToken,
  type ChannelDirectory,
  ChannelDirectoryToken,
  type Clock,
  ClockToken,
  type ConversationDirectory,
  ConversationDirectoryToken,
  type IdempotencyStore,
  IdempotencyStoreToken,
  type InboundEventHandler,
  InboundEventHandlerToken,
  type Logger,
  LoggerToken,
  type MessageLog,
  MessageLogToken,
  type WebhookDeduplication,
  WebhookDeduplicationToken,
} from "@replykit/core";
import { addressFromHeader, createApp } from "@replykit/http-app";
import type { ServerConfig } from "../config/schema.js";
import {
  createContainer,
  type RuntimeServices,
  resolvePort,
  WebhookConnectionsToken,
} from "./container.js";

/** The app for a validated configuration, with its ports wired by {@link createContainer}. */
export function createConfiguredApp(config: ServerConfig, runtime: RuntimeServices = {}) {
  const scope = createContainer(config, runtime);
  const messageLog = resolvePort<MessageLog>(scope, MessageLogToken);
  return createApp({
    messageLog,
    webhooks: {
      connections: resolvePort(scope, WebhookConnectionsToken),
      messageLog,
      deduplication: resolvePort<WebhookDeduplication>(scope, WebhookDeduplicationToken),
      handler: resolvePort<InboundEventHandler>(scope, InboundEventHandlerToken),
    },
    authenticator: resolvePort<Authenticator>(scope, AuthenticatorToken),
    agents: resolvePort<AgentDirectory>(scope, AgentDirectoryToken),
    conversations: resolvePort<ConversationDirectory>(scope, ConversationDirectoryToken),
    channels: resolvePort<ChannelDirectory>(scope, ChannelDirectoryToken),
    idempotency: resolvePort<IdempotencyStore>(scope, IdempotencyStoreToken),
    clock: resolvePort<Clock>(scope, ClockToken),
    logger: resolvePort<Logger>(scope, LoggerToken),
    ...(config.delivery === undefined ? {} : { policy: config.delivery }),
    ...(config.maxBodyBytes === undefined ? {} : { maxBodyBytes: config.maxBodyBytes }),
    ...(config.maxInFlightSends === undefined ? {} : { maxInFlightSends: config.maxInFlightSends }),
    ...(config.authFailureLimit === undefined ? {} : { authFailureLimit: config.authFailureLimit }),
    ...(runtime.shutdownSignal === undefined ? {} : { shutdownSignal: runtime.shutdownSignal }),
    ...(runtime.readiness === undefined ? {} : { readiness: runtime.readiness }),
    ...(runtime.native === undefined ? {} : { native: runtime.native }),
    ...clientAddressOf(config, runtime),
  });
}

function clientAddressOf(config: ServerConfig, runtime: RuntimeServices) {
  if (config.clientIpHeader !== undefined) {
    return { clientAddress: addressFromHeader(config.clientIpHeader) };
  }
  return runtime.clientAddress === undefined ? {} : { clientAddress: runtime.clientAddress };
}
