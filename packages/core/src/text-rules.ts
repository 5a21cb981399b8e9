import { type Issue, type IssuePath, withIssue } from "./issue.js";

/** A text of the message itself. */
export type MessageField = "header" | "body" | "footer";
/** A text of one reply button. */
export type ButtonField = "id" | "title";

/** Where a text is: a message field, or a button field of the button at `buttonIndex`. */
export function fieldPath(field: MessageField | ButtonField, buttonIndex: number): IssuePath {
  return field === "id" || field === "title" ? ["buttons", buttonIndex, field] : [field];
}

const describe = (path: IssuePath): string => path.join(".");

/**
 * The rules of one text: blank (by the notion of whitespace of `String.prototype.trim`,
 * which is what Meta strips), or longer than `limit` code units. Both are reported when both
 * hold, so a caller sees every rule the value breaks at once. `trimmed` is `text.trim()`,
 * which callers need for other rules too: it is computed once per text.
 */
export function withTextIssues(
  issues: Issue[] | undefined,
  text: string,
  trimmed: string,
  limit: number,
  field: MessageField | ButtonField,
  buttonIndex: number,
): Issue[] | undefined {
  let found = issues;
  if (trimmed.length === 0) {
    const path = fieldPath(field, buttonIndex);
    found = withIssue(found, {
      code: "empty",
      path,
      message: `${describe(path)} must not be empty or blank`,
    });
  }
  if (text.length > limit) {
    const path = fieldPath(field, buttonIndex);
    found = withIssue(found, {
      code: "too_long",
      path,
      message: `${describe(path)} is ${text.length} characters long; the limit is ${limit}`,
    });
  }
  return found;
}

/**
 * Meta refuses a button id with leading or trailing whitespace. A blank id is only `empty`:
 * it has no text to surround.
 */
export function withSurroundingWhitespaceIssue(
  issues: Issue[] | undefined,
  id: string,
  trimmed: string,
  buttonIndex: number,
): Issue[] | undefined {
  if (trimmed.length === 0 || trimmed.length === id.length) return issues;
  const path = fieldPath("id", buttonIndex);
  return withIssue(issues, {
    code: "surrounding_whitespace",
    path,
    message: `${describe(path)} must not start or end with whitespace`,
  });
}
