import { MAX_BUTTONS, TOO_MANY_BUTTONS_PROVIDER_CODE } from "@replykit/core";
import type * as z from "zod/mini";
import type { FieldIssue } from "../http-errors/envelope.js";
import { extraButtonNumber, WHOLE_BODY } from "./fields.js";

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const describeType = (value: unknown): string =>
  value === null ? "null" : Array.isArray(value) ? "array" : typeof value;

function unknownField(field: string): FieldIssue {
  const extra = extraButtonNumber(field);
  if (extra !== undefined) {
    return {
      field,
      code: "too_many_buttons",
      message: `${field}: at most ${MAX_BUTTONS} buttons are allowed (error ${TOO_MANY_BUTTONS_PROVIDER_CODE})`,
      providerCode: TOO_MANY_BUTTONS_PROVIDER_CODE,
    };
  }
  // Quoted: the unknown key may be empty or odd, and must stay readable in the message.
  return {
    field,
    code: "unknown_field",
    message: `${JSON.stringify(field)} is not a field of this request`,
  };
}

function refinementCode(issue: z.core.$ZodIssue): string | undefined {
  if (issue.code !== "custom") return undefined;
  const code = issue.params?.code;
  return typeof code === "string" ? code : undefined;
}

/**
 * The body's zod issues as issues naming the contract's flat fields: an unknown key is
 * `unknown_field` (or `too_many_buttons` with 131009 for `button_4_*` and beyond), a
 * missing required field `missing_field`, a value of the wrong type `invalid_type`.
 * `input` is the parsed JSON, to tell a missing field from a mistyped one.
 */
export function bodyIssues(issues: readonly z.core.$ZodIssue[], input: unknown): FieldIssue[] {
  return issues.flatMap((issue): FieldIssue[] => {
    const [field] = issue.path;
    if (issue.code === "unrecognized_keys") return issue.keys.map(unknownField);
    if (typeof field !== "string") {
      return [
        {
          field: WHOLE_BODY,
          code: "invalid_type",
          message: `the request body must be a JSON object, not ${describeType(input)}`,
        },
      ];
    }
    const custom = refinementCode(issue);
    if (custom !== undefined) return [{ field, code: custom, message: issue.message }];
    if (issue.code === "invalid_type") {
      const value = isRecord(input) ? input[field] : undefined;
      return value === undefined
        ? [{ field, code: "missing_field", message: `${field} is required` }]
        : [
            {
              field,
              code: "invalid_type",
              message: `${field} must be a string, not ${describeType(value)}`,
            },
          ];
    }
    return [{ field, code: "invalid_value", message: `${field}: ${issue.message}` }];
  });
}

/** Header issues (only `Idempotency-Key` can be wrong), naming the header. */
export function headerIssues(issues: readonly z.core.$ZodIssue[]): FieldIssue[] {
  return issues.map((issue) => {
    const field = typeof issue.path[0] === "string" ? issue.path[0] : "headers";
    return { field, code: "invalid_header", message: issue.message };
  });
}
