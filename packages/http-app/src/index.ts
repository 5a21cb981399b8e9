export { type AppDeps, type AppType, createApp, type OpenApiInfo } from "./app.js";
export { anyOf } from "./auth/any-of.js";
export {
  type ApiKeyAuthenticatorOptions,
  type ApiKeyRecord,
  createApiKeyAuthenticator,
  hashApiKey,
} from "./auth/api-key.js";
export {
  addressFromHeader,
  authenticateCaller,
  type ClientAddress,
} from "./auth/authenticate-caller.js";
export { type BearerParse, parseBearer } from "./auth/bearer.js";
export { constantTimeEqual } from "./auth/constant-time.js";
export { createJwtSessionAuthenticator, type JwtSessionOptions } from "./auth/jwt-session.js";
export {
  ERROR_TYPES,
  type ErrorBody,
  type ErrorEnvelope,
  ErrorEnvelopeSchema,
  type ErrorType,
  type FieldIssue,
} from "./http-errors/envelope.js";
export { type ErrorStatus, type HttpError, internalError } from "./http-errors/http-error.js";
export { respondWithError } from "./http-errors/respond.js";
export {
  type AuthFailureLimit,
  AuthFailureLimiter,
  DEFAULT_AUTH_FAILURE_LIMIT,
} from "./limits/auth-failure-limiter.js";
export { DEFAULT_MAX_IN_FLIGHT_SENDS, limitInFlight } from "./limits/in-flight.js";
export { createJsonLogger, type JsonLoggerOptions } from "./logging/json-logger.js";
export { loggablePath } from "./logging/loggable-path.js";
export { REDACTED, redact, withRedaction } from "./logging/redact.js";
export { isSaneRequestId, REQUEST_ID_HEADER } from "./logging/request-id.js";
export { requestLog } from "./logging/request-log.js";
export type { AppEnv } from "./routes/app-env.js";
export type { BoundedBody } from "./routes/bounded-body.js";
export { HEALTH_PATH, READINESS_PATH } from "./routes/health.js";
export { DEFAULT_MAX_BODY_BYTES } from "./routes/json-body.js";
export type {
  CallerPresence,
  HeaderReader,
  NativeRequestAccess,
} from "./routes/native-request.js";
export {
  type SendButtonsRequest,
  SendButtonsRequestSchema,
  SendButtonsResponseSchema,
} from "./routes/schemas.js";
export { SEND_BUTTONS_PATH } from "./routes/send-buttons.js";
