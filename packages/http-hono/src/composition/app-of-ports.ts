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
  type ResolvePort,
  type RuntimeServices,
  WebhookConnectionsToken,
} from "./default-ports.js";

/**
 * The app for a validated configuration, its ports taken from `resolve` — a container's
 * (`createConfiguredApp`) or plain functions' (`createEdgeApp`). Every port is resolved
 * here, at once, so that a configuration an adapter refuses fails before the first request.
 */
export function appOfPorts(config: ServerConfig, runtime: RuntimeServices, resolve: ResolvePort) {
  const messageLog = resolve<MessageLog>(MessageLogToken);
  return createApp({
    messageLog,
    webhooks: {
      connections: resolve(WebhookConnectionsToken),
      messageLog,
      deduplication: resolve<WebhookDeduplication>(WebhookDeduplicationToken),
      handler: resolve<InboundEventHandler>(InboundEventHandlerToken),
    },
    authenticator: resolve<Authenticator>(AuthenticatorToken),
    agents: resolve<AgentDirectory>(AgentDirectoryToken),
    conversations: resolve<ConversationDirectory>(ConversationDirectoryToken),
    channels: resolve<ChannelDirectory>(ChannelDirectoryToken),
    idempotency: resolve<IdempotencyStore>(IdempotencyStoreToken),
    clock: resolve<Clock>(ClockToken),
    logger: resolve<Logger>(LoggerToken),
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
