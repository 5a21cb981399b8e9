import { type Issue, TOO_MANY_BUTTONS_PROVIDER_CODE, withIssue } from "./issue.js";

/**
 * The issue of a number of buttons against a maximum (3 in the domain, less on some
 * channels), added to `issues`; `issues` as they were when the count fits.
 */
export function withButtonCountIssue(
  issues: Issue[] | undefined,
  count: number,
  maxButtons: number,
): Issue[] | undefined {
  if (count === 0) {
    return withIssue(issues, {
      code: "too_few_buttons",
      path: ["buttons"],
      message: "at least 1 button is required",
    });
  }
  if (count > maxButtons) {
    return withIssue(issues, {
      code: "too_many_buttons",
      path: ["buttons"],
      message: `${count} buttons given; at most ${maxButtons} are allowed (error ${TOO_MANY_BUTTONS_PROVIDER_CODE})`,
      providerCode: TOO_MANY_BUTTONS_PROVIDER_CODE,
    });
  }
  return issues;
}
