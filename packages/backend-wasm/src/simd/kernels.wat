;; effnet's own kernels for tfjs-backend-wasm, in WebAssembly SIMD (4 float32 lanes). The module
;; imports the backend's memory, so it reads and writes the backend's tensors in place; addresses
;; are byte offsets in that memory, every tensor NHWC and contiguous. Compiled by
;; scripts/compile-simd.mjs into src/simd/kernels-wasm.ts (base64, committed); the line marked
;; MEMORY becomes a shared memory for tfjs-backend-wasm's threaded build.
;;
;; The filter gradient of a depthwise convolution (channel multiplier 1, no dilation), with xp the
;; input padded as the forward pass saw it ([n, hp, wp, c]), dy [n, oh, ow, c] and c a multiple of 4:
;;   dw[i, j, c] = Σ_{b, y, x} xp[b, y·sh + i, x·sw + j, c] · dy[b, y, x, c]
;; It walks dy once; at each position every tap (i, j) adds the product of xp's row under the tap
;; and dy's row (c values each) to row (i, j) of dw, which stays in cache (kh·kw·c values).
(module
  (import "env" "memory" (memory 1)) ;; MEMORY

  ;; The sigmoid's constants. Mutable globals, so that V8 loads them from memory: immutable ones,
  ;; like f32x4.splat of a constant, are rebuilt inside the loop with three instructions each.
  ;; the sign bit
  (global $signBit (mut v128) (v128.const f32x4 -0.0 -0.0 -0.0 -0.0))
  ;; e^u stays finite and normal for u in [expLow, expHigh]
  (global $expHigh (mut v128) (v128.const f32x4 87.3 87.3 87.3 87.3))
  (global $expLow (mut v128) (v128.const f32x4 -86 -86 -86 -86))
  (global $log2e (mut v128) (v128.const f32x4 1.44269504 1.44269504 1.44269504 1.44269504))
  ;; 1.5·2^23 + 127: adding it rounds to an integer n and leaves n + 127 in the low bits
  (global $roundBias (mut v128) (v128.const f32x4 12583039 12583039 12583039 12583039))
  ;; −ln 2 in two parts (Cody-Waite), so that n·ln2High is exact
  (global $ln2High (mut v128) (v128.const f32x4 -0.693145752 -0.693145752 -0.693145752 -0.693145752))
  (global $ln2Low (mut v128) (v128.const f32x4 -1.42860677e-06 -1.42860677e-06 -1.42860677e-06 -1.42860677e-06))
  ;; e^t ≈ 1 + t + c2·t² + … + c5·t⁵ on [−ln2/2, ln2/2], coefficients fitted for relative error (1.1e-7)
  (global $exp5 (mut v128) (v128.const f32x4 0.00831252709 0.00831252709 0.00831252709 0.00831252709))
  (global $exp4 (mut v128) (v128.const f32x4 0.0418901183 0.0418901183 0.0418901183 0.0418901183))
  (global $exp3 (mut v128) (v128.const f32x4 0.166671142 0.166671142 0.166671142 0.166671142))
  (global $exp2 (mut v128) (v128.const f32x4 0.499992311 0.499992311 0.499992311 0.499992311))
  (global $one (mut v128) (v128.const f32x4 1 1 1 1))
  ;; below this σ(x) underflows: 0, as 1/(1 + exp(−x)) gives in float32
  (global $sigmoidZero (mut v128) (v128.const f32x4 -87.33654 -87.33654 -87.33654 -87.33654))

  ;; dw [kh, kw, c] (written whole) from xp [n, hp, wp, c] and dy [n, oh, ow, c].
  (func (export "depthwiseFilterGrad")
    (param $xp i32) (param $dy i32) (param $dw i32) (param $n i32) (param $hp i32) (param $wp i32)
    (param $oh i32) (param $ow i32) (param $c i32) (param $kh i32) (param $kw i32) (param $sh i32) (param $sw i32)
    (local $pixel i32) (local $row i32) (local $b i32) (local $y i32) (local $x i32) (local $i i32) (local $j i32)
    (local $corner i32) (local $window i32) (local $acc i32) (local $k i32)
    (local.set $pixel (i32.shl (local.get $c) (i32.const 2)))
    (memory.fill (local.get $dw) (i32.const 0) (i32.mul (i32.mul (local.get $kh) (local.get $kw)) (local.get $pixel)))
    (local.set $row (i32.mul (local.get $wp) (local.get $pixel)))
    (block $doneB (loop $nextB
      (br_if $doneB (i32.ge_u (local.get $b) (local.get $n)))
      (local.set $y (i32.const 0))
      (block $doneY (loop $nextY
        (br_if $doneY (i32.ge_u (local.get $y) (local.get $oh)))
        (local.set $x (i32.const 0))
        (block $doneX (loop $nextX
          (br_if $doneX (i32.ge_u (local.get $x) (local.get $ow)))
          ;; the window's top left corner: xp[b, y·sh, x·sw, 0]
          (local.set $corner (i32.add (local.get $xp) (i32.add
            (i32.mul (i32.add (i32.mul (local.get $b) (local.get $hp)) (i32.mul (local.get $y) (local.get $sh))) (local.get $row))
            (i32.mul (i32.mul (local.get $x) (local.get $sw)) (local.get $pixel)))))
          (local.set $acc (local.get $dw))
          (local.set $i (i32.const 0))
          (block $doneI (loop $nextI
            (br_if $doneI (i32.ge_u (local.get $i) (local.get $kh)))
            (local.set $window (local.get $corner))
            (local.set $j (i32.const 0))
            (block $doneJ (loop $nextJ
              (br_if $doneJ (i32.ge_u (local.get $j) (local.get $kw)))
              ;; dw[i, j, :] += xp[b, y·sh + i, x·sw + j, :] · dy[b, y, x, :]
              (local.set $k (i32.const 0))
              (block $doneK (loop $nextK
                (br_if $doneK (i32.ge_u (local.get $k) (local.get $pixel)))
                (v128.store align=4 (i32.add (local.get $acc) (local.get $k))
                  (f32x4.add (v128.load align=4 (i32.add (local.get $acc) (local.get $k)))
                    (f32x4.mul (v128.load align=4 (i32.add (local.get $window) (local.get $k)))
                               (v128.load align=4 (i32.add (local.get $dy) (local.get $k))))))
                (local.set $k (i32.add (local.get $k) (i32.const 16)))
                (br $nextK)))
              (local.set $acc (i32.add (local.get $acc) (local.get $pixel)))
              (local.set $window (i32.add (local.get $window) (local.get $pixel)))
              (local.set $j (i32.add (local.get $j) (i32.const 1)))
              (br $nextJ)))
            (local.set $corner (i32.add (local.get $corner) (local.get $row)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $nextI)))
          (local.set $dy (i32.add (local.get $dy) (local.get $pixel)))
          (local.set $x (i32.add (local.get $x) (i32.const 1)))
          (br $nextX)))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $nextY)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $nextB))))

;; Sums over a block of leading axes (batch-norm statistics, bias gradients, global pooling), x
;; viewed as [outer, reduced, inner] with inner a multiple of 4:
;;   out[o, k] = weight · Σ_r x[o, r, k]             (centre 0)
;;   out[o, k] = weight · Σ_r (x[o, r, k] − centre[k])²   (centre the address of inner values)
;; Rows are added in order into acc (inner values, scratch), and every 128 rows acc is added to
;; out, so that a long sum (50,000 rows) loses little to rounding; the weight (1/R for a mean)
;; scales the sum at the end. With a centre, each term is rounded as Sub then Square round it.
  (func (export "sumLeading")
    (param $x i32) (param $out i32) (param $acc i32) (param $outer i32) (param $reduced i32) (param $inner i32) (param $weight f32) (param $centre i32)
    (local $row i32) (local $o i32) (local $r i32) (local $end i32) (local $k i32) (local $scale v128) (local $v v128)
    (local.set $row (i32.shl (local.get $inner) (i32.const 2)))
    (local.set $scale (f32x4.splat (local.get $weight)))
    (block $doneO (loop $nextO
      (br_if $doneO (i32.ge_u (local.get $o) (local.get $outer)))
      (memory.fill (local.get $out) (i32.const 0) (local.get $row))
      (local.set $r (i32.const 0))
      (block $doneR (loop $nextBlock
        (br_if $doneR (i32.ge_u (local.get $r) (local.get $reduced)))
        (local.set $end (select (i32.add (local.get $r) (i32.const 128)) (local.get $reduced)
          (i32.lt_u (i32.add (local.get $r) (i32.const 128)) (local.get $reduced))))
        (memory.fill (local.get $acc) (i32.const 0) (local.get $row))
        (block $doneRow (loop $nextRow
          (br_if $doneRow (i32.ge_u (local.get $r) (local.get $end)))
          ;; acc += x[o, r, :], or (x[o, r, :] − centre)²
          (local.set $k (i32.const 0))
          (block $doneK (loop $nextK
            (br_if $doneK (i32.ge_u (local.get $k) (local.get $row)))
            (local.set $v (v128.load align=4 (i32.add (local.get $x) (local.get $k))))
            (if (local.get $centre) (then
              (local.set $v (f32x4.sub (local.get $v) (v128.load align=4 (i32.add (local.get $centre) (local.get $k)))))
              (local.set $v (f32x4.mul (local.get $v) (local.get $v)))))
            (v128.store align=4 (i32.add (local.get $acc) (local.get $k))
              (f32x4.add (v128.load align=4 (i32.add (local.get $acc) (local.get $k))) (local.get $v)))
            (local.set $k (i32.add (local.get $k) (i32.const 16)))
            (br $nextK)))
          (local.set $x (i32.add (local.get $x) (local.get $row)))
          (local.set $r (i32.add (local.get $r) (i32.const 1)))
          (br $nextRow)))
        ;; out[o, :] += acc
        (local.set $k (i32.const 0))
        (block $doneK (loop $nextK
          (br_if $doneK (i32.ge_u (local.get $k) (local.get $row)))
          (v128.store align=4 (i32.add (local.get $out) (local.get $k))
            (f32x4.add (v128.load align=4 (i32.add (local.get $out) (local.get $k)))
                       (v128.load align=4 (i32.add (local.get $acc) (local.get $k)))))
          (local.set $k (i32.add (local.get $k) (i32.const 16)))
          (br $nextK)))
        (br $nextBlock)))
      ;; out[o, :] *= weight
      (local.set $k (i32.const 0))
      (block $doneK (loop $nextK
        (br_if $doneK (i32.ge_u (local.get $k) (local.get $row)))
        (v128.store align=4 (i32.add (local.get $out) (local.get $k))
          (f32x4.mul (v128.load align=4 (i32.add (local.get $out) (local.get $k))) (local.get $scale)))
        (local.set $k (i32.add (local.get $k) (i32.const 16)))
        (br $nextK)))
      (local.set $out (i32.add (local.get $out) (local.get $row)))
      (local.set $o (i32.add (local.get $o) (i32.const 1)))
      (br $nextO))))

;; Batch norm with per-channel statistics, x viewed as [rows, inner] with inner (the channels) a
;; multiple of 4, in one pass: out[r, k] = (x[r, k] − shift[k]) · scale[k] + offset[k], each step
;; rounded to float32 as the three broadcast kernels it replaces round them.
  (func (export "channelAffine")
    (param $x i32) (param $out i32) (param $shift i32) (param $scale i32) (param $offset i32) (param $rows i32) (param $inner i32)
    (local $row i32) (local $r i32) (local $k i32)
    (local.set $row (i32.shl (local.get $inner) (i32.const 2)))
    (block $doneR (loop $nextR
      (br_if $doneR (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $k (i32.const 0))
      (block $doneK (loop $nextK
        (br_if $doneK (i32.ge_u (local.get $k) (local.get $row)))
        (v128.store align=4 (i32.add (local.get $out) (local.get $k))
          (f32x4.add
            (f32x4.mul
              (f32x4.sub (v128.load align=4 (i32.add (local.get $x) (local.get $k)))
                         (v128.load align=4 (i32.add (local.get $shift) (local.get $k))))
              (v128.load align=4 (i32.add (local.get $scale) (local.get $k))))
            (v128.load align=4 (i32.add (local.get $offset) (local.get $k)))))
        (local.set $k (i32.add (local.get $k) (i32.const 16)))
        (br $nextK)))
      (local.set $x (i32.add (local.get $x) (local.get $row)))
      (local.set $out (i32.add (local.get $out) (local.get $row)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $nextR))))

;; Add (op 0), subtract (1) or multiply (2) a per-channel row to every row of x, x viewed as
;; [rows, inner] with inner (the channels) a multiple of 4: out[r, k] = x[r, k] op v[k].
  (func (export "channelBinary")
    (param $op i32) (param $x i32) (param $v i32) (param $out i32) (param $rows i32) (param $inner i32)
    (local $row i32) (local $r i32) (local $k i32) (local $a v128) (local $b v128)
    (local.set $row (i32.shl (local.get $inner) (i32.const 2)))
    (block $doneR (loop $nextR
      (br_if $doneR (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $k (i32.const 0))
      (block $doneK (loop $nextK
        (br_if $doneK (i32.ge_u (local.get $k) (local.get $row)))
        (local.set $a (v128.load align=4 (i32.add (local.get $x) (local.get $k))))
        (local.set $b (v128.load align=4 (i32.add (local.get $v) (local.get $k))))
        (v128.store align=4 (i32.add (local.get $out) (local.get $k))
          (if (result v128) (i32.eqz (local.get $op))
            (then (f32x4.add (local.get $a) (local.get $b)))
            (else (if (result v128) (i32.eq (local.get $op) (i32.const 1))
              (then (f32x4.sub (local.get $a) (local.get $b)))
              (else (f32x4.mul (local.get $a) (local.get $b)))))))
        (local.set $k (i32.add (local.get $k) (i32.const 16)))
        (br $nextK)))
      (local.set $x (i32.add (local.get $x) (local.get $row)))
      (local.set $out (i32.add (local.get $out) (local.get $row)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $nextR))))

;; SiLU's gradient for @effnet/blocks (kernel EffnetSiluGrad), n values (a multiple of 4) of dy, x
;; and s = σ(x): out = dy · (s · (1 + x · (1 − s))), each step rounded to float32 in that order.
  (func (export "siluGrad")
    (param $dy i32) (param $x i32) (param $s i32) (param $out i32) (param $n i32)
    (local $k i32) (local $end i32) (local $one v128) (local $sv v128)
    (local.set $one (f32x4.splat (f32.const 1)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $k) (local.get $end)))
      (local.set $sv (v128.load align=4 (i32.add (local.get $s) (local.get $k))))
      (v128.store align=4 (i32.add (local.get $out) (local.get $k))
        (f32x4.mul (v128.load align=4 (i32.add (local.get $dy) (local.get $k)))
          (f32x4.mul (local.get $sv)
            (f32x4.add (local.get $one)
              (f32x4.mul (v128.load align=4 (i32.add (local.get $x) (local.get $k)))
                (f32x4.sub (local.get $one) (local.get $sv)))))))
      (local.set $k (i32.add (local.get $k) (i32.const 16)))
      (br $next)))
  )

;; SiLU, out[i] = x[i]·σ(x[i]), for n a multiple of 4 (out may be x). σ(x) = 1/(1 + e^−x) with e^u
;; as 2^n·e^t, e^t a polynomial (relative error ≤ 3e-7 in σ); two vectors at a time, interleaved
;; (each is a chain of dependent steps); where n mod 8 = 4 the last vector is computed twice.
  (func (export "silu")
    (param $in i32) (param $out i32) (param $n i32)
    (call $sigmoidRun (local.get $in) (local.get $out) (local.get $n) (i32.const 4))
  )

;; σ(x[i]) ($act 3) or x[i]·σ(x[i]) ($act 4, SiLU) into out[i], as silu above computes it: the
;; sigmoid and SiLU that the convolutions below apply to their output while it is in cache.
  (func $sigmoidRun
    (param $in i32) (param $out i32) (param $n i32) (param $act i32)
    (local $k i32) (local $k2 i32) (local $end i32) (local $x0 v128) (local $u0 v128) (local $r0 v128) (local $s0 v128) (local $t0 v128) (local $p0 v128) (local $x1 v128) (local $u1 v128) (local $r1 v128) (local $s1 v128) (local $t1 v128) (local $p1 v128)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $k) (local.get $end)))
      (local.set $k2 (select (i32.add (local.get $k) (i32.const 16)) (local.get $k) (i32.le_u (i32.add (local.get $k) (i32.const 32)) (local.get $end))))
      (local.set $x0 (v128.load align=4 (i32.add (local.get $in) (local.get $k))))
      (local.set $x1 (v128.load align=4 (i32.add (local.get $in) (local.get $k2))))
      ;; u = −x within [expLow, expHigh]
      (local.set $u0 (f32x4.pmax (f32x4.pmin (v128.xor (local.get $x0) (global.get $signBit)) (global.get $expHigh)) (global.get $expLow)))
      (local.set $u1 (f32x4.pmax (f32x4.pmin (v128.xor (local.get $x1) (global.get $signBit)) (global.get $expHigh)) (global.get $expLow)))
      ;; e^u = 2^n · e^t: n = round(u·log2 e), 2^n from n + 127 shifted into the exponent
      (local.set $r0 (f32x4.add (f32x4.mul (local.get $u0) (global.get $log2e)) (global.get $roundBias)))
      (local.set $r1 (f32x4.add (f32x4.mul (local.get $u1) (global.get $log2e)) (global.get $roundBias)))
      (local.set $s0 (i32x4.shl (local.get $r0) (i32.const 23)))
      (local.set $s1 (i32x4.shl (local.get $r1) (i32.const 23)))
      (local.set $r0 (f32x4.sub (local.get $r0) (global.get $roundBias)))
      (local.set $r1 (f32x4.sub (local.get $r1) (global.get $roundBias)))
      ;; t = u − n·ln 2
      (local.set $t0 (f32x4.add (f32x4.mul (local.get $r0) (global.get $ln2High)) (local.get $u0)))
      (local.set $t1 (f32x4.add (f32x4.mul (local.get $r1) (global.get $ln2High)) (local.get $u1)))
      (local.set $t0 (f32x4.add (f32x4.mul (local.get $r0) (global.get $ln2Low)) (local.get $t0)))
      (local.set $t1 (f32x4.add (f32x4.mul (local.get $r1) (global.get $ln2Low)) (local.get $t1)))
      ;; e^t
      (local.set $p0 (f32x4.add (f32x4.mul (global.get $exp5) (local.get $t0)) (global.get $exp4)))
      (local.set $p1 (f32x4.add (f32x4.mul (global.get $exp5) (local.get $t1)) (global.get $exp4)))
      (local.set $p0 (f32x4.add (f32x4.mul (local.get $p0) (local.get $t0)) (global.get $exp3)))
      (local.set $p1 (f32x4.add (f32x4.mul (local.get $p1) (local.get $t1)) (global.get $exp3)))
      (local.set $p0 (f32x4.add (f32x4.mul (local.get $p0) (local.get $t0)) (global.get $exp2)))
      (local.set $p1 (f32x4.add (f32x4.mul (local.get $p1) (local.get $t1)) (global.get $exp2)))
      (local.set $p0 (f32x4.add (f32x4.mul (local.get $p0) (local.get $t0)) (global.get $one)))
      (local.set $p1 (f32x4.add (f32x4.mul (local.get $p1) (local.get $t1)) (global.get $one)))
      ;; e^u = 2^n + 2^n·t·(…)
      (local.set $t0 (f32x4.mul (local.get $t0) (local.get $s0)))
      (local.set $t1 (f32x4.mul (local.get $t1) (local.get $s1)))
      (local.set $p0 (f32x4.add (f32x4.mul (local.get $t0) (local.get $p0)) (local.get $s0)))
      (local.set $p1 (f32x4.add (f32x4.mul (local.get $t1) (local.get $p1)) (local.get $s1)))
      ;; σ(x) = 1 / (1 + e^−x), 0 where it underflows
      (local.set $p0 (f32x4.div (global.get $one) (f32x4.add (local.get $p0) (global.get $one))))
      (local.set $p1 (f32x4.div (global.get $one) (f32x4.add (local.get $p1) (global.get $one))))
      (local.set $p0 (v128.andnot (local.get $p0) (f32x4.lt (local.get $x0) (global.get $sigmoidZero))))
      (local.set $p1 (v128.andnot (local.get $p1) (f32x4.lt (local.get $x1) (global.get $sigmoidZero))))
      (if (i32.eq (local.get $act) (i32.const 4))
        (then
          (local.set $p0 (f32x4.mul (local.get $x0) (local.get $p0)))
          (local.set $p1 (f32x4.mul (local.get $x1) (local.get $p1)))))
      (v128.store align=4 (i32.add (local.get $out) (local.get $k)) (local.get $p0))
      (v128.store align=4 (i32.add (local.get $out) (local.get $k2)) (local.get $p1))
      (local.set $k (i32.add (local.get $k2) (i32.const 16)))
      (br $next)))
  )

;; The two passes of batch norm's closed-form gradient (kernel EffnetBatchNormGrad), x and dy
;; viewed as [rows, inner] with inner (the channels) a multiple of 4 and mean one value per channel.
;; The sums, blocked as sumLeading blocks them:
;;   sumDy[k] = Σ_r dy[r, k]        sumDyC[k] = Σ_r dy[r, k] · (x[r, k] − mean[k])
  (func (export "batchNormGradSums")
    (param $dy i32) (param $x i32) (param $mean i32) (param $sumDy i32) (param $sumDyC i32) (param $accDy i32) (param $accDyC i32)
    (param $rows i32) (param $inner i32)
    (local $row i32) (local $r i32) (local $end i32) (local $k i32) (local $d v128)
    (local.set $row (i32.shl (local.get $inner) (i32.const 2)))
    (memory.fill (local.get $sumDy) (i32.const 0) (local.get $row))
    (memory.fill (local.get $sumDyC) (i32.const 0) (local.get $row))
    (block $doneR (loop $nextBlock
      (br_if $doneR (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $end (select (i32.add (local.get $r) (i32.const 128)) (local.get $rows)
        (i32.lt_u (i32.add (local.get $r) (i32.const 128)) (local.get $rows))))
      (memory.fill (local.get $accDy) (i32.const 0) (local.get $row))
      (memory.fill (local.get $accDyC) (i32.const 0) (local.get $row))
      (block $doneRow (loop $nextRow
        (br_if $doneRow (i32.ge_u (local.get $r) (local.get $end)))
        (local.set $k (i32.const 0))
        (block $doneK (loop $nextK
          (br_if $doneK (i32.ge_u (local.get $k) (local.get $row)))
          (local.set $d (v128.load align=4 (i32.add (local.get $dy) (local.get $k))))
          (v128.store align=4 (i32.add (local.get $accDy) (local.get $k))
            (f32x4.add (v128.load align=4 (i32.add (local.get $accDy) (local.get $k))) (local.get $d)))
          (v128.store align=4 (i32.add (local.get $accDyC) (local.get $k))
            (f32x4.add (v128.load align=4 (i32.add (local.get $accDyC) (local.get $k)))
              (f32x4.mul (local.get $d)
                (f32x4.sub (v128.load align=4 (i32.add (local.get $x) (local.get $k)))
                           (v128.load align=4 (i32.add (local.get $mean) (local.get $k)))))))
          (local.set $k (i32.add (local.get $k) (i32.const 16)))
          (br $nextK)))
        (local.set $dy (i32.add (local.get $dy) (local.get $row)))
        (local.set $x (i32.add (local.get $x) (local.get $row)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $nextRow)))
      ;; the block's sums into the totals
      (local.set $k (i32.const 0))
      (block $doneK (loop $nextK
        (br_if $doneK (i32.ge_u (local.get $k) (local.get $row)))
        (v128.store align=4 (i32.add (local.get $sumDy) (local.get $k))
          (f32x4.add (v128.load align=4 (i32.add (local.get $sumDy) (local.get $k)))
                     (v128.load align=4 (i32.add (local.get $accDy) (local.get $k)))))
        (v128.store align=4 (i32.add (local.get $sumDyC) (local.get $k))
          (f32x4.add (v128.load align=4 (i32.add (local.get $sumDyC) (local.get $k)))
                     (v128.load align=4 (i32.add (local.get $accDyC) (local.get $k)))))
        (local.set $k (i32.add (local.get $k) (i32.const 16)))
        (br $nextK)))
      (br $nextBlock))))

;; The input gradient from the per-channel factors:
;;   dx[r, k] = (dy[r, k] · scale[k] + (x[r, k] − mean[k]) · perCentred[k]) + perChannel[k]
;; each step rounded to float32 in that order, as the five kernels it replaces round them.
  (func (export "batchNormGradInput")
    (param $dy i32) (param $x i32) (param $mean i32) (param $scale i32) (param $perCentred i32) (param $perChannel i32) (param $dx i32)
    (param $rows i32) (param $inner i32)
    (local $row i32) (local $r i32) (local $k i32)
    (local.set $row (i32.shl (local.get $inner) (i32.const 2)))
    (block $doneR (loop $nextR
      (br_if $doneR (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $k (i32.const 0))
      (block $doneK (loop $nextK
        (br_if $doneK (i32.ge_u (local.get $k) (local.get $row)))
        (v128.store align=4 (i32.add (local.get $dx) (local.get $k))
          (f32x4.add
            (f32x4.add
              (f32x4.mul (v128.load align=4 (i32.add (local.get $dy) (local.get $k)))
                         (v128.load align=4 (i32.add (local.get $scale) (local.get $k))))
              (f32x4.mul
                (f32x4.sub (v128.load align=4 (i32.add (local.get $x) (local.get $k)))
                           (v128.load align=4 (i32.add (local.get $mean) (local.get $k))))
                (v128.load align=4 (i32.add (local.get $perCentred) (local.get $k)))))
            (v128.load align=4 (i32.add (local.get $perChannel) (local.get $k)))))
        (local.set $k (i32.add (local.get $k) (i32.const 16)))
        (br $nextK)))
      (local.set $dy (i32.add (local.get $dy) (local.get $row)))
      (local.set $x (i32.add (local.get $x) (local.get $row)))
      (local.set $dx (i32.add (local.get $dx) (local.get $row)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $nextR))))

;; A batch of 2-D transposes of 4-byte values (Transpose when the last axis moves), with byte
;; strides: dst[b·dstBatch + c·dstRow + r·4] = src[b·srcBatch + r·srcRow + c·4] for r < rows,
;; c < cols. Whole 4×4 blocks are transposed in registers (four loads, eight shuffles, four
;; stores), 32×32 values at a time so that both sides stay in cache; the rows and columns past the
;; last multiple of 4 are copied one value at a time.
  (func (export "transpose")
    (param $src i32) (param $dst i32) (param $batches i32) (param $rows i32) (param $cols i32)
    (param $srcBatch i32) (param $srcRow i32) (param $dstBatch i32) (param $dstRow i32)
    (local $b i32) (local $rows4 i32) (local $cols4 i32) (local $r0 i32) (local $c0 i32) (local $rEnd i32) (local $cEnd i32)
    (local $r i32) (local $c i32) (local $p i32) (local $q i32)
    (local $va v128) (local $vb v128) (local $vc v128) (local $vd v128) (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $rows4 (i32.and (local.get $rows) (i32.const -4)))
    (local.set $cols4 (i32.and (local.get $cols) (i32.const -4)))
    (block $doneB (loop $nextB
      (br_if $doneB (i32.ge_u (local.get $b) (local.get $batches)))
      ;; whole 4×4 blocks, tile by tile
      (local.set $r0 (i32.const 0))
      (block $doneR0 (loop $nextR0
        (br_if $doneR0 (i32.ge_u (local.get $r0) (local.get $rows4)))
        (local.set $rEnd (select (i32.add (local.get $r0) (i32.const 32)) (local.get $rows4)
          (i32.lt_u (i32.add (local.get $r0) (i32.const 32)) (local.get $rows4))))
        (local.set $c0 (i32.const 0))
        (block $doneC0 (loop $nextC0
          (br_if $doneC0 (i32.ge_u (local.get $c0) (local.get $cols4)))
          (local.set $cEnd (select (i32.add (local.get $c0) (i32.const 32)) (local.get $cols4)
            (i32.lt_u (i32.add (local.get $c0) (i32.const 32)) (local.get $cols4))))
          (local.set $r (local.get $r0))
          (block $doneR (loop $nextR
            (br_if $doneR (i32.ge_u (local.get $r) (local.get $rEnd)))
            (local.set $c (local.get $c0))
            (block $doneC (loop $nextC
              (br_if $doneC (i32.ge_u (local.get $c) (local.get $cEnd)))
              ;; rows r..r+3 of columns c..c+3
              (local.set $p (i32.add (i32.add (local.get $src) (i32.mul (local.get $r) (local.get $srcRow))) (i32.shl (local.get $c) (i32.const 2))))
              (local.set $va (v128.load align=4 (local.get $p)))
              (local.set $vb (v128.load align=4 (i32.add (local.get $p) (local.get $srcRow))))
              (local.set $vc (v128.load align=4 (i32.add (local.get $p) (i32.shl (local.get $srcRow) (i32.const 1)))))
              (local.set $vd (v128.load align=4 (i32.add (local.get $p) (i32.mul (local.get $srcRow) (i32.const 3)))))
              ;; t0 = a0 b0 a1 b1, t1 = a2 b2 a3 b3, t2 = c0 d0 c1 d1, t3 = c2 d2 c3 d3
              (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $va) (local.get $vb)))
              (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $va) (local.get $vb)))
              (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $vc) (local.get $vd)))
              (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $vc) (local.get $vd)))
              ;; column c + k of the four rows goes to destination row c + k, at column r
              (local.set $q (i32.add (i32.add (local.get $dst) (i32.mul (local.get $c) (local.get $dstRow))) (i32.shl (local.get $r) (i32.const 2))))
              (v128.store align=4 (local.get $q)
                (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
              (v128.store align=4 (i32.add (local.get $q) (local.get $dstRow))
                (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
              (v128.store align=4 (i32.add (local.get $q) (i32.shl (local.get $dstRow) (i32.const 1)))
                (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
              (v128.store align=4 (i32.add (local.get $q) (i32.mul (local.get $dstRow) (i32.const 3)))
                (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
              (local.set $c (i32.add (local.get $c) (i32.const 4)))
              (br $nextC)))
            (local.set $r (i32.add (local.get $r) (i32.const 4)))
            (br $nextR)))
          (local.set $c0 (local.get $cEnd))
          (br $nextC0)))
        (local.set $r0 (local.get $rEnd))
        (br $nextR0)))
      ;; the columns past cols4, every row; then the rows past rows4, columns below cols4
      (local.set $r (i32.const 0))
      (block $doneEdge (loop $nextEdge
        (br_if $doneEdge (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $c (select (i32.const 0) (local.get $cols4) (i32.ge_u (local.get $r) (local.get $rows4))))
        (block $doneEdgeC (loop $nextEdgeC
          (br_if $doneEdgeC (i32.ge_u (local.get $c) (local.get $cols)))
          (f32.store align=4
            (i32.add (i32.add (local.get $dst) (i32.mul (local.get $c) (local.get $dstRow))) (i32.shl (local.get $r) (i32.const 2)))
            (f32.load align=4 (i32.add (i32.add (local.get $src) (i32.mul (local.get $r) (local.get $srcRow))) (i32.shl (local.get $c) (i32.const 2)))))
          (local.set $c (i32.add (local.get $c) (i32.const 1)))
          (br $nextEdgeC)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $nextEdge)))
      (local.set $src (i32.add (local.get $src) (local.get $srcBatch)))
      (local.set $dst (i32.add (local.get $dst) (local.get $dstBatch)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $nextB))))

;; A depthwise convolution (channel multiplier 1, no dilation) of x [n, h, w, c] (c a multiple of
;; 4) by f [kh, kw, c], zero-padded by padTop rows above and padLeft columns left (and as far as
;; the windows reach below and right), plus bias[c] when $hasBias is 1, then activation $act (0
;; none, 1 relu, 2 relu6, 3 sigmoid, 4 SiLU: the last two by $sigmoidRun over each output row once
;; it is written, while it is in cache), into out [n, oh, ow, c]:
;;   out[b, y, x, k] = act(Σ_{i, j} x[b, y·sh + i − padTop, x·sw + j − padLeft, k] · f[i, j, k] + bias[k])
;; summing, from 0 and in order, the taps that fall inside x (as tfjs-backend-cpu does), then
;; adding the bias. Output columns xs ≤ x < xe have every tap column inside x: there four pixels
;; at a time share each tap's weights; the other columns go one pixel at a time, with their
;; columns of taps cut to the input.
  (func (export "depthwiseConv")
    (param $x0 i32) (param $f i32) (param $bias i32) (param $out i32) (param $n i32) (param $h i32) (param $w i32)
    (param $oh i32) (param $ow i32) (param $c i32) (param $kh i32) (param $kw i32) (param $sh i32) (param $sw i32)
    (param $padTop i32) (param $padLeft i32) (param $xs i32) (param $xe i32) (param $hasBias i32) (param $act i32)
    (local $pixel i32) (local $row i32) (local $filterRow i32) (local $b i32) (local $y i32) (local $x i32) (local $i i32) (local $j i32) (local $k i32)
    (local $iy i32) (local $ix i32) (local $i0 i32) (local $i1 i32) (local $j0 i32) (local $j1 i32)
    (local $rowStart i32) (local $tapRow i32) (local $outRow i32) (local $corner i32) (local $window i32) (local $tap i32) (local $wt i32) (local $dst i32)
    (local $step1 i32) (local $step2 i32) (local $step3 i32) (local $out1 i32) (local $out2 i32) (local $out3 i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $wv v128) (local $bv v128) (local $clamp i32) (local $zero v128) (local $six v128)
    (local.set $six (f32x4.splat (f32.const 6)))
    ;; relu and relu6 clamp in registers; sigmoid and SiLU (3, 4) run on the stored output
    (local.set $clamp (i32.lt_u (i32.sub (local.get $act) (i32.const 1)) (i32.const 2)))
    (local.set $pixel (i32.shl (local.get $c) (i32.const 2)))
    (local.set $row (i32.mul (local.get $w) (local.get $pixel)))
    (local.set $filterRow (i32.mul (local.get $kw) (local.get $pixel)))
    ;; byte distances between the windows, and between the outputs, of neighbouring pixels
    (local.set $step1 (i32.mul (local.get $sw) (local.get $pixel)))
    (local.set $step2 (i32.shl (local.get $step1) (i32.const 1)))
    (local.set $step3 (i32.mul (local.get $step1) (i32.const 3)))
    (local.set $out1 (local.get $pixel))
    (local.set $out2 (i32.shl (local.get $pixel) (i32.const 1)))
    (local.set $out3 (i32.mul (local.get $pixel) (i32.const 3)))
    (local.set $outRow (local.get $out))
    (block $doneB (loop $nextB
      (br_if $doneB (i32.ge_u (local.get $b) (local.get $n)))
      (local.set $y (i32.const 0))
      (block $doneY (loop $nextY
        (br_if $doneY (i32.ge_u (local.get $y) (local.get $oh)))
        ;; this row's windows start at input row iy; their taps i0 ≤ i < i1 lie inside the input
        (local.set $iy (i32.sub (i32.mul (local.get $y) (local.get $sh)) (local.get $padTop)))
        (local.set $i0 (select (i32.sub (i32.const 0) (local.get $iy)) (i32.const 0) (i32.lt_s (local.get $iy) (i32.const 0))))
        (local.set $i1 (select (i32.sub (local.get $h) (local.get $iy)) (local.get $kh) (i32.lt_s (i32.sub (local.get $h) (local.get $iy)) (local.get $kh))))
        (local.set $rowStart (i32.add (local.get $x0)
          (i32.mul (i32.add (i32.mul (local.get $b) (local.get $h)) (i32.add (local.get $iy) (local.get $i0))) (local.get $row))))
        (local.set $tapRow (i32.add (local.get $f) (i32.mul (local.get $i0) (local.get $filterRow))))
        (local.set $x (i32.const 0))
        (block $doneX (loop $nextX
          (br_if $doneX (i32.ge_u (local.get $x) (local.get $ow)))
          (if (i32.and (i32.ge_u (local.get $x) (local.get $xs)) (i32.le_u (i32.add (local.get $x) (i32.const 4)) (local.get $xe)))
            (then
              (local.set $ix (i32.sub (i32.mul (local.get $x) (local.get $sw)) (local.get $padLeft)))
          (local.set $k (i32.const 0))
          (block $doneK4 (loop $nextK4
            (br_if $doneK4 (i32.ge_u (local.get $k) (local.get $pixel)))
            (local.set $a0 (local.get $zero)) (local.set $a1 (local.get $zero)) (local.set $a2 (local.get $zero)) (local.set $a3 (local.get $zero))
            (local.set $corner (i32.add (i32.add (local.get $rowStart) (i32.mul (i32.add (local.get $ix) (i32.const 0)) (local.get $pixel))) (local.get $k)))
            (local.set $tap (i32.add (i32.add (local.get $tapRow) (i32.mul (i32.const 0) (local.get $pixel))) (local.get $k)))
            (local.set $i (local.get $i0))
            (block $doneI4 (loop $nextI4
              (br_if $doneI4 (i32.ge_s (local.get $i) (local.get $i1)))
              (local.set $window (local.get $corner))
              (local.set $wt (local.get $tap))
              (local.set $j (i32.const 0))
              (block $doneJ4 (loop $nextJ4
                (br_if $doneJ4 (i32.ge_s (local.get $j) (local.get $kw)))
                (local.set $wv (v128.load align=4 (local.get $wt)))
                (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load align=4 (local.get $window)) (local.get $wv))))
                (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (v128.load align=4 (i32.add (local.get $window) (local.get $step1))) (local.get $wv))))
                (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (v128.load align=4 (i32.add (local.get $window) (local.get $step2))) (local.get $wv))))
                (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (v128.load align=4 (i32.add (local.get $window) (local.get $step3))) (local.get $wv))))
                (local.set $wt (i32.add (local.get $wt) (local.get $pixel)))
                (local.set $window (i32.add (local.get $window) (local.get $pixel)))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $nextJ4)))
              (local.set $corner (i32.add (local.get $corner) (local.get $row)))
              (local.set $tap (i32.add (local.get $tap) (local.get $filterRow)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $nextI4)))
            (local.set $dst (i32.add (i32.add (local.get $outRow) (i32.mul (local.get $x) (local.get $pixel))) (local.get $k)))
            (if (local.get $hasBias) (then (local.set $bv (v128.load align=4 (i32.add (local.get $bias) (local.get $k))))))
            (if (local.get $hasBias) (then (local.set $a0 (f32x4.add (local.get $a0) (local.get $bv)))))
            (if (local.get $clamp) (then (local.set $a0 (f32x4.pmax (local.get $a0) (local.get $zero)))))
            (if (i32.eq (local.get $act) (i32.const 2)) (then (local.set $a0 (f32x4.pmin (local.get $a0) (local.get $six)))))
            (v128.store align=4 (local.get $dst) (local.get $a0))
            (if (local.get $hasBias) (then (local.set $a1 (f32x4.add (local.get $a1) (local.get $bv)))))
            (if (local.get $clamp) (then (local.set $a1 (f32x4.pmax (local.get $a1) (local.get $zero)))))
            (if (i32.eq (local.get $act) (i32.const 2)) (then (local.set $a1 (f32x4.pmin (local.get $a1) (local.get $six)))))
            (v128.store align=4 (i32.add (local.get $dst) (local.get $out1)) (local.get $a1))
            (if (local.get $hasBias) (then (local.set $a2 (f32x4.add (local.get $a2) (local.get $bv)))))
            (if (local.get $clamp) (then (local.set $a2 (f32x4.pmax (local.get $a2) (local.get $zero)))))
            (if (i32.eq (local.get $act) (i32.const 2)) (then (local.set $a2 (f32x4.pmin (local.get $a2) (local.get $six)))))
            (v128.store align=4 (i32.add (local.get $dst) (local.get $out2)) (local.get $a2))
            (if (local.get $hasBias) (then (local.set $a3 (f32x4.add (local.get $a3) (local.get $bv)))))
            (if (local.get $clamp) (then (local.set $a3 (f32x4.pmax (local.get $a3) (local.get $zero)))))
            (if (i32.eq (local.get $act) (i32.const 2)) (then (local.set $a3 (f32x4.pmin (local.get $a3) (local.get $six)))))
            (v128.store align=4 (i32.add (local.get $dst) (local.get $out3)) (local.get $a3))
            (local.set $k (i32.add (local.get $k) (i32.const 16)))
            (br $nextK4)))
              (local.set $x (i32.add (local.get $x) (i32.const 4))))
            (else
          ;; this pixel's window starts at column ix; its taps j0 ≤ j < j1 lie inside the input
          (local.set $ix (i32.sub (i32.mul (local.get $x) (local.get $sw)) (local.get $padLeft)))
          (local.set $j0 (select (i32.sub (i32.const 0) (local.get $ix)) (i32.const 0) (i32.lt_s (local.get $ix) (i32.const 0))))
          (local.set $j1 (select (i32.sub (local.get $w) (local.get $ix)) (local.get $kw) (i32.lt_s (i32.sub (local.get $w) (local.get $ix)) (local.get $kw))))
          (local.set $k (i32.const 0))
          (block $doneK1 (loop $nextK1
            (br_if $doneK1 (i32.ge_u (local.get $k) (local.get $pixel)))
            (local.set $a0 (local.get $zero))
            (local.set $corner (i32.add (i32.add (local.get $rowStart) (i32.mul (i32.add (local.get $ix) (local.get $j0)) (local.get $pixel))) (local.get $k)))
            (local.set $tap (i32.add (i32.add (local.get $tapRow) (i32.mul (local.get $j0) (local.get $pixel))) (local.get $k)))
            (local.set $i (local.get $i0))
            (block $doneI1 (loop $nextI1
              (br_if $doneI1 (i32.ge_s (local.get $i) (local.get $i1)))
              (local.set $window (local.get $corner))
              (local.set $wt (local.get $tap))
              (local.set $j (local.get $j0))
              (block $doneJ1 (loop $nextJ1
                (br_if $doneJ1 (i32.ge_s (local.get $j) (local.get $j1)))
                (local.set $wv (v128.load align=4 (local.get $wt)))
                (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load align=4 (local.get $window)) (local.get $wv))))
                (local.set $wt (i32.add (local.get $wt) (local.get $pixel)))
                (local.set $window (i32.add (local.get $window) (local.get $pixel)))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $nextJ1)))
              (local.set $corner (i32.add (local.get $corner) (local.get $row)))
              (local.set $tap (i32.add (local.get $tap) (local.get $filterRow)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $nextI1)))
            (local.set $dst (i32.add (i32.add (local.get $outRow) (i32.mul (local.get $x) (local.get $pixel))) (local.get $k)))
            (if (local.get $hasBias) (then (local.set $bv (v128.load align=4 (i32.add (local.get $bias) (local.get $k))))))
            (if (local.get $hasBias) (then (local.set $a0 (f32x4.add (local.get $a0) (local.get $bv)))))
            (if (local.get $clamp) (then (local.set $a0 (f32x4.pmax (local.get $a0) (local.get $zero)))))
            (if (i32.eq (local.get $act) (i32.const 2)) (then (local.set $a0 (f32x4.pmin (local.get $a0) (local.get $six)))))
            (v128.store align=4 (local.get $dst) (local.get $a0))
            (local.set $k (i32.add (local.get $k) (i32.const 16)))
            (br $nextK1)))
              (local.set $x (i32.add (local.get $x) (i32.const 1)))))
          (br $nextX)))
        ;; sigmoid or SiLU on this output row while it is in cache
        (if (i32.ge_u (local.get $act) (i32.const 3))
          (then (call $sigmoidRun (local.get $outRow) (local.get $outRow) (i32.mul (local.get $ow) (local.get $c)) (local.get $act))))
        (local.set $outRow (i32.add (local.get $outRow) (i32.mul (local.get $ow) (local.get $pixel))))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $nextY)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $nextB)))
  )

;; A 1×1 convolution (stride 1, no padding) as a matrix product, C [M, N] = A [M, K] · B [K, N],
;; plus bias[N] when $hasBias is 1, then activation $act (0 none, 1 relu, 2 relu6; 3 sigmoid and
;; 4 SiLU by one pass of $sigmoidRun over C after the product: rows in bands, each band's pass right
;; after it while in cache, was no faster on B0), for K ≥ 1 and
;; N a multiple of 8: A is the input [n·h·w, Cin], B the filter [1, 1, Cin, Cout], both row-major.
;; Blocks of 4 rows × 8 columns are summed in eight registers from 0, k in order (each of A's four
;; values splatted, B's eight loaded), then the bias added (+0 without one); columns outermost, so that the block of
;; B (K × 8 values) stays in cache while the rows go by; the last M mod 4 rows one at a time.
  (func (export "pointwise")
    (param $A i32) (param $B i32) (param $bias i32) (param $C i32) (param $M i32) (param $K i32) (param $N i32) (param $hasBias i32) (param $act i32)
    (local $m i32) (local $n i32) (local $k i32) (local $pa i32) (local $pb i32) (local $pc i32) (local $nBytes i32)
    (local $rowA1 i32) (local $rowA2 i32) (local $rowA3 i32) (local $rowC1 i32) (local $rowC2 i32) (local $rowC3 i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128) (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $a v128) (local $b0 v128) (local $b1 v128) (local $bias0 v128) (local $bias1 v128) (local $clamp i32) (local $zero v128) (local $six v128)
    ;; byte strides of one, two and three rows of A (K values) and of B and C (N values)
    (local.set $rowA1 (i32.shl (local.get $K) (i32.const 2)))
    (local.set $rowA2 (i32.shl (local.get $rowA1) (i32.const 1)))
    (local.set $rowA3 (i32.mul (local.get $rowA1) (i32.const 3)))
    (local.set $rowC1 (i32.shl (local.get $N) (i32.const 2)))
    (local.set $rowC2 (i32.shl (local.get $rowC1) (i32.const 1)))
    (local.set $rowC3 (i32.mul (local.get $rowC1) (i32.const 3)))
    (local.set $nBytes (local.get $rowC1))
    (local.set $six (f32x4.splat (f32.const 6)))
    ;; relu and relu6 clamp in registers; sigmoid and SiLU (3, 4) run on the stored output
    (local.set $clamp (i32.lt_u (i32.sub (local.get $act) (i32.const 1)) (i32.const 2)))
    (block $doneN (loop $nextN
      (br_if $doneN (i32.ge_u (local.get $n) (local.get $nBytes)))
      ;; this block of columns' eight biases (zero without a bias)
      (if (local.get $hasBias)
        (then
          (local.set $bias0 (v128.load align=4 (i32.add (local.get $bias) (local.get $n))))
          (local.set $bias1 (v128.load offset=16 align=4 (i32.add (local.get $bias) (local.get $n))))))
      (local.set $m (i32.const 0))
      (block $doneM4 (loop $nextM4
        (br_if $doneM4 (i32.gt_u (i32.add (local.get $m) (i32.const 4)) (local.get $M)))
        (local.set $c00 (local.get $zero)) (local.set $c01 (local.get $zero)) (local.set $c10 (local.get $zero)) (local.set $c11 (local.get $zero)) (local.set $c20 (local.get $zero)) (local.set $c21 (local.get $zero)) (local.set $c30 (local.get $zero)) (local.set $c31 (local.get $zero))
        (local.set $pa (i32.add (local.get $A) (i32.mul (local.get $m) (local.get $rowA1))))
        (local.set $pb (i32.add (local.get $B) (local.get $n)))
        (local.set $k (local.get $K))
        (loop $nextK4
          (local.set $b0 (v128.load align=4 (local.get $pb)))
          (local.set $b1 (v128.load offset=16 align=4 (local.get $pb)))
          (local.set $a (v128.load32_splat align=4 (local.get $pa)))
          (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $a) (local.get $b0))))
          (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $a) (local.get $b1))))
          (local.set $a (v128.load32_splat align=4 (i32.add (local.get $pa) (local.get $rowA1))))
          (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $a) (local.get $b0))))
          (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $a) (local.get $b1))))
          (local.set $a (v128.load32_splat align=4 (i32.add (local.get $pa) (local.get $rowA2))))
          (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $a) (local.get $b0))))
          (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $a) (local.get $b1))))
          (local.set $a (v128.load32_splat align=4 (i32.add (local.get $pa) (local.get $rowA3))))
          (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $a) (local.get $b0))))
          (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $a) (local.get $b1))))
          (local.set $pa (i32.add (local.get $pa) (i32.const 4)))
          (local.set $pb (i32.add (local.get $pb) (local.get $rowC1)))
          (local.set $k (i32.sub (local.get $k) (i32.const 1)))
          (br_if $nextK4 (local.get $k)))
        (local.set $pc (i32.add (i32.add (local.get $C) (i32.mul (local.get $m) (local.get $rowC1))) (local.get $n)))
        (local.set $c00 (f32x4.add (local.get $c00) (local.get $bias0)))
        (if (local.get $clamp) (then (local.set $c00 (f32x4.pmax (local.get $c00) (local.get $zero)))))
        (if (i32.eq (local.get $act) (i32.const 2)) (then (local.set $c00 (f32x4.pmin (local.get $c00) (local.get $six)))))
        (local.set $c01 (f32x4.add (local.get $c01) (local.get $bias1)))
        (if (local.get $clamp) (then (local.set $c01 (f32x4.pmax (local.get $c01) (local.get $zero)))))
        (if (i32.eq (local.get $act) (i32.const 2)) (then (local.set $c01 (f32x4.pmin (local.get $c01) (local.get $six)))))
        (local.set $c10 (f32x4.add (local.get $c10) (local.get $bias0)))
        (if (local.get $clamp) (then (local.set $c10 (f32x4.pmax (local.get $c10) (local.get $zero)))))
        (if (i32.eq (local.get $act) (i32.const 2)) (then (local.set $c10 (f32x4.pmin (local.get $c10) (local.get $six)))))
        (local.set $c11 (f32x4.add (local.get $c11) (local.get $bias1)))
        (if (local.get $clamp) (then (local.set $c11 (f32x4.pmax (local.get $c11) (local.get $zero)))))
        (if (i32.eq (local.get $act) (i32.const 2)) (then (local.set $c11 (f32x4.pmin (local.get $c11) (local.get $six)))))
        (local.set $c20 (f32x4.add (local.get $c20) (local.get $bias0)))
        (if (local.get $clamp) (then (local.set $c20 (f32x4.pmax (local.get $c20) (local.get $zero)))))
        (if (i32.eq (local.get $act) (i32.const 2)) (then (local.set $c20 (f32x4.pmin (local.get $c20) (local.get $six)))))
        (local.set $c21 (f32x4.add (local.get $c21) (local.get $bias1)))
        (if (local.get $clamp) (then (local.set $c21 (f32x4.pmax (local.get $c21) (local.get $zero)))))
        (if (i32.eq (local.get $act) (i32.const 2)) (then (local.set $c21 (f32x4.pmin (local.get $c21) (local.get $six)))))
        (local.set $c30 (f32x4.add (local.get $c30) (local.get $bias0)))
        (if (local.get $clamp) (then (local.set $c30 (f32x4.pmax (local.get $c30) (local.get $zero)))))
        (if (i32.eq (local.get $act) (i32.const 2)) (then (local.set $c30 (f32x4.pmin (local.get $c30) (local.get $six)))))
        (local.set $c31 (f32x4.add (local.get $c31) (local.get $bias1)))
        (if (local.get $clamp) (then (local.set $c31 (f32x4.pmax (local.get $c31) (local.get $zero)))))
        (if (i32.eq (local.get $act) (i32.const 2)) (then (local.set $c31 (f32x4.pmin (local.get $c31) (local.get $six)))))
        (v128.store align=4 (local.get $pc) (local.get $c00))
        (v128.store offset=16 align=4 (local.get $pc) (local.get $c01))
        (v128.store align=4 (i32.add (local.get $pc) (local.get $rowC1)) (local.get $c10))
        (v128.store offset=16 align=4 (i32.add (local.get $pc) (local.get $rowC1)) (local.get $c11))
        (v128.store align=4 (i32.add (local.get $pc) (local.get $rowC2)) (local.get $c20))
        (v128.store offset=16 align=4 (i32.add (local.get $pc) (local.get $rowC2)) (local.get $c21))
        (v128.store align=4 (i32.add (local.get $pc) (local.get $rowC3)) (local.get $c30))
        (v128.store offset=16 align=4 (i32.add (local.get $pc) (local.get $rowC3)) (local.get $c31))
        (local.set $m (i32.add (local.get $m) (i32.const 4)))
        (br $nextM4)))
      (block $doneM1 (loop $nextM1
        (br_if $doneM1 (i32.ge_u (local.get $m) (local.get $M)))
        (local.set $c00 (local.get $zero)) (local.set $c01 (local.get $zero))
        (local.set $pa (i32.add (local.get $A) (i32.mul (local.get $m) (local.get $rowA1))))
        (local.set $pb (i32.add (local.get $B) (local.get $n)))
        (local.set $k (local.get $K))
        (loop $nextK1
          (local.set $b0 (v128.load align=4 (local.get $pb)))
          (local.set $b1 (v128.load offset=16 align=4 (local.get $pb)))
          (local.set $a (v128.load32_splat align=4 (local.get $pa)))
          (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $a) (local.get $b0))))
          (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $a) (local.get $b1))))
          (local.set $pa (i32.add (local.get $pa) (i32.const 4)))
          (local.set $pb (i32.add (local.get $pb) (local.get $rowC1)))
          (local.set $k (i32.sub (local.get $k) (i32.const 1)))
          (br_if $nextK1 (local.get $k)))
        (local.set $pc (i32.add (i32.add (local.get $C) (i32.mul (local.get $m) (local.get $rowC1))) (local.get $n)))
        (local.set $c00 (f32x4.add (local.get $c00) (local.get $bias0)))
        (if (local.get $clamp) (then (local.set $c00 (f32x4.pmax (local.get $c00) (local.get $zero)))))
        (if (i32.eq (local.get $act) (i32.const 2)) (then (local.set $c00 (f32x4.pmin (local.get $c00) (local.get $six)))))
        (local.set $c01 (f32x4.add (local.get $c01) (local.get $bias1)))
        (if (local.get $clamp) (then (local.set $c01 (f32x4.pmax (local.get $c01) (local.get $zero)))))
        (if (i32.eq (local.get $act) (i32.const 2)) (then (local.set $c01 (f32x4.pmin (local.get $c01) (local.get $six)))))
        (v128.store align=4 (local.get $pc) (local.get $c00))
        (v128.store offset=16 align=4 (local.get $pc) (local.get $c01))
        (local.set $m (i32.add (local.get $m) (i32.const 1)))
        (br $nextM1)))
      (local.set $n (i32.add (local.get $n) (i32.const 32)))
      (br $nextN)))
    ;; sigmoid or SiLU on the product, in one pass after it
    (if (i32.ge_u (local.get $act) (i32.const 3))
      (then (call $sigmoidRun (local.get $C) (local.get $C) (i32.mul (local.get $M) (local.get $N)) (local.get $act))))
  )

;; A convolution (no dilation) as a matrix product without im2col: out [n, oh, ow, N] from the
;; input xp [n, hp, wp, c], already padded (every window inside it), and the filter f [kh, kw, c, N]
;; (HWIO, row-major), plus bias[N] when $hasBias is 1, then activation $act (0 none, 1 relu,
;; 2 relu6), for N a multiple of 8. The kw·c values under one filter row of a window are contiguous
;; in xp, as are the matching kw·c rows of f: each output pixel sums kh such segments, each a 1 × 8
;; slice of pointwise's product. Blocks of 4 pixels of an output row × 8 channels are summed in eight
;; registers (each input value splatted, eight filter values loaded), filter rows and segment in
;; order; a row's last ow mod 4 pixels as the last four again (rows narrower than 4 one pixel at a time).
  (func (export "conv")
    (param $xp i32) (param $f i32) (param $bias i32) (param $out i32) (param $batch i32) (param $hp i32) (param $wp i32) (param $c i32)
    (param $oh i32) (param $ow i32) (param $N i32) (param $kh i32) (param $kw i32) (param $sh i32) (param $sw i32) (param $hasBias i32) (param $act i32)
    (local $b i32) (local $y i32) (local $x i32) (local $n i32) (local $i i32) (local $k i32) (local $segment i32)
    (local $rowX i32) (local $rowC i32) (local $pixelStep i32) (local $inRow i32) (local $outRow i32) (local $window i32) (local $tapRow i32)
    (local $pa i32) (local $pb i32) (local $pc i32) (local $step1 i32) (local $step2 i32) (local $step3 i32) (local $out1 i32) (local $out2 i32) (local $out3 i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128) (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $a v128) (local $b0 v128) (local $b1 v128) (local $bias0 v128) (local $bias1 v128) (local $zero v128) (local $six v128)
    (local.set $six (f32x4.splat (f32.const 6)))
    (local.set $segment (i32.mul (local.get $kw) (local.get $c)))
    ;; byte strides: an input row, an output pixel (N values), the windows of neighbouring pixels
    (local.set $rowX (i32.shl (i32.mul (local.get $wp) (local.get $c)) (i32.const 2)))
    (local.set $rowC (i32.shl (local.get $N) (i32.const 2)))
    (local.set $pixelStep (i32.shl (i32.mul (local.get $sw) (local.get $c)) (i32.const 2)))
    (local.set $step1 (local.get $pixelStep))
    (local.set $step2 (i32.shl (local.get $pixelStep) (i32.const 1)))
    (local.set $step3 (i32.mul (local.get $pixelStep) (i32.const 3)))
    (local.set $out1 (local.get $rowC))
    (local.set $out2 (i32.shl (local.get $rowC) (i32.const 1)))
    (local.set $out3 (i32.mul (local.get $rowC) (i32.const 3)))
    (local.set $outRow (local.get $out))
    (block $doneB (loop $nextB
      (br_if $doneB (i32.ge_u (local.get $b) (local.get $batch)))
      (local.set $y (i32.const 0))
      (block $doneY (loop $nextY
        (br_if $doneY (i32.ge_u (local.get $y) (local.get $oh)))
        (local.set $inRow (i32.add (local.get $xp) (i32.mul (i32.add (i32.mul (local.get $b) (local.get $hp)) (i32.mul (local.get $y) (local.get $sh))) (local.get $rowX))))
        (local.set $x (i32.const 0))
        (block $doneX4 (loop $nextX4
          (br_if $doneX4 (i32.ge_u (local.get $x) (local.get $ow)))
          ;; a row's last ow mod 4 pixels: the last four again (the same values rewritten), or one at a time when ow < 4
          (if (i32.gt_u (i32.add (local.get $x) (i32.const 4)) (local.get $ow))
            (then
              (br_if $doneX4 (i32.lt_u (local.get $ow) (i32.const 4)))
              (local.set $x (i32.sub (local.get $ow) (i32.const 4)))))
          (local.set $window (i32.add (local.get $inRow) (i32.mul (local.get $x) (local.get $pixelStep))))
          (local.set $n (i32.const 0))
          (block $doneN4 (loop $nextN4
            (br_if $doneN4 (i32.ge_u (local.get $n) (local.get $rowC)))
            (if (local.get $hasBias)
              (then
                (local.set $bias0 (v128.load align=4 (i32.add (local.get $bias) (local.get $n))))
                (local.set $bias1 (v128.load offset=16 align=4 (i32.add (local.get $bias) (local.get $n))))))
            (local.set $c00 (local.get $zero)) (local.set $c01 (local.get $zero)) (local.set $c10 (local.get $zero)) (local.set $c11 (local.get $zero)) (local.set $c20 (local.get $zero)) (local.set $c21 (local.get $zero)) (local.set $c30 (local.get $zero)) (local.set $c31 (local.get $zero))
            (local.set $tapRow (local.get $window))
            (local.set $pb (i32.add (local.get $f) (local.get $n)))
            (local.set $i (local.get $kh))
            (loop $nextI4
              (local.set $pa (local.get $tapRow))
              (local.set $k (local.get $segment))
              (loop $nextK4
                (local.set $b0 (v128.load align=4 (local.get $pb)))
                (local.set $b1 (v128.load offset=16 align=4 (local.get $pb)))
              (local.set $a (v128.load32_splat align=4 (local.get $pa)))
              (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $a) (local.get $b0))))
              (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $a) (local.get $b1))))
              (local.set $a (v128.load32_splat align=4 (i32.add (local.get $pa) (local.get $step1))))
              (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $a) (local.get $b0))))
              (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $a) (local.get $b1))))
              (local.set $a (v128.load32_splat align=4 (i32.add (local.get $pa) (local.get $step2))))
              (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $a) (local.get $b0))))
              (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $a) (local.get $b1))))
              (local.set $a (v128.load32_splat align=4 (i32.add (local.get $pa) (local.get $step3))))
              (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $a) (local.get $b0))))
              (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $a) (local.get $b1))))
                (local.set $pa (i32.add (local.get $pa) (i32.const 4)))
                (local.set $pb (i32.add (local.get $pb) (local.get $rowC)))
                (local.set $k (i32.sub (local.get $k) (i32.const 1)))
                (br_if $nextK4 (local.get $k)))
              (local.set $tapRow (i32.add (local.get $tapRow) (local.get $rowX)))
              (local.set $i (i32.sub (local.get $i) (i32.const 1)))
              (br_if $nextI4 (local.get $i)))
            (local.set $pc (i32.add (i32.add (local.get $outRow) (i32.mul (local.get $x) (local.get $rowC))) (local.get $n)))
            (local.set $c00 (f32x4.add (local.get $c00) (local.get $bias0)))
            (if (local.get $act) (then (local.set $c00 (f32x4.pmax (local.get $c00) (local.get $zero)))))
            (if (i32.eq (local.get $act) (i32.const 2)) (then (local.set $c00 (f32x4.pmin (local.get $c00) (local.get $six)))))
            (local.set $c01 (f32x4.add (local.get $c01) (local.get $bias1)))
            (if (local.get $act) (then (local.set $c01 (f32x4.pmax (local.get $c01) (local.get $zero)))))
            (if (i32.eq (local.get $act) (i32.const 2)) (then (local.set $c01 (f32x4.pmin (local.get $c01) (local.get $six)))))
            (local.set $c10 (f32x4.add (local.get $c10) (local.get $bias0)))
            (if (local.get $act) (then (local.set $c10 (f32x4.pmax (local.get $c10) (local.get $zero)))))
            (if (i32.eq (local.get $act) (i32.const 2)) (then (local.set $c10 (f32x4.pmin (local.get $c10) (local.get $six)))))
            (local.set $c11 (f32x4.add (local.get $c11) (local.get $bias1)))
            (if (local.get $act) (then (local.set $c11 (f32x4.pmax (local.get $c11) (local.get $zero)))))
            (if (i32.eq (local.get $act) (i32.const 2)) (then (local.set $c11 (f32x4.pmin (local.get $c11) (local.get $six)))))
            (local.set $c20 (f32x4.add (local.get $c20) (local.get $bias0)))
            (if (local.get $act) (then (local.set $c20 (f32x4.pmax (local.get $c20) (local.get $zero)))))
            (if (i32.eq (local.get $act) (i32.const 2)) (then (local.set $c20 (f32x4.pmin (local.get $c20) (local.get $six)))))
            (local.set $c21 (f32x4.add (local.get $c21) (local.get $bias1)))
            (if (local.get $act) (then (local.set $c21 (f32x4.pmax (local.get $c21) (local.get $zero)))))
            (if (i32.eq (local.get $act) (i32.const 2)) (then (local.set $c21 (f32x4.pmin (local.get $c21) (local.get $six)))))
            (local.set $c30 (f32x4.add (local.get $c30) (local.get $bias0)))
            (if (local.get $act) (then (local.set $c30 (f32x4.pmax (local.get $c30) (local.get $zero)))))
            (if (i32.eq (local.get $act) (i32.const 2)) (then (local.set $c30 (f32x4.pmin (local.get $c30) (local.get $six)))))
            (local.set $c31 (f32x4.add (local.get $c31) (local.get $bias1)))
            (if (local.get $act) (then (local.set $c31 (f32x4.pmax (local.get $c31) (local.get $zero)))))
            (if (i32.eq (local.get $act) (i32.const 2)) (then (local.set $c31 (f32x4.pmin (local.get $c31) (local.get $six)))))
            (v128.store align=4 (local.get $pc) (local.get $c00))
            (v128.store offset=16 align=4 (local.get $pc) (local.get $c01))
            (v128.store align=4 (i32.add (local.get $pc) (local.get $out1)) (local.get $c10))
            (v128.store offset=16 align=4 (i32.add (local.get $pc) (local.get $out1)) (local.get $c11))
            (v128.store align=4 (i32.add (local.get $pc) (local.get $out2)) (local.get $c20))
            (v128.store offset=16 align=4 (i32.add (local.get $pc) (local.get $out2)) (local.get $c21))
            (v128.store align=4 (i32.add (local.get $pc) (local.get $out3)) (local.get $c30))
            (v128.store offset=16 align=4 (i32.add (local.get $pc) (local.get $out3)) (local.get $c31))
            (local.set $n (i32.add (local.get $n) (i32.const 32)))
            (br $nextN4)))
          (local.set $x (i32.add (local.get $x) (i32.const 4)))
          (br $nextX4)))
        (block $doneX1 (loop $nextX1
          (br_if $doneX1 (i32.ge_u (local.get $x) (local.get $ow)))
          (local.set $window (i32.add (local.get $inRow) (i32.mul (local.get $x) (local.get $pixelStep))))
          (local.set $n (i32.const 0))
          (block $doneN1 (loop $nextN1
            (br_if $doneN1 (i32.ge_u (local.get $n) (local.get $rowC)))
            (if (local.get $hasBias)
              (then
                (local.set $bias0 (v128.load align=4 (i32.add (local.get $bias) (local.get $n))))
                (local.set $bias1 (v128.load offset=16 align=4 (i32.add (local.get $bias) (local.get $n))))))
            (local.set $c00 (local.get $zero)) (local.set $c01 (local.get $zero))
            (local.set $tapRow (local.get $window))
            (local.set $pb (i32.add (local.get $f) (local.get $n)))
            (local.set $i (local.get $kh))
            (loop $nextI1
              (local.set $pa (local.get $tapRow))
              (local.set $k (local.get $segment))
              (loop $nextK1
                (local.set $b0 (v128.load align=4 (local.get $pb)))
                (local.set $b1 (v128.load offset=16 align=4 (local.get $pb)))
              (local.set $a (v128.load32_splat align=4 (local.get $pa)))
              (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $a) (local.get $b0))))
              (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $a) (local.get $b1))))
                (local.set $pa (i32.add (local.get $pa) (i32.const 4)))
                (local.set $pb (i32.add (local.get $pb) (local.get $rowC)))
                (local.set $k (i32.sub (local.get $k) (i32.const 1)))
                (br_if $nextK1 (local.get $k)))
              (local.set $tapRow (i32.add (local.get $tapRow) (local.get $rowX)))
              (local.set $i (i32.sub (local.get $i) (i32.const 1)))
              (br_if $nextI1 (local.get $i)))
            (local.set $pc (i32.add (i32.add (local.get $outRow) (i32.mul (local.get $x) (local.get $rowC))) (local.get $n)))
            (local.set $c00 (f32x4.add (local.get $c00) (local.get $bias0)))
            (if (local.get $act) (then (local.set $c00 (f32x4.pmax (local.get $c00) (local.get $zero)))))
            (if (i32.eq (local.get $act) (i32.const 2)) (then (local.set $c00 (f32x4.pmin (local.get $c00) (local.get $six)))))
            (local.set $c01 (f32x4.add (local.get $c01) (local.get $bias1)))
            (if (local.get $act) (then (local.set $c01 (f32x4.pmax (local.get $c01) (local.get $zero)))))
            (if (i32.eq (local.get $act) (i32.const 2)) (then (local.set $c01 (f32x4.pmin (local.get $c01) (local.get $six)))))
            (v128.store align=4 (local.get $pc) (local.get $c00))
            (v128.store offset=16 align=4 (local.get $pc) (local.get $c01))
            (local.set $n (i32.add (local.get $n) (i32.const 32)))
            (br $nextN1)))
          (local.set $x (i32.add (local.get $x) (i32.const 1)))
          (br $nextX1)))
        (local.set $outRow (i32.add (local.get $outRow) (i32.mul (local.get $ow) (local.get $rowC))))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $nextY)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $nextB)))
  )

;; The filter gradient of a convolution (no dilation), dw [kh, kw, c, N] (written whole) from the
;; input xp [n, hp, wp, c] padded as the forward pass saw it and dy [n, oh, ow, N], N a multiple of 8:
;;   dw[i, j, ci, co] = Σ_{b, y, x} xp[b, y·sh + i, x·sw + j, ci] · dy[b, y, x, co]
;; For each output row (b, y) and tap (i, j), every block of 4 input channels × 8 output channels of
;; dw is loaded into eight registers, the row's ow positions are added (each xp value splatted, eight
;; dy values loaded) and the block is stored back: the row's xp and dy stay in cache while dw (kh·kw·c·N
;; values) is walked once per row. The last c mod 4 input channels one at a time. Positions are added
;; in order (b, y, x), so every value is one float32 sum in that order.
  (func (export "convFilterGrad")
    (param $xp i32) (param $dy i32) (param $dw i32) (param $batch i32) (param $hp i32) (param $wp i32) (param $c i32)
    (param $oh i32) (param $ow i32) (param $N i32) (param $kh i32) (param $kw i32) (param $sh i32) (param $sw i32)
    (local $b i32) (local $y i32) (local $i i32) (local $j i32) (local $ci i32) (local $o i32) (local $x i32) (local $end i32)
    (local $rowN i32) (local $rowX i32) (local $pixelStep i32) (local $wRow1 i32) (local $wRow2 i32) (local $wRow3 i32)
    (local $inRow i32) (local $dyRow i32) (local $window i32) (local $tapW i32) (local $pw i32) (local $px i32) (local $pd i32)
    (local $a00 v128) (local $a01 v128) (local $a10 v128) (local $a11 v128) (local $a20 v128) (local $a21 v128) (local $a30 v128) (local $a31 v128) (local $s v128) (local $d0 v128) (local $d1 v128)
    (local.set $rowN (i32.shl (local.get $N) (i32.const 2)))
    (local.set $rowX (i32.shl (i32.mul (local.get $wp) (local.get $c)) (i32.const 2)))
    (local.set $pixelStep (i32.shl (i32.mul (local.get $sw) (local.get $c)) (i32.const 2)))
    (local.set $wRow1 (local.get $rowN))
    (local.set $wRow2 (i32.shl (local.get $rowN) (i32.const 1)))
    (local.set $wRow3 (i32.mul (local.get $rowN) (i32.const 3)))
    ;; dw = 0
    (local.set $end (i32.add (local.get $dw) (i32.mul (i32.mul (i32.mul (local.get $kh) (local.get $kw)) (local.get $c)) (local.get $rowN))))
    (local.set $pw (local.get $dw))
    (block $zeroed (loop $zero
      (br_if $zeroed (i32.ge_u (local.get $pw) (local.get $end)))
      (v128.store align=4 (local.get $pw) (local.get $s))
      (local.set $pw (i32.add (local.get $pw) (i32.const 16)))
      (br $zero)))
    (if (i32.eqz (local.get $ow)) (then (return)))
    (local.set $dyRow (local.get $dy))
    (block $doneB (loop $nextB
      (br_if $doneB (i32.ge_u (local.get $b) (local.get $batch)))
      (local.set $y (i32.const 0))
      (block $doneY (loop $nextY
        (br_if $doneY (i32.ge_u (local.get $y) (local.get $oh)))
        (local.set $inRow (i32.add (local.get $xp) (i32.mul (i32.add (i32.mul (local.get $b) (local.get $hp)) (i32.mul (local.get $y) (local.get $sh))) (local.get $rowX))))
        (local.set $tapW (local.get $dw))
        (local.set $i (i32.const 0))
        (block $doneI (loop $nextI
          (br_if $doneI (i32.ge_u (local.get $i) (local.get $kh)))
          (local.set $j (i32.const 0))
          (block $doneJ (loop $nextJ
            (br_if $doneJ (i32.ge_u (local.get $j) (local.get $kw)))
            ;; this tap's window over the row: xp[b, y·sh + i, j + x·sw, ·]
            (local.set $window (i32.add (i32.add (local.get $inRow) (i32.mul (local.get $i) (local.get $rowX))) (i32.shl (i32.mul (local.get $j) (local.get $c)) (i32.const 2))))
            (local.set $ci (i32.const 0))
            (block $doneC4 (loop $nextC4
              (br_if $doneC4 (i32.gt_u (i32.add (local.get $ci) (i32.const 4)) (local.get $c)))
              (local.set $o (i32.const 0))
              (block $doneO4 (loop $nextO4
                (br_if $doneO4 (i32.ge_u (local.get $o) (local.get $rowN)))
                (local.set $pw (i32.add (i32.add (local.get $tapW) (i32.mul (local.get $ci) (local.get $rowN))) (local.get $o)))
                (local.set $a00 (v128.load align=4 (local.get $pw)))
                (local.set $a01 (v128.load offset=16 align=4 (local.get $pw)))
                (local.set $a10 (v128.load align=4 (i32.add (local.get $pw) (local.get $wRow1))))
                (local.set $a11 (v128.load offset=16 align=4 (i32.add (local.get $pw) (local.get $wRow1))))
                (local.set $a20 (v128.load align=4 (i32.add (local.get $pw) (local.get $wRow2))))
                (local.set $a21 (v128.load offset=16 align=4 (i32.add (local.get $pw) (local.get $wRow2))))
                (local.set $a30 (v128.load align=4 (i32.add (local.get $pw) (local.get $wRow3))))
                (local.set $a31 (v128.load offset=16 align=4 (i32.add (local.get $pw) (local.get $wRow3))))
                (local.set $px (i32.add (local.get $window) (i32.shl (local.get $ci) (i32.const 2))))
                (local.set $pd (i32.add (local.get $dyRow) (local.get $o)))
                (local.set $x (local.get $ow))
                (loop $nextX4
                  (local.set $d0 (v128.load align=4 (local.get $pd)))
                  (local.set $d1 (v128.load offset=16 align=4 (local.get $pd)))
                  (local.set $s (v128.load32_splat align=4 (local.get $px)))
                  (local.set $a00 (f32x4.add (local.get $a00) (f32x4.mul (local.get $s) (local.get $d0))))
                  (local.set $a01 (f32x4.add (local.get $a01) (f32x4.mul (local.get $s) (local.get $d1))))
                  (local.set $s (v128.load32_splat align=4 (i32.add (local.get $px) (i32.const 4))))
                  (local.set $a10 (f32x4.add (local.get $a10) (f32x4.mul (local.get $s) (local.get $d0))))
                  (local.set $a11 (f32x4.add (local.get $a11) (f32x4.mul (local.get $s) (local.get $d1))))
                  (local.set $s (v128.load32_splat align=4 (i32.add (local.get $px) (i32.const 8))))
                  (local.set $a20 (f32x4.add (local.get $a20) (f32x4.mul (local.get $s) (local.get $d0))))
                  (local.set $a21 (f32x4.add (local.get $a21) (f32x4.mul (local.get $s) (local.get $d1))))
                  (local.set $s (v128.load32_splat align=4 (i32.add (local.get $px) (i32.const 12))))
                  (local.set $a30 (f32x4.add (local.get $a30) (f32x4.mul (local.get $s) (local.get $d0))))
                  (local.set $a31 (f32x4.add (local.get $a31) (f32x4.mul (local.get $s) (local.get $d1))))
                  (local.set $px (i32.add (local.get $px) (local.get $pixelStep)))
                  (local.set $pd (i32.add (local.get $pd) (local.get $rowN)))
                  (local.set $x (i32.sub (local.get $x) (i32.const 1)))
                  (br_if $nextX4 (local.get $x)))
                (v128.store align=4 (local.get $pw) (local.get $a00))
                (v128.store offset=16 align=4 (local.get $pw) (local.get $a01))
                (v128.store align=4 (i32.add (local.get $pw) (local.get $wRow1)) (local.get $a10))
                (v128.store offset=16 align=4 (i32.add (local.get $pw) (local.get $wRow1)) (local.get $a11))
                (v128.store align=4 (i32.add (local.get $pw) (local.get $wRow2)) (local.get $a20))
                (v128.store offset=16 align=4 (i32.add (local.get $pw) (local.get $wRow2)) (local.get $a21))
                (v128.store align=4 (i32.add (local.get $pw) (local.get $wRow3)) (local.get $a30))
                (v128.store offset=16 align=4 (i32.add (local.get $pw) (local.get $wRow3)) (local.get $a31))
                (local.set $o (i32.add (local.get $o) (i32.const 32)))
                (br $nextO4)))
              (local.set $ci (i32.add (local.get $ci) (i32.const 4)))
              (br $nextC4)))
            (block $doneC1 (loop $nextC1
              (br_if $doneC1 (i32.gt_u (i32.add (local.get $ci) (i32.const 1)) (local.get $c)))
              (local.set $o (i32.const 0))
              (block $doneO1 (loop $nextO1
                (br_if $doneO1 (i32.ge_u (local.get $o) (local.get $rowN)))
                (local.set $pw (i32.add (i32.add (local.get $tapW) (i32.mul (local.get $ci) (local.get $rowN))) (local.get $o)))
                (local.set $a00 (v128.load align=4 (local.get $pw)))
                (local.set $a01 (v128.load offset=16 align=4 (local.get $pw)))
                (local.set $px (i32.add (local.get $window) (i32.shl (local.get $ci) (i32.const 2))))
                (local.set $pd (i32.add (local.get $dyRow) (local.get $o)))
                (local.set $x (local.get $ow))
                (loop $nextX1
                  (local.set $d0 (v128.load align=4 (local.get $pd)))
                  (local.set $d1 (v128.load offset=16 align=4 (local.get $pd)))
                  (local.set $s (v128.load32_splat align=4 (local.get $px)))
                  (local.set $a00 (f32x4.add (local.get $a00) (f32x4.mul (local.get $s) (local.get $d0))))
                  (local.set $a01 (f32x4.add (local.get $a01) (f32x4.mul (local.get $s) (local.get $d1))))
                  (local.set $px (i32.add (local.get $px) (local.get $pixelStep)))
                  (local.set $pd (i32.add (local.get $pd) (local.get $rowN)))
                  (local.set $x (i32.sub (local.get $x) (i32.const 1)))
                  (br_if $nextX1 (local.get $x)))
                (v128.store align=4 (local.get $pw) (local.get $a00))
                (v128.store offset=16 align=4 (local.get $pw) (local.get $a01))
                (local.set $o (i32.add (local.get $o) (i32.const 32)))
                (br $nextO1)))
              (local.set $ci (i32.add (local.get $ci) (i32.const 1)))
              (br $nextC1)))
            (local.set $tapW (i32.add (local.get $tapW) (i32.mul (local.get $c) (local.get $rowN))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $nextJ)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $nextI)))
        (local.set $dyRow (i32.add (local.get $dyRow) (i32.mul (local.get $ow) (local.get $rowN))))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $nextY)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $nextB)))
  )

;; The input gradient of a convolution (no dilation), dx [n, h, w, C] (written whole) from dy
;; [n, oh, ow, N] and the filter transposed to wt [kh, kw, N, C], for C a multiple of 8:
;;   dx[b, y, x, ci] = Σ_{i, j, co} dy[b, (y + padTop − i)/sh, (x + padLeft − j)/sw, co] · wt[i, j, co, ci]
;; over the taps whose quotients are whole and inside dy. The columns x with one remainder
;; (x + padLeft) mod sw meet the same taps j and read dy columns one apart: four of them at a time
;; (x, x + sw, x + 2·sw, x + 3·sw) × 8 channels are summed in eight registers, each dy value splatted
;; and eight filter values loaded, taps in order (i, j, co); where a tap falls outside dy for one of
;; the four, the columns go one at a time, with that tap skipped.
  (func (export "convInputGrad")
    (param $dy i32) (param $wt i32) (param $dx i32) (param $batch i32) (param $h i32) (param $w i32) (param $C i32)
    (param $oh i32) (param $ow i32) (param $N i32) (param $kh i32) (param $kw i32) (param $sh i32) (param $sw i32) (param $padTop i32) (param $padLeft i32)
    (local $b i32) (local $y i32) (local $x i32) (local $q i32) (local $i i32) (local $j i32) (local $k i32) (local $nb i32)
    (local $t i32) (local $iFirst i32) (local $xl i32) (local $jMax i32) (local $lastX i32)
    (local $rowC i32) (local $rowN i32) (local $rowDy i32) (local $tapStride i32) (local $dyImage i32) (local $dxRow i32) (local $dyRowI i32) (local $tapRowI i32)
    (local $pa i32) (local $pb i32) (local $pc i32) (local $dyStep1 i32) (local $dyStep2 i32) (local $dyStep3 i32) (local $dxStep1 i32) (local $dxStep2 i32) (local $dxStep3 i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128) (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128) (local $s v128) (local $b0 v128) (local $b1 v128) (local $zero v128)
    (local.set $rowC (i32.shl (local.get $C) (i32.const 2)))
    (local.set $rowN (i32.shl (local.get $N) (i32.const 2)))
    (local.set $rowDy (i32.mul (local.get $ow) (local.get $rowN)))
    (local.set $tapStride (i32.mul (local.get $N) (local.get $rowC)))
    (local.set $dyStep1 (local.get $rowN))
    (local.set $dyStep2 (i32.shl (local.get $rowN) (i32.const 1)))
    (local.set $dyStep3 (i32.mul (local.get $rowN) (i32.const 3)))
    (local.set $dxStep1 (i32.mul (local.get $sw) (local.get $rowC)))
    (local.set $dxStep2 (i32.shl (local.get $dxStep1) (i32.const 1)))
    (local.set $dxStep3 (i32.mul (local.get $dxStep1) (i32.const 3)))
    ;; the largest x + padLeft − j a tap may leave: (ow − 1)·sw
    (local.set $lastX (i32.mul (i32.sub (local.get $ow) (i32.const 1)) (local.get $sw)))
    (local.set $dxRow (local.get $dx))
    (block $doneB (loop $nextB
      (br_if $doneB (i32.ge_u (local.get $b) (local.get $batch)))
      (local.set $dyImage (i32.add (local.get $dy) (i32.mul (i32.mul (local.get $b) (local.get $oh)) (local.get $rowDy))))
      (local.set $y (i32.const 0))
      (block $doneY (loop $nextY
        (br_if $doneY (i32.ge_u (local.get $y) (local.get $h)))
        ;; tap rows i ≡ t (mod sh), i ≤ t, with dy row (t − i)/sh ≤ oh − 1
        (local.set $t (i32.add (local.get $y) (local.get $padTop)))
        (local.set $iFirst (i32.rem_u (local.get $t) (local.get $sh)))
        (block $iFound (loop $raiseI
          (br_if $iFound (i32.le_s (i32.sub (local.get $t) (local.get $iFirst)) (i32.mul (i32.sub (local.get $oh) (i32.const 1)) (local.get $sh))))
          (local.set $iFirst (i32.add (local.get $iFirst) (local.get $sh)))
          (br $raiseI)))
        (local.set $q (i32.const 0))
        (block $doneQ (loop $nextQ
          (br_if $doneQ (i32.ge_u (local.get $q) (local.get $sw)))
          ;; the columns of remainder q: the first, x = (q + sw − padLeft mod sw) mod sw; their last tap jMax
          (local.set $x (i32.rem_u (i32.sub (i32.add (local.get $q) (local.get $sw)) (i32.rem_u (local.get $padLeft) (local.get $sw))) (local.get $sw)))
          (local.set $jMax (i32.add (local.get $q) (i32.mul (local.get $sw) (i32.div_s (i32.sub (i32.sub (local.get $kw) (i32.const 1)) (local.get $q)) (local.get $sw)))))
          (block $doneX (loop $nextX
            (br_if $doneX (i32.ge_u (local.get $x) (local.get $w)))
            (local.set $xl (i32.add (local.get $x) (local.get $padLeft)))
            (if (i32.and (i32.and (i32.lt_u (i32.add (local.get $x) (i32.mul (local.get $sw) (i32.const 3))) (local.get $w))
                  (i32.le_s (local.get $jMax) (local.get $xl)))
                  (i32.le_s (i32.sub (i32.add (local.get $xl) (i32.mul (local.get $sw) (i32.const 3))) (local.get $q)) (local.get $lastX)))
              (then
            (local.set $nb (i32.const 0))
            (block $doneN4 (loop $nextN4
              (br_if $doneN4 (i32.ge_u (local.get $nb) (local.get $rowC)))
              (local.set $c00 (local.get $zero)) (local.set $c01 (local.get $zero)) (local.set $c10 (local.get $zero)) (local.set $c11 (local.get $zero)) (local.set $c20 (local.get $zero)) (local.set $c21 (local.get $zero)) (local.set $c30 (local.get $zero)) (local.set $c31 (local.get $zero))
              (local.set $i (local.get $iFirst))
              (block $doneI4 (loop $nextI4
                (br_if $doneI4 (i32.or (i32.ge_s (local.get $i) (local.get $kh)) (i32.gt_s (local.get $i) (local.get $t))))
                ;; dy row oy = (t − i) / sh and the filter rows of tap row i
                (local.set $dyRowI (i32.add (local.get $dyImage) (i32.mul (i32.div_u (i32.sub (local.get $t) (local.get $i)) (local.get $sh)) (local.get $rowDy))))
                (local.set $tapRowI (i32.add (local.get $wt) (i32.mul (i32.mul (local.get $i) (local.get $kw)) (local.get $tapStride))))
                (local.set $j (local.get $q))
                (block $doneJ4 (loop $nextJ4
                  (br_if $doneJ4 (i32.ge_s (local.get $j) (local.get $kw)))
                  (local.set $pa (i32.add (local.get $dyRowI) (i32.mul (i32.div_u (i32.sub (local.get $xl) (local.get $j)) (local.get $sw)) (local.get $rowN))))
                  (local.set $pb (i32.add (i32.add (local.get $tapRowI) (i32.mul (local.get $j) (local.get $tapStride))) (local.get $nb)))
                  (local.set $k (local.get $N))
                  (loop $nextK4
                    (local.set $b0 (v128.load align=4 (local.get $pb)))
                    (local.set $b1 (v128.load offset=16 align=4 (local.get $pb)))
                    (local.set $s (v128.load32_splat align=4 (local.get $pa)))
                    (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $s) (local.get $b0))))
                    (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $s) (local.get $b1))))
                    (local.set $s (v128.load32_splat align=4 (i32.add (local.get $pa) (local.get $dyStep1))))
                    (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $s) (local.get $b0))))
                    (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $s) (local.get $b1))))
                    (local.set $s (v128.load32_splat align=4 (i32.add (local.get $pa) (local.get $dyStep2))))
                    (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $s) (local.get $b0))))
                    (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $s) (local.get $b1))))
                    (local.set $s (v128.load32_splat align=4 (i32.add (local.get $pa) (local.get $dyStep3))))
                    (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $s) (local.get $b0))))
                    (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $s) (local.get $b1))))
                    (local.set $pa (i32.add (local.get $pa) (i32.const 4)))
                    (local.set $pb (i32.add (local.get $pb) (local.get $rowC)))
                    (local.set $k (i32.sub (local.get $k) (i32.const 1)))
                    (br_if $nextK4 (local.get $k)))
                  (local.set $j (i32.add (local.get $j) (local.get $sw)))
                  (br $nextJ4)))
                (local.set $i (i32.add (local.get $i) (local.get $sh)))
                (br $nextI4)))
              (local.set $pc (i32.add (i32.add (local.get $dxRow) (i32.mul (local.get $x) (local.get $rowC))) (local.get $nb)))
              (v128.store align=4 (local.get $pc) (local.get $c00))
              (v128.store offset=16 align=4 (local.get $pc) (local.get $c01))
              (v128.store align=4 (i32.add (local.get $pc) (local.get $dxStep1)) (local.get $c10))
              (v128.store offset=16 align=4 (i32.add (local.get $pc) (local.get $dxStep1)) (local.get $c11))
              (v128.store align=4 (i32.add (local.get $pc) (local.get $dxStep2)) (local.get $c20))
              (v128.store offset=16 align=4 (i32.add (local.get $pc) (local.get $dxStep2)) (local.get $c21))
              (v128.store align=4 (i32.add (local.get $pc) (local.get $dxStep3)) (local.get $c30))
              (v128.store offset=16 align=4 (i32.add (local.get $pc) (local.get $dxStep3)) (local.get $c31))
              (local.set $nb (i32.add (local.get $nb) (i32.const 32)))
              (br $nextN4)))
                (local.set $x (i32.add (local.get $x) (i32.shl (local.get $sw) (i32.const 2)))))
              (else
            (local.set $nb (i32.const 0))
            (block $doneN1 (loop $nextN1
              (br_if $doneN1 (i32.ge_u (local.get $nb) (local.get $rowC)))
              (local.set $c00 (local.get $zero)) (local.set $c01 (local.get $zero))
              (local.set $i (local.get $iFirst))
              (block $doneI1 (loop $nextI1
                (br_if $doneI1 (i32.or (i32.ge_s (local.get $i) (local.get $kh)) (i32.gt_s (local.get $i) (local.get $t))))
                ;; dy row oy = (t − i) / sh and the filter rows of tap row i
                (local.set $dyRowI (i32.add (local.get $dyImage) (i32.mul (i32.div_u (i32.sub (local.get $t) (local.get $i)) (local.get $sh)) (local.get $rowDy))))
                (local.set $tapRowI (i32.add (local.get $wt) (i32.mul (i32.mul (local.get $i) (local.get $kw)) (local.get $tapStride))))
                (local.set $j (local.get $q))
                (block $doneJ1 (loop $nextJ1
                  (br_if $doneJ1 (i32.ge_s (local.get $j) (local.get $kw)))
                  (if (i32.and (i32.le_s (local.get $j) (local.get $xl)) (i32.le_s (i32.sub (local.get $xl) (local.get $j)) (local.get $lastX)))
                    (then
                  (local.set $pa (i32.add (local.get $dyRowI) (i32.mul (i32.div_u (i32.sub (local.get $xl) (local.get $j)) (local.get $sw)) (local.get $rowN))))
                  (local.set $pb (i32.add (i32.add (local.get $tapRowI) (i32.mul (local.get $j) (local.get $tapStride))) (local.get $nb)))
                  (local.set $k (local.get $N))
                  (loop $nextK1
                    (local.set $b0 (v128.load align=4 (local.get $pb)))
                    (local.set $b1 (v128.load offset=16 align=4 (local.get $pb)))
                    (local.set $s (v128.load32_splat align=4 (local.get $pa)))
                    (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $s) (local.get $b0))))
                    (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $s) (local.get $b1))))
                    (local.set $pa (i32.add (local.get $pa) (i32.const 4)))
                    (local.set $pb (i32.add (local.get $pb) (local.get $rowC)))
                    (local.set $k (i32.sub (local.get $k) (i32.const 1)))
                    (br_if $nextK1 (local.get $k)))
))
                  (local.set $j (i32.add (local.get $j) (local.get $sw)))
                  (br $nextJ1)))
                (local.set $i (i32.add (local.get $i) (local.get $sh)))
                (br $nextI1)))
              (local.set $pc (i32.add (i32.add (local.get $dxRow) (i32.mul (local.get $x) (local.get $rowC))) (local.get $nb)))
              (v128.store align=4 (local.get $pc) (local.get $c00))
              (v128.store offset=16 align=4 (local.get $pc) (local.get $c01))
              (local.set $nb (i32.add (local.get $nb) (i32.const 32)))
              (br $nextN1)))
                (local.set $x (i32.add (local.get $x) (local.get $sw)))))
            (br $nextX)))
          (local.set $q (i32.add (local.get $q) (i32.const 1)))
          (br $nextQ)))
        (local.set $dxRow (i32.add (local.get $dxRow) (i32.mul (local.get $w) (local.get $rowC))))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $nextY)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $nextB)))
  )
)
