/** A query cursor's batches, each row mapped: how the books and the archive read a month they cannot hold. */
export async function* mappedBatches<R, T>(
  cursor: AsyncIterable<R[]>,
  map: (row: R) => T,
): AsyncGenerator<T[]> {
  for await (const rows of cursor) yield rows.map(map);
}
