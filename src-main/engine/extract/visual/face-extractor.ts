/**
 * The per-frame face extractor: RGB frame in, one row of face features (or "missing") out.
 * Human (human-loader.ts) finds faces and fits the 468-point mesh; this file tracks one face
 * (face-tracker.ts) and turns it into the feature row (face-features.ts).
 *
 * Speed: the BlazeFace detector costs about three mesh fits, so, as Human intends for video,
 * it runs only on the first frame, when the picture changed a lot (a cut), when tracking is
 * lost, and otherwise once a second; in between the mesh of the last frame says where to
 * look. Human's skip clock is set out of reach so the skipping depends on frames, never on
 * how fast this machine is: the same video gives the same rows.
 */
import type { Config, FaceResult, Human } from '@vladmandic/human';
import * as tf from '@tensorflow/tfjs-core';
import { defaultWasmDir, initBackend } from '../../backend';
import { DarError } from '../../errors';
import { FACE_COLUMNS, faceValues, meshBox, type FaceObservation } from './face-features';
import { FaceTracker } from './face-tracker';
import { loadHuman } from './human-loader';

/** The default sampling rate of face frames (MMSA's OpenFace features are per video frame; 10/s is plenty for expressions). */
export const DEFAULT_FPS = 10;

/** One frame's face features. */
export interface FaceFrame {
  /** Whether the tracked face was found; a missing frame is not a row of zeros. */
  present: boolean;
  /** columns.length values, NaN-free; meaningless (zeros) when !present. */
  values: Float32Array;
}

/** Turns decoded RGB frames of one video into face feature rows. */
export interface FaceExtractor {
  /** Column names, in value order; the same for every frame and every extractor version. */
  readonly columns: string[];
  /** Features of one frame: `rgb` is width*height*3 bytes, row-major, no padding. */
  frame(rgb: Uint8Array, width: number, height: number): Promise<FaceFrame>;
  /** Ends this extractor (the next one on the thread reuses the loaded weights); it cannot be used afterwards. */
  dispose(): void;
}

/** Options of `createFaceExtractor`. */
export interface FaceExtractorOptions {
  /** The rate the caller samples frames at (default DEFAULT_FPS): sets the re-detect and tracking clocks. */
  fps?: number;
  /** Faces fitted per frame, among which the tracker picks one (default 3). */
  maxFaces?: number;
  /** Folder of the tfjs-backend-wasm binaries (default: the package's dist). */
  wasmDir?: string;
}

/** The settings that decide the numbers (what the manifest records). */
export interface FaceSettings {
  fps: number;
  maxFaces: number;
  /** The detector runs at least every this many frames (one second). */
  redetectEvery: number;
  /** Human's frame-change threshold above which the detector runs again. */
  cacheSensitivity: number;
  /** Minimum detector and mesh confidence. */
  minConfidence: number;
}

/** The settings `createFaceExtractor(options)` runs with. */
export function faceSettings(options: FaceExtractorOptions = {}): FaceSettings {
  const fps = options.fps ?? DEFAULT_FPS;
  if (!Number.isFinite(fps) || fps <= 0 || fps > 120) throw new DarError('ARG_INVALID', `face fps: expected 0 < fps <= 120, got ${fps}`);
  const maxFaces = options.maxFaces ?? 3;
  if (!Number.isInteger(maxFaces) || maxFaces < 1 || maxFaces > 10) throw new DarError('ARG_INVALID', `maxFaces: expected 1..10, got ${maxFaces}`);
  return { fps, maxFaces, redetectEvery: Math.max(1, Math.round(fps)), cacheSensitivity: 0.7, minConfidence: 0.5 };
}

function humanConfig(s: FaceSettings): Partial<Config> {
  const off = { enabled: false };
  return {
    debug: false,
    async: false,
    warmup: 'none',
    cacheModels: false,
    cacheSensitivity: s.cacheSensitivity,
    filter: { ...off },
    gesture: { ...off },
    body: { ...off },
    hand: { ...off },
    object: { ...off },
    segmentation: { ...off },
    face: {
      enabled: true,
      // skipTime far away: the frame count alone decides when the detector runs again.
      detector: { rotation: true, maxDetected: s.maxFaces, skipFrames: s.redetectEvery - 1, skipTime: 1e12, minConfidence: s.minConfidence, return: false },
      mesh: { enabled: true },
      iris: { ...off },
      attention: { ...off },
      emotion: { enabled: true, minConfidence: 0, skipFrames: 0 },
      description: { ...off },
      antispoof: { ...off },
      liveness: { ...off },
    },
  } as Partial<Config>;
}

function observe(face: FaceResult): FaceObservation {
  return {
    mesh: face.mesh,
    score: face.score,
    angle: face.rotation?.angle ?? { pitch: 0, yaw: 0, roll: 0 },
    emotion: face.emotion ?? [],
  };
}

function checkFrame(rgb: Uint8Array, width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 16 || height < 16) {
    throw new DarError('ARG_INVALID', `face frame: expected integer width and height >= 16, got ${width}x${height}`);
  }
  if (rgb.length !== width * height * 3) {
    throw new DarError('ARG_INVALID', `face frame: ${width}x${height} RGB needs ${width * height * 3} bytes, got ${rgb.length}`);
  }
}

// Human keeps its detector and emotion caches in module state, so two extractors on one
// thread would track each other's faces: allow one at a time.
let liveExtractors = 0;

class HumanFaceExtractor implements FaceExtractor {
  readonly columns = [...FACE_COLUMNS];
  private readonly tracker: FaceTracker;
  private frames = 0;
  private disposed = false;

  constructor(
    private readonly human: Human,
    private readonly settings: FaceSettings,
  ) {
    this.tracker = new FaceTracker({ patience: Math.max(1, Math.round(settings.fps)) });
  }

  async frame(rgb: Uint8Array, width: number, height: number): Promise<FaceFrame> {
    if (this.disposed) throw new DarError('ARG_INVALID', 'face extractor used after dispose()');
    checkFrame(rgb, width, height);
    const input = tf.tensor3d(rgb, [height, width, 3], 'int32');
    let faces: FaceResult[];
    try {
      // The first frame always runs the detector: nothing from an earlier video may be reused.
      const result = await this.human.detect(input, { cacheSensitivity: this.frames === 0 ? 0 : this.settings.cacheSensitivity });
      if (result.error) throw new DarError('INTERNAL', `face detection failed: ${result.error}`);
      faces = result.face.filter((f) => f.mesh.length >= 468);
    } finally {
      input.dispose();
    }
    this.frames++;
    const chosen = this.tracker.pick(faces.map((f) => meshBox(f.mesh)));
    if (chosen < 0) return { present: false, values: new Float32Array(this.columns.length) };
    return { present: true, values: faceValues(observe(faces[chosen]), width, height) };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    liveExtractors--;
    // The weights stay: Human caches each model in module state and hands the same instance to
    // the next Human on this thread (disposing them here breaks it). About 5 MB, loaded once.
  }
}

/** Loads the face models (from the npm package, offline) and returns an extractor for one video at a time. */
export async function createFaceExtractor(options: FaceExtractorOptions = {}): Promise<FaceExtractor> {
  const settings = faceSettings(options);
  if (liveExtractors > 0) throw new DarError('INTERNAL', 'a face extractor is already open on this thread: dispose it first');
  // Human runs on the wasm backend of this thread's tfjs: the same numbers on every machine.
  await initBackend({ prefer: 'wasm', wasmDir: options.wasmDir });
  liveExtractors++;
  try {
    const human = await loadHuman(humanConfig(settings), options.wasmDir ?? defaultWasmDir());
    return new HumanFaceExtractor(human, settings);
  } catch (err) {
    liveExtractors--;
    throw err;
  }
}
