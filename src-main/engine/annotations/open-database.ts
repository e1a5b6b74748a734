/**
 * Opening the annotations file safely: an existing file is first checked on a read-only
 * connection (so a corrupt file is never written to), then opened read-write in WAL mode and
 * migrated. Corruption is reported as ANNOTATIONS_CORRUPT naming the file; `moveAside` keeps
 * a corrupt file (and its -wal/-shm companions) under a new name so a fresh store can start.
 */
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { DarError } from '../errors';
import { APPLICATION_ID, MIGRATIONS, migrate, schemaVersion } from './schema';

/** How thoroughly the file is checked on open: `quick_check` (default) or `integrity_check`. */
export type IntegrityCheck = 'quick' | 'full';

/** How long a write waits for another connection's lock before failing (ms). */
const BUSY_TIMEOUT_MS = 5000;
/** Problems listed in a corruption message before the rest are only counted. */
const MAX_PROBLEMS = 3;

/** A read-write connection ready for use, with what opening it found. */
export interface OpenedDatabase {
  db: Database;
  created: boolean;
  fromVersion: number;
  journalMode: string;
}

function errorCode(err: unknown): string {
  return typeof (err as { code?: unknown }).code === 'string' ? (err as { code: string }).code : '';
}

/**
 * Turns a SQLite failure into a coded error naming the file (corruption becomes
 * ANNOTATIONS_CORRUPT); anything that is not a SQLite error is returned as it is.
 */
export function sqliteError(err: unknown, file: string): unknown {
  const code = errorCode(err);
  if (err instanceof DarError || !code.startsWith('SQLITE_')) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new DarError('ANNOTATIONS_CORRUPT', `${file}: the annotations file is corrupt (${message})`);
  }
  return new DarError('FILE_UNREADABLE', `${file}: cannot use the annotations file (${code}: ${message})`);
}

/** Throws ANNOTATIONS_CORRUPT when an existing file fails its checks; read-only, never writes it. */
function checkExisting(file: string, check: IntegrityCheck): void {
  let ro: Database | undefined;
  try {
    ro = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
    const rows = ro.pragma(check === 'full' ? 'integrity_check' : 'quick_check', { simple: false }) as Record<string, unknown>[];
    const problems = rows.map((r) => String(Object.values(r)[0])).filter((p) => p !== 'ok');
    if (problems.length > 0) throw corrupt(file, problems);
    const fk = ro.pragma('foreign_key_check') as unknown[];
    if (fk.length > 0) throw corrupt(file, [`${fk.length} rows break foreign keys`]);
    const appId = ro.pragma('application_id', { simple: true }) as number;
    const tables = (ro.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number }).n;
    if (appId !== APPLICATION_ID && (appId !== 0 || tables > 0 || schemaVersion(ro) !== 0)) {
      throw new DarError('ANNOTATIONS_CORRUPT', `${file}: not a DAR annotations file (SQLite application_id ${appId}, ${tables} tables)`);
    }
    checkSchema(ro, file);
  } catch (err) {
    throw checkError(err, file);
  } finally {
    ro?.close();
  }
}

/** SQLite codes that say "cannot get at the file" rather than "the file is damaged". */
const ACCESS_CODES = /^SQLITE_(CANTOPEN|BUSY|LOCKED|IOERR|PERM|READONLY|NOMEM|FULL|AUTH)/;

/** While checking an existing file, any SQLite error but an access failure means damage. */
function checkError(err: unknown, file: string): unknown {
  const code = errorCode(err);
  if (err instanceof DarError || !code.startsWith('SQLITE_') || ACCESS_CODES.test(code)) return sqliteError(err, file);
  return new DarError('ANNOTATIONS_CORRUPT', `${file}: the annotations file is corrupt (${code}: ${(err as Error).message})`);
}

const schemaCache = new Map<number, string[]>();

/** The schema SQL of each object at `version`, as the migrations build it (from an in-memory store). */
function expectedSchema(version: number): string[] {
  let sql = schemaCache.get(version);
  if (!sql) {
    const mem = new BetterSqlite3(':memory:');
    try {
      migrate(mem, ':memory:', MIGRATIONS.slice(0, version));
      sql = schemaOf(mem);
    } finally {
      mem.close();
    }
    schemaCache.set(version, sql);
  }
  return sql;
}

function schemaOf(db: Database): string[] {
  const rows = db.prepare('SELECT type, name, sql FROM sqlite_schema ORDER BY type, name').all() as { type: string; name: string; sql: string | null }[];
  return rows.map((r) => `${r.type} ${r.name}: ${r.sql ?? ''}`);
}

/** A store's tables, indexes and constraints must be exactly what its version's migrations made. */
function checkSchema(db: Database, file: string): void {
  const version = schemaVersion(db);
  if (version > MIGRATIONS.length) return; // refused later, with ANNOTATIONS_VERSION
  const want = expectedSchema(version);
  const have = schemaOf(db);
  const differs = [...want.filter((x) => !have.includes(x)), ...have.filter((x) => !want.includes(x))];
  if (differs.length > 0) {
    throw new DarError('ANNOTATIONS_CORRUPT', `${file}: the schema is not that of version ${version} (differs at: ${differs[0].slice(0, 120)})`);
  }
}

function corrupt(file: string, problems: string[]): DarError {
  const shown = problems.slice(0, MAX_PROBLEMS).join('; ');
  const more = problems.length > MAX_PROBLEMS ? ` and ${problems.length - MAX_PROBLEMS} more problems` : '';
  return new DarError('ANNOTATIONS_CORRUPT', `${file}: the annotations file failed its integrity check: ${shown}${more}`);
}

/**
 * Opens (creating if absent) the annotations file: checks an existing one, then sets
 * journal_mode=WAL, synchronous=FULL, foreign_keys=ON and migrates to the current schema.
 */
export function openDatabase(file: string, check: IntegrityCheck = 'quick'): OpenedDatabase {
  const created = !existsSync(file);
  if (!created) checkExisting(file, check);
  let db: Database | undefined;
  try {
    if (created) mkdirSync(dirname(file), { recursive: true });
    db = new BetterSqlite3(file);
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    const journalMode = String(db.pragma('journal_mode = WAL', { simple: true }));
    // FULL: every commit (one per edit) is fsynced, so an edit reported saved survives power
    // loss too; edits come at human speed, so the fsync costs nothing anyone notices.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    const fromVersion = migrate(db, file);
    return { db, created, fromVersion, journalMode };
  } catch (err) {
    db?.close();
    throw sqliteError(err, file);
  }
}

/**
 * Renames a corrupt file to `<name>.corrupt-<timestamp>` (adding -1, -2... if taken), moving its
 * -wal and -shm files along so SQLite still pairs them; returns the new path.
 */
export function moveAside(file: string, now: Date): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  let target = `${file}.corrupt-${stamp}`;
  for (let k = 1; existsSync(target); k++) target = `${file}.corrupt-${stamp}-${k}`;
  try {
    renameSync(file, target);
    for (const suffix of ['-wal', '-shm']) {
      if (existsSync(file + suffix)) renameSync(file + suffix, target + suffix);
    }
  } catch (err) {
    throw new DarError('FILE_UNREADABLE', `${file}: cannot move the corrupt annotations file aside (${(err as Error).message})`);
  }
  return target;
}
