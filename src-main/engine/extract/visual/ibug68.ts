/**
 * The 68-point iBUG 300-W layout (what OpenFace and dlib report) taken from MediaPipe's
 * 468-point face mesh. The mesh has no vertex defined as "iBUG point k", so each entry is the
 * mesh vertex on the same facial contour at the same relative position, read off the mesh's
 * named contours (silhouette, eyebrows, eyelids, lips, nose) and kept left/right symmetric:
 * every pair of mirrored iBUG points uses a mirrored pair of mesh vertices (the test checks
 * this). Image left is the subject's right, as in iBUG. The jaw (0-16) follows the lower
 * half of the mesh silhouette; its spacing near the chin (5-7, 9-11) was set by a one-off
 * check against a 68-point landmark model (face-api's, docs/extraction.md), which moved
 * those points one silhouette vertex towards the chin.
 */

/** Mesh vertex for each iBUG point, in iBUG order (0-16 jaw, 17-26 brows, 27-35 nose, 36-47 eyes, 48-67 lips). */
export const IBUG68_FROM_MESH: readonly number[] = [
  // 0-16 jaw: subject's right temple, down to the chin (8), up to the left temple
  127, 234, 93, 132, 58, 136, 150, 149, 152, 378, 379, 365, 288, 361, 323, 454, 356,
  // 17-21 right brow (outer to inner), 22-26 left brow (inner to outer): upper brow edge
  70, 63, 105, 66, 107, 336, 296, 334, 293, 300,
  // 27-30 nose bridge (between the eyes down to the tip), 31-35 nostrils and subnasale
  168, 197, 5, 4, 98, 97, 2, 326, 327,
  // 36-41 right eye: outer corner, upper lid x2, inner corner, lower lid x2
  33, 160, 158, 133, 153, 144,
  // 42-47 left eye: inner corner, upper lid x2, outer corner, lower lid x2
  362, 385, 387, 263, 373, 380,
  // 48-59 outer lips: right corner, upper lip to the left corner (54), lower lip back
  61, 40, 37, 0, 267, 270, 291, 321, 314, 17, 84, 91,
  // 60-67 inner lips: right corner, upper inner to the left corner (64), lower inner back
  78, 81, 13, 311, 308, 402, 14, 178,
];

/** iBUG's mirror pairs (point, its mirror); points on the midline mirror themselves. */
export function ibugMirror(point: number): number {
  if (point <= 16) return 16 - point;
  if (point <= 26) return 43 - point;
  if (point <= 30) return point;
  if (point <= 35) return 66 - point;
  if (point <= 47) return EYE_MIRROR[point - 36];
  if (point <= 59) return point <= 54 ? 102 - point : 114 - point;
  return point <= 64 ? 124 - point : 132 - point;
}

const EYE_MIRROR = [45, 44, 43, 42, 47, 46, 39, 38, 37, 36, 41, 40];
