// The vector index's shape follows the catalogue. IVFFlat (migration 280) partitions the vectors into
// lists around k-means centroids fitted to the vectors present at its build; a search compares the
// query with every centroid and scans the vectors of the nearest few lists (search/service.ts
// IVF_PROBES). √n lists balance those two costs. Vectors written later join their nearest list, so
// the index stays correct as the catalogue grows, only slower as lists fill; once the wanted lists
// are off by half (the catalogue grew or shrank ~2.25x) it is rebuilt. Checked when the embedding
// worker starts and by the nightly database-maintenance job.
// Measured at 100k (README's search bench): build 20 s, held by one transaction; in embedded mode
// the database answers nothing meanwhile, which is why it waits for start-up or the night.
import type { Database } from '../../db/client.ts';
import { embeddingsRepository } from './repository.ts';

/** below this many vectors one list: scanning them all is as quick as comparing with centroids */
const IVF_MIN_PARTITIONED = 1_000;

export function ivfListsFor(vectors: number): number {
  return vectors < IVF_MIN_PARTITIONED ? 1 : Math.round(Math.sqrt(vectors));
}

export interface VectorIndexRefresh {
  vectors: number;
  lists: number;
  rebuilt: boolean;
  ms?: number;
}

/** Rebuilds the table's IVFFlat index when it is missing or its lists are off by half for its size. */
export async function refreshVectorIndex(db: Database, dims: number): Promise<VectorIndexRefresh> {
  const repo = embeddingsRepository(db);
  const [vectors, current] = [await repo.vectorCount(dims), await repo.vectorIndexLists(dims)];
  const lists = ivfListsFor(vectors);
  if (current !== null && lists <= current * 1.5 && lists >= current / 1.5) return { vectors, lists: current, rebuilt: false };
  const started = performance.now();
  await db.transaction((tx) => embeddingsRepository(tx).buildVectorIndex(dims, lists));
  return { vectors, lists, rebuilt: true, ms: Math.round(performance.now() - started) };
}
