/**
 * Whether two byte strings are equal, in a time that depends only on their lengths: every
 * byte is read and no branch depends on the data, so a caller cannot learn from timing how
 * many leading bytes of a guess were right.
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  const length = Math.max(a.length, b.length);
  let difference = a.length ^ b.length;
  for (let index = 0; index < length; index += 1) {
    difference |= (a[index] ?? 0) ^ (b[index] ?? 0);
  }
  return difference === 0;
}
