export {
  baseUrlOption,
  type CredentialForm,
  type CredentialRules,
  credentialOption,
  normalizeBaseUrl,
  type OptionWithDefault,
  PATH_SEGMENT_CHARACTERS,
  PRINTABLE_ASCII,
  parseAdapterOptions,
  TOKEN_CHARACTERS,
  timeoutMsOption,
  transportOption,
} from "./adapter-options.js";
export { fetchTransport } from "./fetch-transport.js";
export {
  createHttpChannel,
  type HttpChannelOptions,
  type HttpChannelSpec,
  type HttpDriverEnv,
  httpChannelFactory,
} from "./http-channel.js";
export { ignored, isRecord, kindOf, nonEmptyString, quoteWord } from "./inbound-json.js";
export { optionalOrDropped } from "./optional-or-dropped.js";
export { phoneDigits } from "./phone.js";
export { type JsonAnswer, type JsonPost, postJson } from "./post-json.js";
export {
  oneLine,
  type ProviderTextOptions,
  quoteProviderText,
  type Redact,
  redactor,
} from "./provider-text.js";
export { parseRetryAfter } from "./retry-after.js";
export { type ErrorDetails, errorFromStatus, unexpectedAnswer } from "./status.js";
export {
  AnswerTimedOut,
  type HttpRequest,
  type HttpResponse,
  type HttpTransport,
  isSelfTimed,
  RequestNotSent,
  readsSignalOnDemand,
  type SelfTimedTransport,
  type SignalOnDemandTransport,
} from "./transport.js";
export {
  MIN_WEBHOOK_SECRET_LENGTH,
  URL_SAFE_SECRET,
  webhookSecretOption,
} from "./webhook-secret.js";
