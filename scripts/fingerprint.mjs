// The one fingerprint of a build's inputs, for the "build only when changed" checks of `npm start`
// (build-web-if-changed.mjs, build-server.mjs): sha256 over the seeds, then each file's path and contents.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** files: paths relative to root (hashed in the order given); seeds: anything else the build depends on */
export function hashFiles(root, files, ...seeds) {
  const hash = crypto.createHash('sha256');
  for (const s of seeds) hash.update(s);
  for (const f of files) hash.update(f).update('\0').update(fs.readFileSync(path.join(root, f))).update('\0');
  return hash.digest('hex');
}
