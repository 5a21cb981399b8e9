/**
 * Length limits of a reply-button message, in UTF-16 code units (JavaScript's `.length`).
 *
 * Why code units: an emoji such as "👍" is 1 grapheme, 1 code point and 2 code units. Code
 * units are the largest of the three counts, so a text that fits here fits whichever count
 * a provider applies, and a message we accept is never rejected upstream for its length.
 */
export interface TextLimits {
  readonly buttonTitle: number;
  readonly buttonId: number;
  readonly body: number;
  readonly header: number;
  readonly footer: number;
}

/** Meta WhatsApp Cloud API limits for `interactive.type = "button"` messages. */
export const WHATSAPP_CLOUD_LIMITS: TextLimits = Object.freeze({
  buttonTitle: 20,
  buttonId: 256,
  body: 1024,
  header: 60,
  footer: 60,
});

/** Reply-button messages carry between 1 and this many buttons on every provider. */
export const MAX_BUTTONS = 3;
