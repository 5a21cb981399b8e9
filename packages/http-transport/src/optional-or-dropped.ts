import * as z from "zod/mini";

/**
 * An optional field of a provider's JSON that is dropped (`undefined`) when malformed rather
 * than failing the whole body: a field we only quote must not cost us the ones we need.
 * What `z.catch(z.optional(schema), undefined)` does, without `z.catch`, which brings all of
 * zod's utilities into a bundle (it reaches them through a namespace no bundler can trim).
 */
export function optionalOrDropped<Schema extends z.ZodMiniType>(schema: Schema) {
  return z.union([
    z.optional(schema),
    z.pipe(
      z.unknown(),
      z.transform(() => undefined),
    ),
  ]);
}
