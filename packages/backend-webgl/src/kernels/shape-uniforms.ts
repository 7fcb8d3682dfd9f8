// tfjs-backend-webgl writes a program's shapes into its shader unless WEBGL_USE_SHAPES_UNIFORMS is
// set when the program is built (then one program serves every shape). The flag is global and read
// only then, so effnet's kernels set it around the tfjs programs they build and put it back.
import { env } from '@tensorflow/tfjs-core';

/** Runs `run` with tfjs's WEBGL_USE_SHAPES_UNIFORMS set: programs built meanwhile take shapes as uniforms. */
export function withShapeUniforms<T>(run: () => T): T {
  const flags = env();
  const before = flags.getBool('WEBGL_USE_SHAPES_UNIFORMS');
  flags.set('WEBGL_USE_SHAPES_UNIFORMS', true);
  try {
    return run();
  } finally {
    flags.set('WEBGL_USE_SHAPES_UNIFORMS', before);
  }
}
