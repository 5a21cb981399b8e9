import type { z } from "zod";

export type SchemaIssue = z.core.$ZodIssue;

/** The value found at a zod issue path in the original input, `undefined` when absent. */
export function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** Providers report one problem per request; the first issue stands for all of them. */
export function firstIssue(error: z.ZodError): SchemaIssue | undefined {
  return error.issues[0];
}

/** Missing means absent or null: what providers call a "required parameter". */
export function isMissing(input: unknown, issue: SchemaIssue): boolean {
  const value = valueAt(input, issue.path);
  return value === undefined || value === null;
}
