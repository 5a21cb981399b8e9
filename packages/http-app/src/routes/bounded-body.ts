import type { Context } from "hono";
import type { NativeRequestAccess } from "./native-request.js";

export type BoundedBody =
  | { readonly kind: "read"; readonly bytes: Uint8Array<ArrayBuffer> }
  | { readonly kind: "too_large" }
  /** The body stream failed: the client hung up (or the server cut a body too slow). */
  | { readonly kind: "client_gone" };

/**
 * Reads a request body once, at most `maxBytes` of it, counting what actually arrives (a
 * `Content-Length` above the limit is refused without reading a byte).
 */
export async function readBoundedBytes(request: Request, maxBytes: number): Promise<BoundedBody> {
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (Number.isFinite(declared) && declared > maxBytes) return { kind: "too_large" };
  if (request.body === null) return { kind: "read", bytes: new Uint8Array(0) };

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let read: ReadableStreamReadResult<Uint8Array>;
    try {
      read = await reader.read();
    } catch {
      return { kind: "client_gone" };
    }
    if (read.done) break;
    size += read.value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return { kind: "too_large" };
    }
    chunks.push(read.value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { kind: "read", bytes };
}

/**
 * Reads the body of `c` at most `maxBytes` of it: from the runtime's own request when
 * `native` can (the Node server's), else from the Web-standard `Request`.
 */
export function readBody(
  c: Context,
  maxBytes: number,
  native: NativeRequestAccess | undefined,
): Promise<BoundedBody> {
  return native?.readBody?.(c.env, maxBytes) ?? readBoundedBytes(c.req.raw, maxBytes);
}
