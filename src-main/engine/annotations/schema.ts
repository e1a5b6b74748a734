/**
 * The annotations store's schema and its migrations. `PRAGMA user_version` is the schema
 * version; migration i takes a store from version i to i + 1 and runs in one transaction with
 * the version bump, so a crash mid-migration leaves the previous version intact.
 */
import type { Database } from 'better-sqlite3';
import { DarError } from '../errors';

/** `PRAGMA application_id` of a DAR annotations store ("DARA"): tells our files from other SQLite files. */
export const APPLICATION_ID = 0x44415241;

/** One migration: SQL run against the store at version i to reach version i + 1. */
export type Migration = (db: Database) => void;

const V1 = `
CREATE TABLE clips (
  dataset    TEXT NOT NULL,
  clip_id    TEXT NOT NULL,
  label      REAL CHECK (label IS NULL OR (label >= -3 AND label <= 3)),
  notes      TEXT NOT NULL DEFAULT '',
  updated_at TEXT NOT NULL,
  PRIMARY KEY (dataset, clip_id)
) WITHOUT ROWID;

CREATE TABLE tags (
  dataset TEXT NOT NULL,
  clip_id TEXT NOT NULL,
  tag     TEXT NOT NULL CHECK (length(tag) > 0),
  PRIMARY KEY (dataset, clip_id, tag),
  FOREIGN KEY (dataset, clip_id) REFERENCES clips (dataset, clip_id) ON DELETE CASCADE
) WITHOUT ROWID;

CREATE TABLE probes (
  dataset             TEXT NOT NULL,
  clip_id             TEXT NOT NULL,
  name                TEXT NOT NULL,
  masks               TEXT NOT NULL CHECK (json_valid(masks)),
  masked_prediction   REAL NOT NULL,
  complete_prediction REAL NOT NULL,
  checkpoint_path     TEXT NOT NULL,
  checkpoint_fp       TEXT NOT NULL,
  created_at          TEXT NOT NULL,
  PRIMARY KEY (dataset, clip_id, name),
  FOREIGN KEY (dataset, clip_id) REFERENCES clips (dataset, clip_id) ON DELETE CASCADE
) WITHOUT ROWID;

-- The operations log: one row per edit, its steps hold each changed field's value before and
-- after (JSON), so undo and redo survive a restart. AUTOINCREMENT: ids are never reused.
CREATE TABLE edits (
  id      INTEGER PRIMARY KEY AUTOINCREMENT,
  dataset TEXT NOT NULL,
  kind    TEXT NOT NULL,
  clip_id TEXT,
  at      TEXT NOT NULL,
  undone  INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0, 1))
);
CREATE INDEX edits_by_dataset ON edits (dataset, undone, id);

CREATE TABLE edit_steps (
  edit_id INTEGER NOT NULL REFERENCES edits (id) ON DELETE CASCADE,
  seq     INTEGER NOT NULL,
  clip_id TEXT NOT NULL,
  field   TEXT NOT NULL CHECK (field IN ('label', 'notes', 'tag', 'probe')),
  key     TEXT NOT NULL,
  before  TEXT NOT NULL CHECK (json_valid(before)),
  after   TEXT NOT NULL CHECK (json_valid(after)),
  PRIMARY KEY (edit_id, seq)
) WITHOUT ROWID;
`;

/** Every migration in order; the store's current version is their count. */
export const MIGRATIONS: readonly Migration[] = [(db) => db.exec(V1)];

/** The schema version this build writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** The store's schema version (`PRAGMA user_version`). */
export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the store up to `migrations.length`, one transaction per step; refuses a store written
 * by a newer build (ANNOTATIONS_VERSION) without touching it. Returns the version it started at.
 */
export function migrate(db: Database, file: string, migrations: readonly Migration[] = MIGRATIONS): number {
  const from = schemaVersion(db);
  if (from > migrations.length) {
    throw new DarError(
      'ANNOTATIONS_VERSION',
      `${file}: annotations schema version ${from} is newer than this studio understands (${migrations.length}); open it with a newer DAR Studio`,
    );
  }
  for (let v = from; v < migrations.length; v++) {
    db.transaction(() => {
      migrations[v](db);
      // user_version lives in the file header and commits with the transaction.
      db.pragma(`user_version = ${v + 1}`);
      if (v === 0) db.pragma(`application_id = ${APPLICATION_ID}`);
    })();
  }
  return from;
}
