// The activations effnet's webgl convolution kernels apply in their own shader, chosen by an int
// uniform `activation` (so that one program serves every activation: each program compiled costs
// tens of milliseconds on a cold first predict). NaN passes through relu and relu6 as in tfjs's
// kernels; SiLU is x / (1 + e^−x) (−0 where e^−x overflows, as x·σ(x) = x·0 gives it).

/** The `activation` uniform's value of each activation. */
export const ACTIVATION_CODES: Readonly<Record<string, number>> = { linear: 0, relu: 1, relu6: 2, sigmoid: 3, silu: 4 };

/** The uniform's declaration for a program's `customUniforms`. */
export const ACTIVATION_UNIFORM = { name: 'activation', type: 'int' as const };

/** GLSL of `vec4 activate(vec4 x)`, reading the uniform. */
export const ACTIVATE_GLSL = `
  vec4 keepNaN(vec4 r, vec4 x) {
    bvec4 n = isnan(x);
    return vec4(n.x ? x.x : r.x, n.y ? x.y : r.y, n.z ? x.z : r.z, n.w ? x.w : r.w);
  }
  vec4 activate(vec4 x) {
    if (activation == 1) return keepNaN(max(x, vec4(0.0)), x);
    if (activation == 2) return keepNaN(clamp(x, vec4(0.0), vec4(6.0)), x);
    if (activation == 3) return 1.0 / (1.0 + exp(-x));
    if (activation == 4) return x / (1.0 + exp(-x));
    return x;
  }`;
