/**
 * One tracked face -> one row of numbers. Column names follow OpenFace where the meaning is
 * the same (`x_0..x_67`, `y_0..y_67`, `pose_T*`, `pose_R*`), so a reader of MMSA's visual
 * features recognises them; the expression columns are ours (see docs/extraction.md).
 */
import { IBUG68_FROM_MESH } from './ibug68';

/** A mesh point in image pixels (x right, y down; z is the mesh's relative depth). */
export type MeshPoint = readonly [number, number, number?];

/** What the feature row is computed from: Human's face result, reduced to what we read. */
export interface FaceObservation {
  /** 468 (or 478) mesh points in image pixels. */
  mesh: readonly MeshPoint[];
  /** Face (mesh) confidence, 0..1. */
  score: number;
  /** Head rotation in radians, as Human reports it. */
  angle: { pitch: number; yaw: number; roll: number };
  /** Emotion scores by name (Human's labels). */
  emotion: readonly { emotion: string; score: number }[];
}

/** The emotion model's seven classes, in column order. */
export const EMOTIONS = ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'] as const;

/** Geometric expression measures (ratios to the eye span), in column order. */
export const GEOMETRY = ['mouth_open', 'mouth_width', 'lip_corner_lift', 'eye_open_l', 'eye_open_r', 'brow_raise_l', 'brow_raise_r'] as const;

/** Outer eye corners (subject's right, left): the eye span every ratio and the distance use. */
const EYE_OUTER_R = 33;
const EYE_OUTER_L = 263;

/** Assumed adult outer-eye-corner span in millimetres (ex-ex breadth, ~88-92 mm in adults). */
export const EYE_SPAN_MM = 90;

/** The feature columns, in value order (157). */
export const FACE_COLUMNS: readonly string[] = [
  'confidence',
  ...IBUG68_FROM_MESH.map((_, i) => `x_${i}`),
  ...IBUG68_FROM_MESH.map((_, i) => `y_${i}`),
  'pose_Tx', 'pose_Ty', 'pose_Tz', 'pose_Rx', 'pose_Ry', 'pose_Rz',
  ...EMOTIONS.map((e) => `emo_${e}`),
  ...GEOMETRY.map((g) => `geom_${g}`),
];

/**
 * Focal length in pixels for an uncalibrated camera: OpenFace's default (500 px at 640x480,
 * scaled with the frame), so translations are comparable in kind, not exact.
 */
export function focalLength(width: number, height: number): number {
  return (500 * (width / 640) + 500 * (height / 480)) / 2;
}

function dist(a: MeshPoint, b: MeshPoint): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}

function finite(v: number): number {
  return Number.isFinite(v) ? v : 0;
}

/** Head translation (mm, camera frame: x right, y down, z away) of the point between the eyes. */
export function headTranslation(face: FaceObservation, width: number, height: number): [number, number, number] {
  const r = face.mesh[EYE_OUTER_R];
  const l = face.mesh[EYE_OUTER_L];
  // A turned head shortens the eye span in the image by about cos(yaw); undo that, within reason.
  const span = dist(r, l) / Math.max(Math.cos(face.angle.yaw), 0.5);
  const f = focalLength(width, height);
  const z = (f * EYE_SPAN_MM) / Math.max(span, 1);
  const cx = (r[0] + l[0]) / 2 - width / 2;
  const cy = (r[1] + l[1]) / 2 - height / 2;
  return [(cx * z) / f, (cy * z) / f, z];
}

/** The seven geometric expression measures, each a ratio (no units). */
export function expressionGeometry(mesh: readonly MeshPoint[]): number[] {
  const span = Math.max(dist(mesh[EYE_OUTER_R], mesh[EYE_OUTER_L]), 1);
  // The face's own "down" (forehead -> chin), so a tilted head does not read as a smile.
  const down = [mesh[152][0] - mesh[10][0], mesh[152][1] - mesh[10][1]];
  const norm = Math.max(Math.hypot(down[0], down[1]), 1);
  const lipMid = [(mesh[13][0] + mesh[14][0]) / 2, (mesh[13][1] + mesh[14][1]) / 2];
  const corners = [(mesh[61][0] + mesh[291][0]) / 2, (mesh[61][1] + mesh[291][1]) / 2];
  const lift = ((lipMid[0] - corners[0]) * down[0] + (lipMid[1] - corners[1]) * down[1]) / norm;
  return [
    dist(mesh[13], mesh[14]) / span,
    dist(mesh[61], mesh[291]) / span,
    lift / span,
    dist(mesh[386], mesh[374]) / Math.max(dist(mesh[263], mesh[362]), 1),
    dist(mesh[159], mesh[145]) / Math.max(dist(mesh[33], mesh[133]), 1),
    dist(mesh[334], mesh[386]) / span,
    dist(mesh[105], mesh[159]) / span,
  ];
}

/** The feature row of one face, in FACE_COLUMNS order; never NaN. */
export function faceValues(face: FaceObservation, width: number, height: number): Float32Array {
  const out = new Float32Array(FACE_COLUMNS.length);
  let k = 0;
  out[k++] = face.score;
  for (const v of IBUG68_FROM_MESH) out[k++] = face.mesh[v][0];
  for (const v of IBUG68_FROM_MESH) out[k++] = face.mesh[v][1];
  for (const t of headTranslation(face, width, height)) out[k++] = t;
  out[k++] = face.angle.pitch;
  out[k++] = face.angle.yaw;
  out[k++] = face.angle.roll;
  for (const e of EMOTIONS) out[k++] = face.emotion.find((x) => x.emotion === e)?.score ?? 0;
  for (const g of expressionGeometry(face.mesh)) out[k++] = g;
  for (let i = 0; i < out.length; i++) out[i] = finite(out[i]);
  return out;
}

/** Tight box [x, y, w, h] around all mesh points, in pixels. */
export function meshBox(mesh: readonly MeshPoint[]): [number, number, number, number] {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const p of mesh) {
    x0 = Math.min(x0, p[0]);
    y0 = Math.min(y0, p[1]);
    x1 = Math.max(x1, p[0]);
    y1 = Math.max(y1, p[1]);
  }
  return [x0, y0, x1 - x0, y1 - y0];
}
