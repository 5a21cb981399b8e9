/**
 * Runs `deleteBatch` (a `DELETE` of at most `batchSize` rows, found through an index) until
 * one deletes fewer than `batchSize`: a sweep in short transactions, never one long lock
 * over a whole table. The number of rows deleted.
 */
export async function deleteInBatches(
  batchSize: number,
  deleteBatch: () => Promise<{ readonly count: number }>,
): Promise<number> {
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batchSize must be a positive integer, not ${batchSize}`);
  }
  let total = 0;
  for (;;) {
    const { count } = await deleteBatch();
    total += count;
    if (count < batchSize) return total;
  }
}
