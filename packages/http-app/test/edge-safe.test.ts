import { readdir, readFile } from "node:fs/promises";
import { builtinModules } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const packageRoot = join(import.meta.dirname, "..");

async function sourceFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => join(entry.parentPath, entry.name));
}

const imported = (source: string): string[] =>
  [...source.matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)].map((match) => match[1] ?? "");

describe("@replykit/http-app is edge-safe", () => {
  it("imports no Node built-in, Node-only server or HTTP client anywhere in its sources", async () => {
    const nodeOnly = new Set([...builtinModules, "@hono/node-server", "undici", "tsyringe"]);
    const offenders: string[] = [];
    for (const file of await sourceFiles(join(packageRoot, "src"))) {
      for (const specifier of imported(await readFile(file, "utf8"))) {
        const bare = specifier.replace(/^node:/, "");
        if (specifier.startsWith("node:") || nodeOnly.has(bare) || nodeOnly.has(specifier)) {
          offenders.push(`${file}: ${specifier}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it("depends on neither the provider simulator, nor a config or DI package, nor an adapter", async () => {
    const manifest = JSON.parse(await readFile(join(packageRoot, "package.json"), "utf8")) as {
      dependencies?: Record<string, string>;
    };
    const dependencies = Object.keys(manifest.dependencies ?? {});
    expect(
      dependencies.filter((name) => /simulator|adapters-|tsyringe|undici|node-server/.test(name)),
    ).toEqual([]);
  });
});
