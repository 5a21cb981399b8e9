import type { SendButtonsRequest } from "./schemas.js";

type Writable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The request body as `SendButtonsRequestSchema` would return it, when the body is valid:
 * a plain object whose own keys are all fields of the contract, every value a string, the
 * required ones given, buttons in pairs and without gaps. Anything else is `undefined`,
 * and zod's own parse then decides and says what is wrong — so this may leave a valid body
 * to zod (a class instance, a key whose value is `undefined`), but must never accept one zod
 * would refuse, nor return anything zod would not: the same fields, in the schema's order. A
 * property test holds the two together (test/request-fast-path.property.test.ts).
 */
export function parseValidRequest(input: unknown): SendButtonsRequest | undefined {
  if (typeof input !== "object" || input === null) return undefined;
  if (Object.getPrototypeOf(input) !== Object.prototype) return undefined;
  const {
    agentId,
    conversationId,
    header_text,
    body_text,
    footer_text,
    button_1_id,
    button_1_title,
    button_2_id,
    button_2_title,
    button_3_id,
    button_3_title,
  } = input as Record<string, unknown>;
  if (
    typeof agentId !== "string" ||
    typeof conversationId !== "string" ||
    typeof body_text !== "string" ||
    typeof button_1_id !== "string" ||
    typeof button_1_title !== "string"
  ) {
    return undefined;
  }
  // A pair half given, or button 3 without button 2: the refinement's to report.
  if (
    (button_2_id === undefined) !== (button_2_title === undefined) ||
    (button_3_id === undefined) !== (button_3_title === undefined) ||
    (button_3_id !== undefined && button_2_id === undefined)
  ) {
    return undefined;
  }
  let fields = 5;
  // Filled in the schema's order, as zod fills its output; complete once body_text is set.
  const body = { agentId, conversationId } as Writable<SendButtonsRequest>;
  if (header_text !== undefined) {
    if (typeof header_text !== "string") return undefined;
    body.header_text = header_text;
    fields += 1;
  }
  body.body_text = body_text;
  if (footer_text !== undefined) {
    if (typeof footer_text !== "string") return undefined;
    body.footer_text = footer_text;
    fields += 1;
  }
  body.button_1_id = button_1_id;
  body.button_1_title = button_1_title;
  if (button_2_id !== undefined) {
    if (typeof button_2_id !== "string" || typeof button_2_title !== "string") return undefined;
    body.button_2_id = button_2_id;
    body.button_2_title = button_2_title;
    fields += 2;
  }
  if (button_3_id !== undefined) {
    if (typeof button_3_id !== "string" || typeof button_3_title !== "string") return undefined;
    body.button_3_id = button_3_id;
    body.button_3_title = button_3_title;
    fields += 2;
  }
  // Every key counted, inherited enumerable ones too, as zod's strict check sees them: one
  // that is not a field read above (unknown, or given as `undefined`) makes the counts differ.
  let keys = 0;
  for (const _key in input) keys += 1;
  return keys === fields ? body : undefined;
}
