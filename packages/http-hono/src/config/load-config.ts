import * as z from "zod/mini";
import english from "zod/v4/locales/en.js";
import { BUILT_IN_DRIVERS, type ServerChannelDriver } from "../composition/built-in-drivers.js";
import { type ServerConfig, serverConfigSchema, serverConfigSchemaFor } from "./schema.js";

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

const ENV_REFERENCE = /^env:([A-Za-z_][A-Za-z0-9_]*)$/;

/**
 * Replaces every `"env:NAME"` string with the variable's value; each missing one is added
 * to `missing` (path → variable name).
 */
export function resolveEnvReferences(
  value: unknown,
  env: Readonly<Record<string, string | undefined>>,
  path: string,
  missing: Map<string, string>,
): unknown {
  if (typeof value === "string") {
    const match = ENV_REFERENCE.exec(value);
    if (match === null) return value;
    const name = match[1] as string;
    const resolved = env[name];
    if (resolved === undefined || resolved === "") missing.set(path, name);
    return resolved ?? "";
  }
  if (Array.isArray(value))
    return value.map((item, index) => resolveEnvReferences(item, env, `${path}.${index}`, missing));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        resolveEnvReferences(item, env, path ? `${path}.${key}` : key, missing),
      ]),
    );
  }
  return value;
}

let englishMessages: z.core.$ZodErrorMap | undefined;

/**
 * zod's English messages ("Invalid input: expected string, received number"), which
 * classic zod sets for the whole process and zod/mini never does: without them, the
 * Workers entry, which loads no classic zod, would say "Invalid input" for every problem.
 * A locale or error map the process configured itself (`z.config`) still wins.
 */
const inEnglishByDefault: z.core.$ZodErrorMap = (issue) => {
  const configured = z.config();
  if (configured.customError !== undefined || configured.localeError !== undefined) {
    return undefined;
  }
  englishMessages ??= english().localeError;
  return englishMessages(issue);
};

/**
 * Validates a parsed configuration file. Every problem is reported at once, each with its
 * path, and never with a secret's value: only names and positions are quoted.
 */
export function parseServerConfig(
  raw: unknown,
  env: Readonly<Record<string, string | undefined>> = {},
  drivers: readonly ServerChannelDriver[] = BUILT_IN_DRIVERS,
): ServerConfig {
  const missing = new Map<string, string>();
  const resolved = resolveEnvReferences(raw, env, "", missing);
  const schema = drivers === BUILT_IN_DRIVERS ? serverConfigSchema : serverConfigSchemaFor(drivers);
  const parsed = schema.safeParse(resolved, { error: inEnglishByDefault });
  const problems = [
    ...[...missing].map(([path, name]) => `${path}: environment variable ${name} is not set`),
    ...(parsed.success
      ? []
      : parsed.error.issues
          // A missing variable leaves an empty string the schema also refuses: say it once.
          .filter((issue) => !missing.has(issue.path.join(".")))
          .map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`)),
  ];
  if (problems.length > 0 || !parsed.success) {
    throw new ConfigError(`invalid replykit configuration:\n  - ${problems.join("\n  - ")}`);
  }
  return parsed.data;
}

/**
 * Reads the configuration from JSON text (a file's content or an environment variable). Its
 * connections may name the provider of any of `drivers` (the built-in ones by default).
 */
export function parseServerConfigJson(
  text: string,
  env: Readonly<Record<string, string | undefined>> = {},
  drivers: readonly ServerChannelDriver[] = BUILT_IN_DRIVERS,
): ServerConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    // Never the engine's message: for some errors it quotes the text around the mistake,
    // which may be a secret. Only the position it names, digits alone, is kept.
    const position = /\bposition (\d+)\b/.exec((error as Error).message)?.[1];
    let where = "";
    if (position !== undefined) {
      const offset = Number(position);
      const { line, column } = lineAndColumn(text, offset);
      where = `: syntax error at line ${line}, column ${column} (position ${offset})`;
    }
    throw new ConfigError(`the replykit configuration is not valid JSON${where}`);
  }
  return parseServerConfig(raw, env, drivers);
}

/** The 1-based line and column of a character offset; `\r\n`, `\r` and `\n` end a line. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let index = 0; index < offset && index < text.length; index += 1) {
    const character = text.charAt(index);
    if (character === "\n" || (character === "\r" && text.charAt(index + 1) !== "\n")) {
      line += 1;
      lineStart = index + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
