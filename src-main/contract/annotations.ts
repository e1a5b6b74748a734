/**
 * Annotations an analyst keeps per clip (label, tags, notes, saved probes), the edits that change
 * them and what export/import report. Type-only: the store lives in engine/annotations.
 */
import type { ClipRef, ModalityMask } from './api';
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

/**
 * An edit of one clip as the studio asks for it (the clip is the call's ClipRef). A probe is
 * saved from masks only: the worker runs them on the open checkpoint and records the masked and
 * complete predictions and the checkpoint itself, so a probe always says what really produced it.
 */
export type StudioAnnotationEdit =
  | { kind: 'setLabel'; label: number | null }
  | { kind: 'addTag'; tag: string }
  | { kind: 'removeTag'; tag: string }
  | { kind: 'setNotes'; notes: string }
  | { kind: 'saveProbe'; name: string; masks: PerModality<ModalityMask> }
  | { kind: 'deleteProbe'; name: string };

/** A clip's annotation as the workbench shows it, with what undo and redo would do next. */
export interface ClipAnnotationView {
  ref: ClipRef;
  annotation: ClipAnnotation;
  history: UndoState;
  /** The edit just made (editAnnotation only; null when it changed nothing). */
  edit?: EditSummary | null;
}

/** The result of undoAnnotation / redoAnnotation: what was reverted (null: nothing to do) and the new undo state. */
export interface AnnotationUndoResult {
  outcome: UndoOutcome | null;
  history: UndoState;
}

/** One annotated clip, as the library marks it. */
export interface AnnotatedClip {
  clipId: string;
  label: number | null;
  tags: number;
  probes: number;
  hasNotes: boolean;
}

/** Which clips of the open dataset are annotated (sorted by clip id). */
export interface AnnotationSummary {
  clips: AnnotatedClip[];
}

/** An export as text, with a file name the studio suggests for it. */
export interface AnnotationsExport {
  format: 'csv' | 'json';
  fileName: string;
  text: string;
  /** Annotated clips written. */
  clips: number;
}

/** What an import from the studio did; `unknownClips` counts annotated clips (after it) that the open dataset lacks; they are kept. */
export interface StudioImportReport extends ImportReport {
  unknownClips: number;
}

/** The open project file: where it is, how it opened, and how it was checked. */
export interface AnnotationsInfo {
  /** The dataset key the store is scoped to (the dataset's fingerprint). */
  dataset: string;
  open: OpenReport;
  /** SQLite's quick_check passed on open ('recovered': a corrupt file was moved aside and a fresh one started). */
  integrity: 'ok' | 'recovered';
  annotatedClips: number;
}

/**
 * The studio's annotation methods (part of StudioMethods). The project file is
 * `<studio home>/projects/<dataset fingerprint>.sqlite`, opened for whichever dataset is open;
 * every edit is saved (fsynced) before the call answers. Bad input is ANNOTATIONS_INVALID or
 * ARG_INVALID naming the field; a probe without an open model is NO_CHECKPOINT.
 */
export interface StudioAnnotationMethods {
  getAnnotation: [ClipRef, ClipAnnotationView];
  editAnnotation: [ClipRef & { edit: StudioAnnotationEdit }, ClipAnnotationView];
  /** Reverts the latest annotation edit of the project (any clip, also one made before a restart). */
  undoAnnotation: [Record<string, never>, AnnotationUndoResult];
  redoAnnotation: [Record<string, never>, AnnotationUndoResult];
  annotationSummary: [Record<string, never>, AnnotationSummary];
  /** CSV: MMSA label.csv columns (+ tags, notes) for the annotated clips; JSON: everything, probes included. */
  exportAnnotations: [{ format: 'csv' | 'json' }, AnnotationsExport];
  /** Imports CSV or JSON text in one transaction, as one undoable edit. */
  importAnnotations: [{ text: string; format: 'csv' | 'json'; replace?: boolean }, StudioImportReport];
  annotationsInfo: [Record<string, never>, AnnotationsInfo];
}
