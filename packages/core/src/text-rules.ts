import type { Issue, IssuePath } from "./issue.js";

/** The same notion of whitespace as `String.prototype.trim`, which is what Meta strips. */
export const isBlank = (text: string): boolean => text.trim().length === 0;

const hasSurroundingWhitespace = (text: string): boolean => text.trim() !== text;

const describe = (path: IssuePath): string => path.join(".");

/**
 * Issues of one text field: blank, or longer than `limit` code units. Both are reported
 * when both hold, so a caller sees every rule the value breaks at once.
 */
export function textIssues(text: string, path: IssuePath, limit: number): Issue[] {
  const issues: Issue[] = [];
  if (isBlank(text)) {
    issues.push({ code: "empty", path, message: `${describe(path)} must not be empty or blank` });
  }
  if (text.length > limit) {
    issues.push({
      code: "too_long",
      path,
      message: `${describe(path)} is ${text.length} characters long; the limit is ${limit}`,
    });
  }
  return issues;
}

/** Meta refuses a button id with leading or trailing whitespace. */
export function surroundingWhitespaceIssue(text: string, path: IssuePath): Issue | undefined {
  if (isBlank(text) || !hasSurroundingWhitespace(text)) return undefined;
  return {
    code: "surrounding_whitespace",
    path,
    message: `${describe(path)} must not start or end with whitespace`,
  };
}
