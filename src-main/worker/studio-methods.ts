// The method table lives in the contract (shared with the renderer's bridge).
export { STUDIO_METHODS, isStudioMethod } from '../contract/studio-methods';
