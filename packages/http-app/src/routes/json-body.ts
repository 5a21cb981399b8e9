import type { Context } from "hono";
import type { UnofficialStatusCode } from "hono/utils/http-status";
import type { FieldIssue } from "../http-errors/envelope.js";
import { invalidRequest } from "../http-errors/http-error.js";
import { respondWithError } from "../http-errors/respond.js";
import type { AppEnv } from "./app-env.js";
import type { BoundedBody } from "./bounded-body.js";
import { readBody } from "./bounded-body.js";
import { WHOLE_BODY } from "./fields.js";
import type { NativeRequestAccess } from "./native-request.js";
import { requestHeader } from "./request-header.js";

/** 64 KiB: a full message with every field at its limit is under 3 KiB. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

const JSON_MEDIA_TYPE = "application/json";

const issue = (field: string, code: string, message: string): FieldIssue[] => [
  { field, code, message },
];

/**
 * `application/json`, any case, optionally followed by `;name=value` parameters: the rule
 * of @hono/zod-openapi (its `jsonRequestRegex`), which served this route before the app
 * became a plain Hono app, narrowed to plain JSON (no `+json` suffixes); kept, so that no
 * Content-Type is answered differently than it was. A bare `;`, a space before it or a
 * parameter without a value is malformed (RFC 9110 §8.3.1), not a different media type.
 */
const JSON_CONTENT_TYPE = /^application\/json(;\s*[a-zA-Z0-9-]+=[^;]+)*$/i;

/** Longest Content-Type quoted back in a refusal: a header can be kilobytes long. */
const MAX_QUOTED_CONTENT_TYPE = 80;

function unsupportedMediaType(contentType: string | undefined): FieldIssue[] {
  const given =
    contentType === undefined
      ? "missing"
      : JSON.stringify(
          contentType.length > MAX_QUOTED_CONTENT_TYPE
            ? `${contentType.slice(0, MAX_QUOTED_CONTENT_TYPE)}…`
            : contentType,
        );
  return issue(
    "Content-Type",
    "unsupported_media_type",
    `Content-Type must be ${JSON_MEDIA_TYPE}, optionally with parameters such as "; charset=utf-8", not ${given}`,
  );
}

/** Stateless between calls: `decode` without `{ stream: true }` starts afresh each time. */
const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true });

type BodyRead =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly reason: "invalid"; readonly issues: FieldIssue[] }
  | { readonly ok: false; readonly reason: "too_large"; readonly issues: FieldIssue[] }
  | { readonly ok: false; readonly reason: "client_gone" };

/**
 * Status and log code of a request whose client went away before its body arrived (nginx's
 * 499): nobody reads the answer, but the request log records the request as the client's
 * doing, at `warn`, instead of an unhandled error and a 500.
 */
export const CLIENT_CLOSED_REQUEST = { status: 499, code: "client_closed_request" } as const;

/**
 * Decodes a body read within `maxBytes` (see `readBoundedBytes`) as UTF-8, strictly.
 */
async function readBounded(read: BoundedBody, maxBytes: number): Promise<BodyRead> {
  if (read.kind === "client_gone") return { ok: false, reason: "client_gone" };
  if (read.kind === "too_large") {
    return {
      ok: false,
      reason: "too_large",
      issues: issue(
        WHOLE_BODY,
        "body_too_large",
        `the request body is larger than the limit of ${maxBytes} bytes`,
      ),
    };
  }
  try {
    return { ok: true, text: STRICT_UTF8.decode(read.bytes) };
  } catch {
    return {
      ok: false,
      reason: "invalid",
      issues: issue(WHOLE_BODY, "invalid_json", "the request body is not valid UTF-8"),
    };
  }
}

/**
 * Before anything looks at the body: `Content-Type: application/json`, at most `maxBytes`,
 * and valid JSON — each a 400 naming `Content-Type` or `body`. Reads and parses the body of
 * `c` once: the parsed value, which the send handler validates against the request schema,
 * or the answer that refuses the body. The stream is consumed, so nothing after this may
 * call `c.req.json()` or `c.req.text()`.
 *
 * A body refused as too large is answered with `Connection: close`: the rest of it may
 * still be on its way, and a runtime that drains it gives up after a while (Node's adapter
 * after 500 ms) and resets the connection, taking a keep-alive client's next request with
 * it. Closing tells the client to send that request on a new connection.
 */
export async function readJsonBody(
  c: Context<AppEnv>,
  maxBytes: number,
  native: NativeRequestAccess | undefined,
) {
  const requestId = c.get("requestId");
  const contentType = requestHeader(c, "Content-Type");
  if (contentType === undefined || !JSON_CONTENT_TYPE.test(contentType)) {
    return refusedBody(
      respondWithError(c, invalidRequest(unsupportedMediaType(contentType), requestId)),
    );
  }
  const read = await readBounded(await readBody(c, maxBytes, native), maxBytes);
  if (!read.ok) {
    if (read.reason === "client_gone") {
      c.set("errorCode", CLIENT_CLOSED_REQUEST.code);
      return refusedBody(c.body(null, CLIENT_CLOSED_REQUEST.status as UnofficialStatusCode));
    }
    const refusal = invalidRequest(read.issues, requestId);
    return refusedBody(
      respondWithError(
        c,
        read.reason === "too_large"
          ? { ...refusal, headers: { ...refusal.headers, Connection: "close" } }
          : refusal,
      ),
    );
  }
  try {
    return { ok: true, value: JSON.parse(read.text) as unknown } as const;
  } catch {
    return refusedBody(
      respondWithError(
        c,
        invalidRequest(
          issue(WHOLE_BODY, "invalid_json", "the request body is not valid JSON"),
          requestId,
        ),
      ),
    );
  }
}

const refusedBody = <R extends Response>(answer: R) => ({ ok: false, answer }) as const;
