// Cursor-paged lists, as every list endpoint answers them: { items, nextCursor }.
import type { InfiniteData } from '@tanstack/react-query';

export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}

/** useInfiniteQuery options every cursor list shares: start without a cursor, then follow nextCursor. */
export const cursorPaging = {
  initialPageParam: undefined as string | undefined,
  getNextPageParam: (last: { nextCursor: string | null }) => last.nextCursor ?? undefined,
};

/** The items of every loaded page, in order ([] before the first page arrives). */
export const pageItems = <T>(data: InfiniteData<{ items: T[] }> | undefined): T[] => data?.pages.flatMap((p) => p.items) ?? [];
