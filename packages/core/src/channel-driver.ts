import type * as z from "zod/mini";
import type { ChannelCapabilities } from "./capabilities.js";
import type { InboundDriver } from "./inbound/inbound-driver.js";
import type { ChannelPort } from "./ports/channel.js";

/**
 * The options of a driver, stated once: a zod object whose fields are the options a user
 * (or a configuration file) gives, and whose output has every default filled in. Made with
 * `zod/mini`, as replykit's drivers are, or with `zod`: what is used of it is what both have.
 */
export interface DriverOptionsSchema extends z.core.$ZodObject<z.core.$ZodShape, z.core.$strip> {
  readonly shape: z.core.$ZodShape;
  parse(data: unknown): z.output<this>;
  safeParse(data: unknown): z.core.util.SafeParseResult<z.output<this>>;
}

/**
 * Everything replykit knows about one provider, in one value: its name, its options (the
 * only place they are stated), what it can render, and how to make a channel for one
 * connection. `Env` is what the runtime gives every channel it makes (for HTTP drivers, the
 * transport). A server's configuration and its channel lookup are derived from the drivers
 * it registers, so a provider replykit does not ship is one more driver.
 */
export interface ChannelDriver<
  Provider extends string = string,
  Schema extends DriverOptionsSchema = DriverOptionsSchema,
  Env = unknown,
> {
  /** A short, stable name: the `provider` of a configured connection and of its channel. */
  readonly provider: Provider;
  readonly options: Schema;
  /** What a channel with these options can render; the use case checks a message against it. */
  capabilities(options: z.output<Schema>): ChannelCapabilities;
  /** A channel for one connection; `options` have been parsed by {@link options}. */
  create(options: z.output<Schema>, env: Env): ChannelPort;
  /** How the provider's webhooks (button taps, delivery statuses) are verified and read. */
  readonly inbound?: InboundDriver<z.output<Schema>>;
}

/** Any driver, as a registry holds them: each one's options are known to itself only. */
// Method parameters are bivariant, so every ChannelDriver is assignable to this.
export type AnyChannelDriver<Env = unknown> = ChannelDriver<string, DriverOptionsSchema, Env>;

/** Makes a driver: checks its provider name and freezes it. */
export function defineChannelDriver<
  const Provider extends string,
  Schema extends DriverOptionsSchema,
  Env = unknown,
>(driver: ChannelDriver<Provider, Schema, Env>): ChannelDriver<Provider, Schema, Env> {
  if (!/^[a-z][a-z0-9-]{0,31}$/.test(driver.provider)) {
    throw new TypeError(
      `a driver's provider must be 1–32 lower-case letters, digits or dashes, starting with a letter, not ${JSON.stringify(driver.provider)}`,
    );
  }
  return Object.freeze({ ...driver });
}

/**
 * Parses `input` with the driver's options schema and makes the channel. Throws one
 * `Error` listing every problem (`"<provider>: invalid options: …"`), naming the option and
 * the rule, never the value given: it may be a credential.
 */
export function createChannel<Schema extends DriverOptionsSchema, Env>(
  driver: ChannelDriver<string, Schema, Env>,
  input: z.input<Schema>,
  env: Env,
): ChannelPort {
  const parsed = driver.options.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) =>
      issue.path.length === 0 ? issue.message : `${issue.path.join(".")}: ${issue.message}`,
    );
    throw new Error(`${driver.provider}: invalid options: ${problems.join("; ")}`);
  }
  return driver.create(parsed.data, env);
}
