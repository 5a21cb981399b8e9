/** Thrown inside the scanner to stop at the first error. */
class SyntaxErrorAt {
  constructor(readonly offset: number) {}
}

/**
 * Where JSON text first breaks the grammar (RFC 8259), as an offset into the text: what a
 * configuration error can say instead of the engine's message, which quotes the text around
 * the error (V8: `Unexpected token 'S', ..."wtSecret":SUPERSECRE"...`) and so may quote a
 * secret. Only called once `JSON.parse` has failed; `undefined` if no error is found here
 * (the two would then disagree, and no position is better than a wrong one).
 */
export function jsonSyntaxErrorOffset(text: string): number | undefined {
  let at = 0;
  const fail = (): never => {
    throw new SyntaxErrorAt(at);
  };
  const skipWhitespace = () => {
    while (at < text.length && " \t\n\r".includes(text.charAt(at))) at += 1;
  };
  const expect = (literal: string) => {
    for (const character of literal) {
      if (text.charAt(at) !== character) fail();
      at += 1;
    }
  };
  const digits = (atLeastOne: boolean) => {
    const start = at;
    while (at < text.length && text.charAt(at) >= "0" && text.charAt(at) <= "9") at += 1;
    if (atLeastOne && at === start) fail();
  };
  const string = () => {
    expect('"');
    for (;;) {
      if (at >= text.length) fail();
      const code = text.charCodeAt(at);
      if (code === 0x22) {
        at += 1;
        return;
      }
      if (code < 0x20) fail();
      if (code === 0x5c) {
        at += 1;
        const escaped = text.charAt(at);
        if (escaped === "u") {
          at += 1;
          for (let index = 0; index < 4; index += 1) {
            if (!/^[0-9a-fA-F]$/.test(text.charAt(at))) fail();
            at += 1;
          }
        } else if (escaped !== "" && '"\\/bfnrt'.includes(escaped)) at += 1;
        else fail();
      } else at += 1;
    }
  };
  const number = () => {
    if (text.charAt(at) === "-") at += 1;
    if (text.charAt(at) === "0") at += 1;
    else digits(true);
    if (text.charAt(at) === ".") {
      at += 1;
      digits(true);
    }
    if (text.charAt(at) === "e" || text.charAt(at) === "E") {
      at += 1;
      if (text.charAt(at) === "+" || text.charAt(at) === "-") at += 1;
      digits(true);
    }
  };
  // Iterative over containers, so that deep nesting cannot overflow the stack here.
  const value = () => {
    const closers: string[] = [];
    for (;;) {
      skipWhitespace();
      const character = text.charAt(at);
      if (character === "{" || character === "[") {
        at += 1;
        skipWhitespace();
        const closer = character === "{" ? "}" : "]";
        if (text.charAt(at) === closer) at += 1;
        else {
          closers.push(closer);
          if (closer === "}") {
            string();
            skipWhitespace();
            expect(":");
          }
          continue;
        }
      } else if (character === '"') string();
      else if (character === "t") expect("true");
      else if (character === "f") expect("false");
      else if (character === "n") expect("null");
      else if (character === "-" || (character >= "0" && character <= "9")) number();
      else fail();
      // A value ended: close every container it ends, or go on to the next member.
      for (;;) {
        const closer = closers.at(-1);
        if (closer === undefined) return;
        skipWhitespace();
        if (text.charAt(at) === closer) {
          at += 1;
          closers.pop();
          continue;
        }
        expect(",");
        if (closer === "}") {
          skipWhitespace();
          string();
          skipWhitespace();
          expect(":");
        }
        break;
      }
    }
  };
  try {
    value();
    skipWhitespace();
    if (at < text.length) fail();
  } catch (error) {
    if (error instanceof SyntaxErrorAt) return error.offset;
    throw error;
  }
  return undefined;
}

/** 1-based line and column of an offset, counting `\n`, `\r\n` and `\r` as line ends. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
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
