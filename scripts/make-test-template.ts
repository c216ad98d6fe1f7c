// Migrates one PGlite database and dumps it; each test file loads a copy (seconds saved per file).
import fs from 'node:fs';
import path from 'node:path';
import { openPglite } from '../server/src/db/client.ts';
import { migrate } from '../server/src/db/migrate.ts';
import { TEMPLATE_DUMP } from '../server/test/helpers.ts';

const started = performance.now();
const db = await openPglite({});
await migrate(db);
const dump = await db.pglite!.dumpDataDir('gzip');
fs.mkdirSync(path.dirname(TEMPLATE_DUMP), { recursive: true });
fs.writeFileSync(TEMPLATE_DUMP, Buffer.from(await dump.arrayBuffer()));
await db.close();
console.log(`test template database ready in ${Math.round(performance.now() - started)} ms`);
