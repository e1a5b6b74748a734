/**
 * Annotations an analyst keeps per clip (label, tags, notes, saved probes), the edits that change
 * them and what export/import report. Type-only: the store lives in engine/annotations.
 */
import type { ModalityMask } from './api';
import type { PerModality, SplitName } from './dataset';

/** The checkpoint a probe ran on: where it was and what it was (its content fingerprint). */
export interface CheckpointRef {
  path: string;
  fingerprint: string;
}

/** A saved probe: a named mask set, the predictions it produced and the checkpoint used. */
export interface Probe {
  /** Unique per clip; saving under an existing name replaces that probe. */
  name: string;
  /** Per modality: masked time segments (seconds) and the whole-modality flag. */
  masks: PerModality<ModalityMask>;
  /** The model's output on the masked input and on the complete input. */
  predictions: { masked: number; complete: number };
  checkpoint: CheckpointRef;
  /** ISO 8601 time the probe was saved. */
  createdAt: string;
}

/** Everything annotated on one clip. */
export interface ClipAnnotation {
  /** MMSA id "video$_$clip". */
  clipId: string;
  /** The analyst's sentiment label in [-3, 3], or null when not labelled. */
  label: number | null;
  /** Distinct, trimmed, non-empty; no ';' or line breaks (CSV joins them with ';'). Sorted. */
  tags: string[];
  notes: string;
  /** Sorted by name. */
  probes: Probe[];
  /** ISO 8601 time of the last change, or null for a clip never annotated. */
  updatedAt: string | null;
}

/** One edit as the studio asks for it; each is saved as one transaction and undone as a whole. */
export type AnnotationEdit =
  | { kind: 'setLabel'; clipId: string; label: number | null }
  | { kind: 'addTag'; clipId: string; tag: string }
  | { kind: 'removeTag'; clipId: string; tag: string }
  | { kind: 'setNotes'; clipId: string; notes: string }
  | { kind: 'saveProbe'; clipId: string; probe: Probe }
  | { kind: 'deleteProbe'; clipId: string; name: string };

/** What the operations log calls an edit: the studio's kinds plus whole-file imports. */
export type EditKind = AnnotationEdit['kind'] | 'import';

/** An edit in the operations log. */
export interface EditSummary {
  /** Increases with every edit; an edit id reported once is never reused. */
  id: number;
  kind: EditKind;
  /** The clip edited, or null for an import (many clips). */
  clipId: string | null;
  /** ISO 8601 time of the edit. */
  at: string;
}

/** The result of an edit: the log entry (null when nothing changed) and the clip's new state. */
export interface EditOutcome {
  edit: EditSummary | null;
  annotation: ClipAnnotation;
}

/** The result of undo or redo: which edit it reverted or re-applied and the clips it touched. */
export interface UndoOutcome {
  edit: EditSummary;
  clipIds: string[];
}

/** What undo and redo would do next. */
export interface UndoState {
  undo: EditSummary | null;
  redo: EditSummary | null;
}

/** Dataset facts a CSV export fills the MMSA columns from (the store keeps only annotations). */
export interface AnnotationClipContext {
  clipId: string;
  text: string;
  mode: SplitName;
}

/** The JSON export: every annotation of one dataset, probes included. */
export interface AnnotationsFile {
  format: 'dar-annotations';
  version: 1;
  /** The dataset key the clips belong to (fingerprint or path). */
  dataset: string;
  exportedAt: string;
  clips: ClipAnnotation[];
}

/** Options of an import. */
export interface ImportOptions {
  /** Clear every annotation of the dataset first (default false: the file's clips are merged in). */
  replace?: boolean;
}

/** What an import did. */
export interface ImportReport {
  format: 'csv' | 'json';
  /** Clips in the file. */
  clips: number;
  /** Clips whose annotation changed. */
  changed: number;
  /** The import's entry in the operations log (one undo reverts it), or null when nothing changed. */
  edit: EditSummary | null;
}

/** How a store was opened: fresh, as it was, or after moving a corrupt file aside. */
export interface OpenReport {
  path: string;
  /** True when the file did not exist and was created. */
  created: boolean;
  /** Schema version before opening (0 for a new file) and after migrations. */
  fromVersion: number;
  version: number;
  /** SQLite's journal mode: 'wal' unless the file system cannot share memory (then SQLite's rollback journal, still crash-safe). */
  journalMode: string;
  /** Present when the file was corrupt: where it was moved and why it was judged corrupt. */
  recovered?: { movedTo: string; reason: string };
}
