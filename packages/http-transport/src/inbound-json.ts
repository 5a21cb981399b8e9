import type { ParsedInbound } from "@replykit/core";
import { oneLine } from "./provider-text.js";

// Small readers for webhook bodies of unknown shape: a parser built on them never throws.

export const ignored = (reason: string): ParsedInbound => ({ kind: "ignored", reason });

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export const nonEmptyString = (value: unknown): string | undefined =>
  typeof value === "string" && value !== "" ? value : undefined;

/** What a value is, for a reason: never the value itself. */
export function kindOf(value: unknown): string {
  if (value === undefined) return "no JSON body";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}

/** A provider's word in a reason: on one line, at most 64 code points, quoted. */
export function quoteWord(text: string): string {
  const codePoints = Array.from(oneLine(text));
  return JSON.stringify(
    codePoints.length <= 64 ? codePoints.join("") : `${codePoints.slice(0, 63).join("")}…`,
  );
}
