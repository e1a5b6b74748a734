/** Turns an error that crossed the bridge into words for the user. */
import type { ErrorCode, ErrorInfo } from '#contract/errors';

const WORDS: Record<ErrorCode, string> = {
  FILE_NOT_FOUND: 'File not found',
  FILE_UNREADABLE: 'The file could not be read',
  FORMAT_UNKNOWN: 'Unknown dataset format',
  ARG_INVALID: 'Invalid request',
  PICKLE_UNSAFE: 'The pickle asks to run code and was refused',
  PICKLE_TRUNCATED: 'The pickle file is truncated',
  PICKLE_MALFORMED: 'The pickle file is malformed',
  PICKLE_UNSUPPORTED: 'The pickle uses an unsupported feature',
  NPY_MALFORMED: 'A .npy feature file is malformed',
  NPY_UNSUPPORTED: 'A .npy feature file uses an unsupported type',
  NPZ_MALFORMED: 'A .npz feature file is malformed',
  CSV_MALFORMED: 'A CSV file is malformed',
  MANIFEST_MALFORMED: 'The dataset manifest is malformed',
  DATASET_MISSING_SPLIT: 'The dataset lacks a split',
  DATASET_MISSING_KEY: 'The dataset lacks a required field',
  DATASET_SHAPE: 'Feature shapes do not match',
  DATASET_DTYPE: 'Unexpected feature type',
  DATASET_EMPTY: 'The dataset is empty',
  DATASET_LABEL: 'A label is out of range',
  DATASET_MISSING_FEATURES: 'Features are missing for some clips',
  MEDIA_TOOL_MISSING: 'A media tool (ffmpeg) is missing',
  MEDIA_FAILED: 'Media processing failed',
  MEDIA_UNSUPPORTED: 'This media format is not supported',
  MEDIA_CANCELLED: 'The media conversion was cancelled',
  EXTRACT_NO_VIDEO: 'The file has no video stream',
  EXTRACT_NO_AUDIO: 'The video has no audio stream',
  EXTRACT_SILENT: 'The video is silent',
  EXTRACT_TRANSCRIPT: 'The transcript could not be read',
  EXTRACT_CANCELLED: 'The import was cancelled',
  EXTRACTOR_MISMATCH: 'The features come from another extractor than the model was trained on',
  CHECKPOINT_MALFORMED: 'The model checkpoint is malformed',
  CHECKPOINT_MISMATCH: 'The model does not match this dataset',
  MODEL_UNKNOWN: 'Unknown model',
  MODEL_UNSUPPORTED: 'This model does not offer that',
  NO_CHECKPOINT: 'No model is open',
  ANNOTATIONS_CORRUPT: 'The annotations file is corrupt',
  ANNOTATIONS_VERSION: 'The annotations file comes from another version',
  ANNOTATIONS_INVALID: 'Invalid annotation',
  BACKEND_UNAVAILABLE: 'No compute backend is available',
  EXTRACT_MODEL_MISSING: 'The BERT model for transcripts is missing (name its folder, or connect once to download it)',
  CONNECTION_LOST: 'Lost the connection to the studio host',
  COMPUTE_LOST: 'The compute window stopped (crashed or lost its GPU)',
  INTERNAL: 'Internal error (a bug; please report it)',
};

/** One line for the user: what kind of failure, then the engine's detail. */
export function errorText(error: ErrorInfo): string {
  const words = WORDS[error.code] ?? `Error ${error.code}`;
  return error.message ? `${words}: ${error.message}` : words;
}
