// Local folder storage (the embedded default): keys are paths under UPLOAD_DIR.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { assertSafeKey, isSafeKey } from './keys.ts';
import type { Storage } from './index.ts';

export function localStorage(root: string): Storage {
  fs.mkdirSync(root, { recursive: true });
  const abs = (key: string) => {
    assertSafeKey(key);
    return path.join(root, key);
  };
  return {
    kind: 'local',
    async put(key, data) {
      const file = abs(key);
      await fsp.mkdir(path.dirname(file), { recursive: true });
      // write then rename: a reader never sees half a file
      const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
      await fsp.writeFile(tmp, data);
      await fsp.rename(tmp, file);
    },
    get: (key) => fsp.readFile(abs(key)),
    async open(key) {
      if (!isSafeKey(key)) return null;
      const file = path.join(root, key);
      const stat = await fsp.stat(file).catch(() => null);
      if (!stat?.isFile()) return null;
      return {
        body: fs.createReadStream(file),
        size: stat.size,
        lastModified: stat.mtime,
        etag: `"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`,
      };
    },
    async remove(keys) {
      for (const key of keys) if (key) await fsp.rm(abs(key), { force: true });
    },
    async *list(prefix) {
      const dir = path.join(root, prefix);
      let entries: fs.Dirent[];
      try {
        entries = await fsp.readdir(dir, { recursive: true, withFileTypes: true });
      } catch {
        return; // folder not created yet
      }
      for (const e of entries) {
        if (!e.isFile()) continue;
        const file = path.join(e.parentPath, e.name);
        const stat = await fsp.stat(file).catch(() => null);
        if (stat) yield { key: path.relative(root, file).split(path.sep).join('/'), lastModified: stat.mtime };
      }
    },
    async close() {},
  };
}
