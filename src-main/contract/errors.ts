/**
 * Error codes that cross every boundary (worker, IPC, HTTP, CLI exit lines).
 * Grouped by the layer that raises them; one function in the renderer turns them into words.
 */
export type ErrorCode =
  // files and arguments
  | 'FILE_NOT_FOUND'
  | 'FILE_UNREADABLE'
  | 'FORMAT_UNKNOWN'
  | 'ARG_INVALID'
  // pickles
  | 'PICKLE_UNSAFE'
  | 'PICKLE_TRUNCATED'
  | 'PICKLE_MALFORMED'
  | 'PICKLE_UNSUPPORTED'
  // numpy and tabular feature files
  | 'NPY_MALFORMED'
  | 'NPY_UNSUPPORTED'
  | 'NPZ_MALFORMED'
  | 'CSV_MALFORMED'
  | 'MANIFEST_MALFORMED'
  // dataset validation
  | 'DATASET_MISSING_SPLIT'
  | 'DATASET_MISSING_KEY'
  | 'DATASET_SHAPE'
  | 'DATASET_DTYPE'
  | 'DATASET_EMPTY'
  | 'DATASET_LABEL'
  | 'DATASET_MISSING_FEATURES'
  // media
  | 'MEDIA_TOOL_MISSING'
  | 'MEDIA_FAILED'
  | 'MEDIA_UNSUPPORTED'
  // a background transcode stopped by a cancel or the worker shutting down
  | 'MEDIA_CANCELLED'
  // extracting features from the user's videos (engine/extract): per clip, then the run
  | 'EXTRACT_NO_VIDEO'
  | 'EXTRACT_NO_AUDIO'
  | 'EXTRACT_SILENT'
  | 'EXTRACT_TRANSCRIPT'
  | 'EXTRACT_CANCELLED'
  | 'EXTRACTOR_MISMATCH'
  // checkpoints and their metadata
  | 'CHECKPOINT_MALFORMED'
  | 'CHECKPOINT_MISMATCH'
  // models: a kind this build does not know (or has not registered), a feature the model lacks
  | 'MODEL_UNKNOWN'
  | 'MODEL_UNSUPPORTED'
  // the studio: a method that needs a model while none is open
  | 'NO_CHECKPOINT'
  // the annotations store (project file)
  | 'ANNOTATIONS_CORRUPT'
  | 'ANNOTATIONS_VERSION'
  | 'ANNOTATIONS_INVALID'
  // compute backends
  | 'BACKEND_UNAVAILABLE'
  // the desktop's compute window crashed or lost its GPU (the job falls back to the engine thread)
  | 'COMPUTE_LOST'
  // the language extractor's BERT: not in the folder named, not cached, and not downloadable
  | 'EXTRACT_MODEL_MISSING'
  // the studio's connection to its shell (browser host socket dropped or refused)
  | 'CONNECTION_LOST'
  // anything we did not foresee; always a bug
  | 'INTERNAL';

/** An error as data: what crosses a process boundary. */
export interface ErrorInfo {
  code: ErrorCode;
  message: string;
}

/** The result of every contract call. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };
