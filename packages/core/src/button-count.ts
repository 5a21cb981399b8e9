import { type Issue, TOO_MANY_BUTTONS_PROVIDER_CODE } from "./issue.js";

/** Issues of the number of buttons against a maximum (3 in the domain, less on some channels). */
export function buttonCountIssues(count: number, maxButtons: number): Issue[] {
  if (count === 0) {
    return [
      { code: "too_few_buttons", path: ["buttons"], message: "at least 1 button is required" },
    ];
  }
  if (count > maxButtons) {
    return [
      {
        code: "too_many_buttons",
        path: ["buttons"],
        message: `${count} buttons given; at most ${maxButtons} are allowed (error ${TOO_MANY_BUTTONS_PROVIDER_CODE})`,
        providerCode: TOO_MANY_BUTTONS_PROVIDER_CODE,
      },
    ];
  }
  return [];
}
