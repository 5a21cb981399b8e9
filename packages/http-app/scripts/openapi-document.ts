// Build-time only: the OpenAPI 3.1 document of the app, from the same zod schemas that
// validate the requests, with the words that document them. `generate-openapi.mjs` writes it
// to src/generated/openapi-document.ts, which the app serves; test/openapi-document.test.ts
// fails when that file is stale. Nothing at run time imports this module, so neither the
// words below nor the code that turns schemas into JSON Schema reach a bundle twice.
import { MAX_BUTTONS, TOO_MANY_BUTTONS_PROVIDER_CODE, WHATSAPP_CLOUD_LIMITS } from "@replykit/core";
import type * as z from "zod/mini";
import { ErrorEnvelopeSchema, FieldIssueSchema } from "../src/http-errors/envelope.js";
import {
  SendButtonsHeadersSchema,
  SendButtonsRequestSchema,
  SendButtonsResponseSchema,
} from "../src/routes/schemas.js";
import { SEND_BUTTONS_PATH } from "../src/routes/send-buttons.js";

/** A JSON value, as the document is made of. */
export type Json =
  | string
  | number
  | boolean
  | null
  | readonly Json[]
  | { readonly [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** The words of one schema: its own, and those of its fields. */
interface Words {
  readonly description?: string;
  readonly example?: Json;
  readonly properties?: Readonly<Record<string, Words>>;
}

const limits = WHATSAPP_CLOUD_LIMITS;

const REQUEST_WORDS: Words = {
  description: `At most ${MAX_BUTTONS} buttons (Meta API limit): sending button_4_* or beyond is a 400 with providerCode ${TOO_MANY_BUTTONS_PROVIDER_CODE}. Any field not listed here is a 400.`,
  properties: {
    agentId: { description: "The ID of the agent sending the message.", example: "agent_123" },
    conversationId: { description: "The ID of the conversation.", example: "conv_456" },
    header_text: {
      description: `Text displayed in the header of the message (at most ${limits.header} characters).`,
      example: "Order #1234",
    },
    body_text: {
      description: `The main text of the message (at most ${limits.body} characters).`,
      example: "Did you receive your order?",
    },
    footer_text: {
      description: `Text displayed in the footer of the message (at most ${limits.footer} characters).`,
      example: "Reply with a button",
    },
    button_1_id: { description: "Unique ID for the first button.", example: "yes" },
    button_1_title: {
      description: `Display text (label) for the first button (at most ${limits.buttonTitle} characters).`,
      example: "Yes",
    },
    button_2_id: { description: "ID for the second button (with button_2_title).", example: "no" },
    button_2_title: {
      description: "Display text (label) for the second button (with button_2_id).",
      example: "No",
    },
    button_3_id: { description: "ID for the third button (needs button 2).", example: "help" },
    button_3_title: {
      description: "Display text (label) for the third button (needs button 2).",
      example: "Talk to us",
    },
  },
};

const HEADER_WORDS: Words = {
  properties: {
    "Idempotency-Key": {
      description:
        "Makes a retry safe: a repeat with the same key and body returns the first result and sends nothing; the same key with another body is a 422.",
      example: "order-1234-confirmation",
    },
    "X-Request-Id": {
      description:
        "Correlation id: reused if it is at most 128 characters of [A-Za-z0-9._:-], else replaced by a fresh one. Always echoed in the response.",
      example: "req-7f3a",
    },
  },
};

const RESPONSE_WORDS: Words = {
  properties: {
    messageId: { description: "replykit's id for the message." },
    providerMessageId: {
      description: "The provider's id, e.g. Meta's wamid.…",
      example: "wamid.HBgL…",
    },
    provider: { example: "whatsapp" },
    status: {
      description: "The provider accepted the message; delivery is reported later by webhooks.",
    },
  },
};

const FIELD_ISSUE_WORDS: Words = {
  properties: {
    field: {
      description:
        "A flat body field (button_2_title), a header (Idempotency-Key, Content-Type), or body for the request body as a whole.",
      example: "button_2_title",
    },
    code: {
      description: "Stable: missing_field, unknown_field, invalid_type, too_long, empty, …",
      example: "too_long",
    },
    message: { example: "button_2_title is 25 characters long; the limit is 20" },
    providerCode: {
      description: "The provider's code this issue stands for: 131009 for a 4th button.",
      example: 131009,
    },
  },
};

const ENVELOPE_WORDS: Words = {
  properties: {
    error: {
      properties: {
        code: {
          description:
            "Stable machine-readable code, e.g. too_many_buttons, missing_field, unknown_field, invalid_token, agent_not_found, provider_rejected.",
          example: "too_many_buttons",
        },
        message: { description: "For humans; do not parse it." },
        requestId: { description: "Also sent as the X-Request-Id response header." },
        provider: { example: "whatsapp" },
        providerCode: {
          description: "The provider's own error code, when there is one.",
          example: 131009,
        },
        retryable: { description: "Provider errors only: whether sending again may succeed." },
        deliveryUnknown: {
          description:
            "provider_unavailable and shutting_down only, present when true: the request may have reached the provider (a timeout, a reset connection, a 5xx) and the message may have been delivered. Check before sending again, or a retry may show the buttons twice.",
        },
        issues: { description: "400 only: every problem found, each naming its field." },
      },
    },
  },
};

/** The named schemas, in the order of `components.schemas`; elsewhere they are `$ref`s. */
const COMPONENTS: readonly (readonly [string, z.core.$ZodType, Words])[] = [
  ["SendButtonsResponse", SendButtonsResponseSchema, RESPONSE_WORDS],
  ["ErrorEnvelope", ErrorEnvelopeSchema, ENVELOPE_WORDS],
  ["FieldIssue", FieldIssueSchema, FIELD_ISSUE_WORDS],
  ["SendButtonsRequest", SendButtonsRequestSchema, REQUEST_WORDS],
];

const refTo = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** A field's schema as OpenAPI describes it, and whether the object requires the field. */
function fieldOf(schema: z.core.$ZodType, words: Words | undefined, at: string) {
  const def = (schema as z.core.$ZodTypes)._zod.def;
  return def.type === "optional"
    ? { json: schemaOf(def.innerType, words, at), required: false }
    : { json: schemaOf(schema, words, at), required: true };
}

/**
 * One zod schema as an OpenAPI 3.1 schema object, in the form the document has always had:
 * a literal as a one-value `enum`, a union as `anyOf`, an integer without the safe-integer
 * bounds, `additionalProperties: false` for a strict object only. A kind of schema this
 * does not know fails the generation rather than being described loosely.
 */
function schemaOf(schema: z.core.$ZodType, words: Words | undefined, at: string): JsonObject {
  const named = COMPONENTS.find(([, component]) => component === schema);
  if (named !== undefined && at !== named[0]) return refTo(named[0]);
  const def = (schema as z.core.$ZodTypes)._zod.def;
  let json: JsonObject;
  switch (def.type) {
    case "string": {
      json = { type: "string" };
      for (const check of def.checks ?? []) {
        const rule = (check as z.core.$ZodChecks)._zod.def;
        if (rule.check !== "string_format" || rule.format !== "regex" || "pattern" in json) {
          throw new Error(`${at}: only one pattern is described here`);
        }
        json.pattern = (rule.pattern as RegExp).source;
      }
      break;
    }
    case "number":
      json = { type: "format" in def && def.format === "safeint" ? "integer" : "number" };
      break;
    case "boolean":
      json = { type: "boolean" };
      break;
    case "literal":
      json = { type: typeof def.values[0] as string, enum: def.values as Json[] };
      break;
    case "enum":
      json = { type: "string", enum: Object.values(def.entries) as Json[] };
      break;
    case "union":
      json = {
        anyOf: def.options.map((option, index) => schemaOf(option, undefined, `${at}|${index}`)),
      };
      break;
    case "array":
      json = { type: "array", items: schemaOf(def.element, undefined, `${at}[]`) };
      break;
    case "object": {
      const properties: JsonObject = {};
      const required: string[] = [];
      for (const [key, field] of Object.entries(def.shape)) {
        const { json: property, required: isRequired } = fieldOf(
          field,
          words?.properties?.[key],
          `${at}.${key}`,
        );
        properties[key] = property;
        if (isRequired) required.push(key);
      }
      const unknownWords = Object.keys(words?.properties ?? {}).filter(
        (key) => !(key in def.shape),
      );
      if (unknownWords.length > 0) throw new Error(`${at}: no field ${unknownWords.join(", ")}`);
      json = { type: "object", properties, required };
      const strict = (def.catchall as z.core.$ZodTypes | undefined)?._zod.def.type === "never";
      if (strict) json.additionalProperties = false;
      break;
    }
    default:
      throw new Error(`${at}: a ${def.type} schema is not described here`);
  }
  if (words?.description !== undefined) json.description = words.description;
  if (words?.example !== undefined) json.example = words.example;
  return json;
}

/** The request headers the contract documents, as OpenAPI header parameters. */
function headerParameters(): Json[] {
  const def = (SendButtonsHeadersSchema as z.core.$ZodTypes)._zod.def;
  if (def.type !== "object") throw new Error("the headers schema is not an object");
  return Object.entries(def.shape).map(([name, header]) => {
    const words = HEADER_WORDS.properties?.[name];
    const { json, required } = fieldOf(header, words, `headers.${name}`);
    return {
      schema: json,
      required,
      ...(words?.description === undefined ? {} : { description: words.description }),
      name,
      in: "header",
    };
  });
}

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: refTo("ErrorEnvelope") } },
});

/**
 * The document `GET /openapi.json` serves, but for `info` and `servers`, which the app adds
 * from its `openapi` option.
 */
export function openApiDocument() {
  return {
    openapi: "3.1.0",
    components: {
      securitySchemes: {
        bearerAuth: {
          type: "http",
          scheme: "bearer",
          description: "An API key or a session token: `Authorization: Bearer <token>`.",
        },
      },
      schemas: Object.fromEntries(
        COMPONENTS.map(([name, schema, words]) => [name, schemaOf(schema, words, name)]),
      ),
      parameters: {},
    },
    paths: {
      [SEND_BUTTONS_PATH]: {
        post: {
          operationId: "sendButtons",
          summary: "Send a message with up to 3 reply buttons",
          description:
            "Sends a message with up to 3 reply buttons. Supported on WhatsApp, Z-API, and ZapperAPI.",
          tags: ["Interactive Messages"],
          security: [{ bearerAuth: [] }],
          parameters: headerParameters(),
          requestBody: {
            required: true,
            content: { "application/json": { schema: refTo("SendButtonsRequest") } },
          },
          responses: {
            200: {
              description: "The provider accepted the message.",
              content: { "application/json": { schema: refTo("SendButtonsResponse") } },
            },
            400: errorResponse(
              "Invalid request body (every issue names its field; button_4_* or beyond carries providerCode 131009).",
            ),
            401: errorResponse("Invalid or missing API key."),
            403: errorResponse("Agent does not belong to your organization."),
            404: errorResponse("Conversation or agent not found."),
            409: errorResponse(
              "idempotency_key_in_progress: a request with this Idempotency-Key is still in progress; retry later. idempotency_outcome_unknown: the first request with this Idempotency-Key failed after it may have delivered the message; check whether it arrived before sending again, with a new key.",
            ),
            422: errorResponse("This Idempotency-Key was already used for a different request."),
            429: errorResponse(
              "too_many_auth_failures: this client sent too many invalid tokens; retry after Retry-After.",
            ),
            500: errorResponse(
              "WhatsApp API (provider) error, with provider, providerCode, retryable and, when the message may have been delivered anyway, deliveryUnknown: true; or an internal error.",
            ),
            503: errorResponse(
              "overloaded: the server is at its bound of sends in flight and sent nothing; retry after Retry-After. shutting_down: the server is stopping; deliveryUnknown: true when the send was cut after it started.",
            ),
          },
        },
      },
    },
    webhooks: {},
  } satisfies JsonObject;
}

/** The source of src/generated/openapi-document.ts: the document as a constant. */
export function openApiDocumentModule(): string {
  return `// Generated by scripts/generate-openapi.mjs from scripts/openapi-document.ts: do not edit.
// Regenerate it after changing a schema or its words: pnpm -C packages/http-app generate:openapi
// (test/openapi-document.test.ts fails while it is stale).

/** The OpenAPI document of the app, but for \`info\` and \`servers\` (see routes/openapi.ts). */
export const OPENAPI_DOCUMENT: {
  readonly openapi: string;
  readonly components: Readonly<Record<string, unknown>>;
  readonly paths: Readonly<Record<string, unknown>>;
  readonly webhooks: Readonly<Record<string, unknown>>;
} = ${JSON.stringify(openApiDocument(), null, 2)};
`;
}
