// @effnet/scaling: the public surface.
export * from './model-spec.js';
export * from './errors.js';
