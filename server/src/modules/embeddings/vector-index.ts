// The vector index's shape follows the catalogue. IVFFlat (migration 280) partitions the vectors into
// lists around k-means centroids fitted to the vectors present at its build; a search compares the
// query with every centroid and scans the vectors of the nearest few lists (search/service.ts
// IVF_PROBES). √n lists balance those two costs. A vector written later joins its nearest list, so
// the index stays correct, but it ages two ways: lists fill as the catalogue grows, and a kind of thing
// new since the build has no centroid of its own, so a query for it may not probe the list it joined
// (100k bench: 8 of 36 new listings among a query's exact ten were missed by the index alone; search
// scans the newest 500 vectors exactly to cover them meanwhile). It is rebuilt when the wanted lists
// are off by half (the catalogue grew or shrank ~2.25x) or a tenth of the vectors are newer than it —
// checked when the embedding worker starts, after a pass that embedded 1,000 listings or more (a model
// change re-embeds everything into a one-list index) and by the nightly 'embeddings-index' job (service.ts).
// Measured at 100k: build 20–26 s, in one transaction; in embedded mode the database answers nothing
// meanwhile, which is why it waits for start-up, a large pass (search is slow then anyway) or the night.
import type { Database } from '../../db/client.ts';
import { embeddingsRepository } from './repository.ts';

/** below this many vectors one list: scanning them all is as quick as comparing with centroids */
const IVF_MIN_PARTITIONED = 1_000;
/** the share of vectors written after the build that makes it re-fit its centroids */
const STALE_SHARE = 0.1;

export function ivfListsFor(vectors: number): number {
  return vectors < IVF_MIN_PARTITIONED ? 1 : Math.round(Math.sqrt(vectors));
}

export interface VectorIndexRefresh {
  vectors: number;
  lists: number;
  rebuilt: boolean;
  ms?: number;
}

interface Plan {
  vectors: number;
  lists: number;
  rebuild: boolean;
}

/** What the index should be now: its lists, and whether to rebuild (missing, off by half, or stale). */
async function plan(repo: ReturnType<typeof embeddingsRepository>, dims: number): Promise<Plan> {
  const { lists: current, builtAt } = await repo.vectorIndexState(dims);
  const vectors = await repo.vectorCount(dims);
  const lists = ivfListsFor(vectors);
  const fits = current !== null && lists <= current * 1.5 && lists >= current / 1.5;
  // only a partitioned index ages (one list is an exact scan); one of unknown build counts as stale
  const stale = fits && current > 1 && (!builtAt || (await repo.vectorsWrittenSince(dims, builtAt)) >= vectors * STALE_SHARE);
  return fits && !stale ? { vectors, lists: current, rebuild: false } : { vectors, lists, rebuild: true };
}

/** Rebuilds the table's IVFFlat index when it is missing, its lists are off by half for its size, or
 *  its centroids are stale (see above). One process at a time: another app instance starting at once
 *  (blue/green) finds the build lock taken and leaves the index to it. */
export async function refreshVectorIndex(db: Database, dims: number): Promise<VectorIndexRefresh> {
  const started = performance.now();
  return db.transaction(async (tx) => {
    const repo = embeddingsRepository(tx);
    const locked = await repo.lockVectorIndexBuild(dims);
    const { vectors, lists, rebuild } = await plan(repo, dims);
    if (!locked || !rebuild) return { vectors, lists, rebuilt: false };
    await repo.buildVectorIndex(dims, lists);
    return { vectors, lists, rebuilt: true, ms: Math.round(performance.now() - started) };
  });
}
