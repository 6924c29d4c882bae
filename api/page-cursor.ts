import { z } from 'zod';
import { invalidRequest } from './validation.js';

/** Where a page of a newest-first list ended: the last row's creation time and id. */
const Cursor = z.object({ createdAt: z.iso.datetime({ offset: true }), id: z.uuid() });
export type PageCursor = z.infer<typeof Cursor>;

/** A cursor the API handed out; anything else is a 400 naming `query.cursor`, not a 500. */
export function decodeCursor(cursor: string): PageCursor {
  try {
    return Cursor.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw invalidRequest(
      [{ path: 'query.cursor', rule: 'cursor', message: 'use nextCursor from the previous page' }],
      'cursor is not one this API handed out.',
    );
  }
}

/** The next page's cursor when this page is full, else null (the list has no more). */
export function nextCursor(rows: Array<{ createdAt: string; id: string }>, limit: number): string | null {
  const last = rows.at(-1);
  return rows.length === limit && last
    ? Buffer.from(JSON.stringify({ createdAt: last.createdAt, id: last.id })).toString('base64url')
    : null;
}
