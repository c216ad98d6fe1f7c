// `npm start`: one command on a fresh checkout. Builds the web app and compiles the server only when
// their sources changed (a few tens of milliseconds to check otherwise), then runs the compiled server
// in this same process (no second Node start). Issue 11.9: later starts ≤ 3 s.
import module from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildServerIfChanged, SERVER_ENTRY } from './build-server.mjs';
import { buildWebIfChanged } from './build-web-if-changed.mjs';

// --no-web-build: the benches and tests that start the server serve a web/dist of their choosing
if (!process.argv.includes('--no-web-build')) buildWebIfChanged();
await buildServerIfChanged();
// V8's compiled code for every module loaded from here on (node_modules included) is kept on disk and
// reused by the next start instead of parsing and compiling the same JavaScript again.
module.enableCompileCache?.(path.join(path.dirname(SERVER_ENTRY), '../.compile-cache'));
await import(pathToFileURL(SERVER_ENTRY).href);
