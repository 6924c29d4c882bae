/** Ids from URLs are checked before they reach PostgreSQL, where a malformed uuid is an error, not "none". */
export const isUuid = (id: string): boolean =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
