import { randomBytes } from "node:crypto";

// Every id carries at least 80 random bits, so repeats within a test run are negligible
// without keeping a registry of issued ids.

/** Shaped like Meta's ids: `wamid.` followed by base64 (Meta's encode a protobuf). */
export function freshWamid(): string {
  return `wamid.${randomBytes(24).toString("base64url")}`;
}

/** Upper-case hex, the form of Z-API's `zaapId`/`messageId` and of WhatsApp Web message ids. */
export function freshHexId(byteCount: number): string {
  return randomBytes(byteCount).toString("hex").toUpperCase();
}

export function freshFbtraceId(): string {
  return randomBytes(16).toString("base64url").slice(0, 23);
}
