import { createMiddleware } from "hono/factory";
import type { FieldIssue } from "../http-errors/envelope.js";
import { invalidRequest } from "../http-errors/http-error.js";
import { respondWithError } from "../http-errors/respond.js";
import type { AppEnv } from "./app-env.js";
import { WHOLE_BODY } from "./fields.js";

/** 64 KiB: a full message with every field at its limit is under 3 KiB. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

const JSON_MEDIA_TYPE = "application/json";

const issue = (field: string, code: string, message: string): FieldIssue[] => [
  { field, code, message },
];

type BodyRead =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly issues: FieldIssue[] };

/**
 * Reads at most `maxBytes` of the body, counting what actually arrives (a `Content-Length`
 * above the limit is refused without reading), and decodes it as UTF-8.
 */
async function readBounded(request: Request, maxBytes: number): Promise<BodyRead> {
  const tooLarge = (): BodyRead => ({
    ok: false,
    issues: issue(
      WHOLE_BODY,
      "body_too_large",
      `the request body is larger than the limit of ${maxBytes} bytes`,
    ),
  });
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (Number.isFinite(declared) && declared > maxBytes) return tooLarge();
  if (request.body === null) return { ok: true, text: "" };

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return { ok: true, text: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
  } catch {
    return {
      ok: false,
      issues: issue(WHOLE_BODY, "invalid_json", "the request body is not valid UTF-8"),
    };
  }
}

/**
 * Before the zod validator sees the body: `Content-Type: application/json`, at most
 * `maxBytes`, and valid JSON — each a 400 naming `Content-Type` or `body`. The request is
 * then rebuilt from the text read, so that the validator reads it again without the stream.
 */
export const jsonBody = (maxBytes: number) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const requestId = c.get("requestId");
    const mediaType = c.req.header("Content-Type")?.split(";")[0]?.trim().toLowerCase();
    if (mediaType !== JSON_MEDIA_TYPE) {
      return respondWithError(
        c,
        invalidRequest(
          issue(
            "Content-Type",
            "unsupported_media_type",
            `Content-Type must be ${JSON_MEDIA_TYPE}, not ${mediaType ?? "missing"}`,
          ),
          requestId,
        ),
      );
    }
    const read = await readBounded(c.req.raw, maxBytes);
    if (!read.ok) return respondWithError(c, invalidRequest(read.issues, requestId));
    try {
      c.set("jsonBody", JSON.parse(read.text));
    } catch {
      return respondWithError(
        c,
        invalidRequest(
          issue(WHOLE_BODY, "invalid_json", "the request body is not valid JSON"),
          requestId,
        ),
      );
    }
    c.req.raw = new Request(c.req.raw, { body: read.text });
    await next();
  });
