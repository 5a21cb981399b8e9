import type { ButtonMessageInput, TextLimits } from "../src/index.js";

/**
 * The invariants of a ButtonMessage, restated from the issue and providers/README.md as an
 * oracle for the properties: each rule that an input breaks, as "code@path".
 */
export function violatedRules(input: ButtonMessageInput, limits: TextLimits): Set<string> {
  const broken = new Set<string>();
  const blank = (value: string) => !/\S/u.test(value);
  const checkText = (value: string, path: string, limit: number) => {
    if (blank(value)) broken.add(`empty@${path}`);
    if (value.length > limit) broken.add(`too_long@${path}`);
  };

  if (input.header !== undefined) checkText(input.header, "header", limits.header);
  checkText(input.body, "body", limits.body);
  if (input.footer !== undefined) checkText(input.footer, "footer", limits.footer);
  if (input.buttons.length === 0) broken.add("too_few_buttons@buttons");
  if (input.buttons.length > 3) broken.add("too_many_buttons@buttons");

  input.buttons.forEach(({ id, title }, index) => {
    const at = `buttons.${index}`;
    checkText(id, `${at}.id`, limits.buttonId);
    checkText(title, `${at}.title`, limits.buttonTitle);
    if (!blank(id) && /^\s|\s$/u.test(id)) broken.add(`surrounding_whitespace@${at}.id`);
    const earlier = input.buttons.slice(0, index);
    if (!blank(id) && earlier.some((other) => other.id === id)) broken.add(`duplicate_id@${at}.id`);
    if (!blank(title) && earlier.some((other) => other.title.trim() === title.trim())) {
      broken.add(`duplicate_title@${at}.title`);
    }
  });
  return broken;
}
