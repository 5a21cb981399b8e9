import { describe, expect, it } from "vitest";
import { batchedLineWriter } from "../src/node/log-writer.js";

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe("batchedLineWriter", () => {
  it("writes the lines of a turn in one write after it, each on its own line", async () => {
    const writes: string[] = [];
    const writer = batchedLineWriter({ write: (text: string) => writes.push(text) });
    writer.write('{"a":1}');
    writer.write('{"b":2}');
    expect(writes).toEqual([]);
    await nextTurn();
    expect(writes).toEqual(['{"a":1}\n{"b":2}\n']);
    writer.write('{"c":3}');
    await nextTurn();
    expect(writes).toEqual(['{"a":1}\n{"b":2}\n', '{"c":3}\n']);
  });

  it("writes at once when flushed, and when a burst would queue too many lines", async () => {
    const writes: string[] = [];
    const writer = batchedLineWriter({ write: (text: string) => writes.push(text) });
    writer.write("x");
    writer.flush();
    expect(writes).toEqual(["x\n"]);
    for (let i = 0; i < 1_024; i += 1) writer.write(String(i));
    expect(writes).toHaveLength(2);
    expect(writes[1]?.split("\n")).toHaveLength(1_025);
    await nextTurn();
    expect(writes).toHaveLength(2);
  });
});
