// A phone number as people type or store it: an optional leading "+", then digits with
// whitespace, dashes, dots and parentheses between them for readability, and at least one
// digit. Surrounding whitespace is ignored.
const WRITTEN_PHONE_NUMBER = /^\+?[\d\s().-]*\d[\d\s().-]*$/;

/**
 * The digits of a recipient written as a phone number (`"+55 (11) 99999-9999"` →
 * `"5511999999999"`), the form every WhatsApp provider wants; `undefined` for anything else
 * (a JID such as `…@s.whatsapp.net`, a group id, a typo), which each adapter passes on by its
 * provider's own rule rather than guess at it. The country code must already be there: it
 * cannot be told from the digits.
 */
export function phoneDigits(recipient: string): string | undefined {
  if (isDigits(recipient)) return recipient;
  const trimmed = recipient.trim();
  return WRITTEN_PHONE_NUMBER.test(trimmed) ? trimmed.replace(/\D/g, "") : undefined;
}

/**
 * Whether `text` is ASCII digits only, and not empty: how recipients are mostly stored, and
 * already their own digits, which a loop tells cheaper than the pattern above.
 */
function isDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 0x30 || code > 0x39) return false;
  }
  return true;
}
