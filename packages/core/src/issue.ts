/**
 * A stable, machine-readable name for one way a message can be invalid. These strings are
 * part of the public API: callers switch on them, so they never change meaning.
 */
export type IssueCode =
  | "invalid_type"
  | "too_few_buttons"
  | "too_many_buttons"
  | "empty"
  | "too_long"
  | "surrounding_whitespace"
  | "duplicate_id"
  | "duplicate_title"
  | "unsupported_field";

export type IssuePath = readonly (string | number)[];

export interface Issue {
  readonly code: IssueCode;
  /** Where the problem is, e.g. `["buttons", 1, "title"]`. */
  readonly path: IssuePath;
  /** A sentence for humans; do not parse it. */
  readonly message: string;
  /**
   * The provider error code this issue corresponds to, when the contract fixes one: a
   * message with 4 or more buttons is Meta's `131009` ("parameter value is not valid").
   */
  readonly providerCode?: number;
}

/** Meta's "parameter value is not valid" code, which the contract returns for 4+ buttons. */
export const TOO_MANY_BUTTONS_PROVIDER_CODE = 131009;

/**
 * Adds `issue` to `issues`, making the list on the first one: rules that find nothing
 * allocate nothing, which is all a valid message costs.
 */
export function withIssue(issues: Issue[] | undefined, issue: Issue): Issue[] {
  if (issues === undefined) return [issue];
  issues.push(issue);
  return issues;
}
