// Embedded first start: a fresh data folder starts from the migrated template database shipped in
// db/template.tar.gz (a PGlite data-dir dump made by `npm run db:template`) instead of running every
// migration from nothing; migrate() then applies only migrations newer than the template.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const TEMPLATE_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../db/template.tar.gz');

/** The template to load into `pgDataDir`, or undefined when that folder already holds a database. */
export function templateFor(pgDataDir: string, template = TEMPLATE_PATH): Blob | undefined {
  if (fs.existsSync(path.join(pgDataDir, 'PG_VERSION'))) return undefined;
  if (!fs.existsSync(template)) return undefined;
  return new Blob([fs.readFileSync(template)]);
}
