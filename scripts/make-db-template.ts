// npm run db:template — migrates an empty PGlite database and dumps it to db/template.tar.gz, the
// starting point of every fresh embedded data folder (server/src/db/template.ts). Re-run it after adding
// migrations to keep first starts fast; an older template still works (the newer migrations run at start).
import fs from 'node:fs';
import { openPglite } from '../server/src/db/client.ts';
import { migrate } from '../server/src/db/migrate.ts';
import { TEMPLATE_PATH } from '../server/src/db/template.ts';

const started = performance.now();
const db = await openPglite({});
const report = await migrate(db);
const dump = await db.pglite!.dumpDataDir('gzip');
fs.writeFileSync(TEMPLATE_PATH, Buffer.from(await dump.arrayBuffer()));
await db.close();
console.log(`${TEMPLATE_PATH}: ${report.applied.length} migrations, ${(fs.statSync(TEMPLATE_PATH).size / 1024 / 1024).toFixed(1)} MB, ${Math.round(performance.now() - started)} ms`);
