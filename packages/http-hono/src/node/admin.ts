#!/usr/bin/env node
// `replykit-admin`: the schema and the directories of a PostgreSQL store, from a shell.
import { parseArgs } from "node:util";
import { createPostgresStore, generateApiKey } from "@replykit/store-postgres";
import { createDriverContainer, registeredDrivers } from "../composition/drivers.js";
import { resolveEnvReferences } from "../config/load-config.js";

const USAGE = `Usage: replykit-admin <command> [arguments] [--database-url URL] [--schema NAME]

The database is --database-url, or REPLYKIT_DATABASE_URL, or DATABASE_URL.

Commands:
  migrate                                   apply the schema's migrations (safe to repeat)
  add-organization <id> [--name NAME]
  add-api-key <organizationId> <keyId>      generate a key, store its SHA-256, print the key once
  revoke-api-key <keyId>
  add-agent <organizationId> <agentId> [--name NAME]
  put-connection <organizationId> <connectionId> <provider> --options JSON
                                            add a connection, or replace its options; secrets
                                            may be "env:NAME", read by the server at run time
  add-conversation <organizationId> <conversationId> <connectionId> <recipient>`;

class UsageError extends Error {}

async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  const { positionals, values } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      "database-url": { type: "string" },
      schema: { type: "string" },
      name: { type: "string" },
      options: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help === true || command === undefined) return USAGE;
  const url = values["database-url"] ?? env.REPLYKIT_DATABASE_URL ?? env.DATABASE_URL;
  if (url === undefined)
    throw new UsageError("no database: pass --database-url or set DATABASE_URL");
  const argumentsOf = (count: number, names: string) => {
    if (rest.length !== count) throw new UsageError(`${command} takes ${names}`);
    return rest as string[];
  };
  const store = createPostgresStore({
    url,
    poolSize: 1,
    sweepIntervalMs: 0,
    ...(values.schema === undefined ? {} : { schema: values.schema }),
  });
  try {
    switch (command) {
      case "migrate": {
        argumentsOf(0, "no arguments");
        const { applied, version } = await store.migrate();
        return applied.length === 0
          ? `the schema is up to date (version ${version})`
          : `applied ${applied.join(", ")}: the schema is at version ${version}`;
      }
      case "add-organization": {
        const [id] = argumentsOf(1, "<id>") as [string];
        await store.admin.addOrganization({ id, name: values.name });
        return `organization ${id} added`;
      }
      case "add-api-key": {
        const [organizationId, id] = argumentsOf(2, "<organizationId> <keyId>") as [string, string];
        const key = generateApiKey();
        await store.admin.addApiKey({ id, organizationId, key });
        return `API key ${id} added to ${organizationId}; it is shown this once, only its SHA-256 is stored:\n${key}`;
      }
      case "revoke-api-key": {
        const [id] = argumentsOf(1, "<keyId>") as [string];
        if (!(await store.admin.revokeApiKey(id))) throw new UsageError(`no live API key ${id}`);
        return `API key ${id} revoked`;
      }
      case "add-agent": {
        const [organizationId, id] = argumentsOf(2, "<organizationId> <agentId>") as [
          string,
          string,
        ];
        await store.admin.addAgent({ id, organizationId, name: values.name });
        return `agent ${id} added to ${organizationId}`;
      }
      case "put-connection": {
        const [organizationId, id, provider] = argumentsOf(
          3,
          "<organizationId> <connectionId> <provider> --options JSON",
        ) as [string, string, string];
        const options = connectionOptions(provider, values.options, env);
        await store.admin.putChannelConnection({ id, organizationId, provider, options });
        return `channel connection ${id} (${provider}) saved in ${organizationId}`;
      }
      case "add-conversation": {
        const [organizationId, id, channelConnectionId, recipient] = argumentsOf(
          4,
          "<organizationId> <conversationId> <connectionId> <recipient>",
        ) as [string, string, string, string];
        await store.admin.addConversation({ id, organizationId, channelConnectionId, recipient });
        return `conversation ${id} added to ${organizationId}`;
      }
      default:
        throw new UsageError(`unknown command "${command}"\n\n${USAGE}`);
    }
  } finally {
    await store.close(1);
  }
}

/**
 * The options as given (so that `"env:NAME"` references stay references in the database),
 * after checking them, references resolved, against the provider's driver.
 */
function connectionOptions(
  provider: string,
  text: string | undefined,
  env: NodeJS.ProcessEnv,
): Record<string, unknown> {
  if (text === undefined) throw new UsageError("put-connection needs --options JSON");
  let options: unknown;
  try {
    options = JSON.parse(text);
  } catch {
    throw new UsageError("--options is not valid JSON");
  }
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new UsageError("--options must be a JSON object");
  }
  const driver = registeredDrivers(createDriverContainer()).find(
    (candidate) => candidate.provider === provider,
  );
  if (driver === undefined) throw new UsageError(`no driver for the provider "${provider}"`);
  const missing = new Map<string, string>();
  const resolved = resolveEnvReferences(options, env, "", missing);
  if (missing.size > 0) {
    const names = [...missing].map(([path, name]) => `${path}: ${name}`).join(", ");
    throw new UsageError(
      `set the variables the options name, to check them (they stay references in the database): ${names}`,
    );
  }
  const checked = driver.options.safeParse(resolved);
  if (!checked.success) {
    const problems = checked.error.issues.map(
      (issue) => `${issue.path.join(".") || "(options)"}: ${issue.message}`,
    );
    throw new UsageError(`invalid ${provider} options:\n  - ${problems.join("\n  - ")}`);
  }
  return options as Record<string, unknown>;
}

try {
  console.log(await main(process.argv.slice(2), process.env));
} catch (error) {
  // A constraint violation (duplicate id, unknown organization) is PostgreSQL's own message.
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = error instanceof UsageError ? 2 : 1;
}
