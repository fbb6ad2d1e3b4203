;; Kernels of the policy-evaluation solver (GMRES with a symmetric Gauss-Seidel preconditioner), in
;; WebAssembly text. Assembled at build time into krylov-kernels.generated.ts (see scripts/build-wasm.ts).
;;
;; Why: GMRES spends nearly all its time in these passes and in Gram-Schmidt, which V8 runs about three
;; times faster as WebAssembly than as JavaScript over typed arrays.
;;
;; Every array argument is a byte address in the imported memory; sizes are element counts.
(module
  (import "env" "memory" (memory 1))

  ;; sum over k in [lo, hi) of (g * val[k]) * x[col[k]]. The matrix is g P stored as P: the product g * val[k]
  ;; is the number a stored g P would hold, so the sums are those of the scaled matrix to the bit.
  (func $dot (param $col i32) (param $val i32) (param $x i32) (param $lo i32) (param $hi i32) (param $g f64)
    (result f64)
    (local $pc i32) (local $pv i32) (local $end i32) (local $end4 i32)
    (local $a0 f64) (local $a1 f64) (local $a2 f64) (local $a3 f64)
    (local.set $pc (i32.add (local.get $col) (i32.shl (local.get $lo) (i32.const 2))))
    (local.set $pv (i32.add (local.get $val) (i32.shl (local.get $lo) (i32.const 3))))
    (local.set $end (i32.add (local.get $col) (i32.shl (local.get $hi) (i32.const 2))))
    (local.set $end4 (i32.sub (local.get $end) (i32.const 12)))
    (block $done4
      (loop $four
        (br_if $done4 (i32.ge_s (local.get $pc) (local.get $end4)))
        (local.set $a0 (f64.add (local.get $a0)
          (f64.mul (f64.mul (local.get $g) (f64.load (local.get $pv)))
            (f64.load (i32.add (local.get $x) (i32.shl (i32.load (local.get $pc)) (i32.const 3)))))))
        (local.set $a1 (f64.add (local.get $a1)
          (f64.mul (f64.mul (local.get $g) (f64.load offset=8 (local.get $pv)))
            (f64.load (i32.add (local.get $x) (i32.shl (i32.load offset=4 (local.get $pc)) (i32.const 3)))))))
        (local.set $a2 (f64.add (local.get $a2)
          (f64.mul (f64.mul (local.get $g) (f64.load offset=16 (local.get $pv)))
            (f64.load (i32.add (local.get $x) (i32.shl (i32.load offset=8 (local.get $pc)) (i32.const 3)))))))
        (local.set $a3 (f64.add (local.get $a3)
          (f64.mul (f64.mul (local.get $g) (f64.load offset=24 (local.get $pv)))
            (f64.load (i32.add (local.get $x) (i32.shl (i32.load offset=12 (local.get $pc)) (i32.const 3)))))))
        (local.set $pc (i32.add (local.get $pc) (i32.const 16)))
        (local.set $pv (i32.add (local.get $pv) (i32.const 32)))
        (br $four)))
    (block $done
      (loop $one
        (br_if $done (i32.ge_s (local.get $pc) (local.get $end)))
        (local.set $a0 (f64.add (local.get $a0)
          (f64.mul (f64.mul (local.get $g) (f64.load (local.get $pv)))
            (f64.load (i32.add (local.get $x) (i32.shl (i32.load (local.get $pc)) (i32.const 3)))))))
        (local.set $pc (i32.add (local.get $pc) (i32.const 4)))
        (local.set $pv (i32.add (local.get $pv) (i32.const 8)))
        (br $one)))
    (f64.add (f64.add (local.get $a0) (local.get $a1)) (f64.add (local.get $a2) (local.get $a3))))

  ;; out[i] = (v[i] + sum_{k in row i of L} val[k] * out[col[k]]) * invDiag[i], i = 0 .. n-1:
  ;; the forward Gauss-Seidel sweep (D - L)^-1 v.
  (func $forward
    (param $n i32) (param $lo i32) (param $hi i32) (param $col i32) (param $val i32) (param $invDiag i32)
    (param $v i32) (param $out i32) (param $g f64)
    (local $i i32) (local $o8 i32)
    (block $done
      (loop $rows
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $o8 (i32.shl (local.get $i) (i32.const 3)))
        (f64.store (i32.add (local.get $out) (local.get $o8))
          (f64.mul
            (f64.add (f64.load (i32.add (local.get $v) (local.get $o8)))
              (call $dot (local.get $col) (local.get $val) (local.get $out)
                (i32.load (i32.add (local.get $lo) (i32.shl (local.get $i) (i32.const 2))))
                (i32.load (i32.add (local.get $hi) (i32.shl (local.get $i) (i32.const 2)))) (local.get $g)))
            (f64.load (i32.add (local.get $invDiag) (local.get $o8)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))
  (export "forwardSolve" (func $forward))

  ;; sum over i in [0, n) of a[i] * b[i], four accumulators.
  (func $denseDot (param $a i32) (param $b i32) (param $n i32) (result f64)
    (local $end i32) (local $end4 i32)
    (local $a0 f64) (local $a1 f64) (local $a2 f64) (local $a3 f64)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 3))))
    (local.set $end4 (i32.sub (local.get $end) (i32.const 24)))
    (block $done4
      (loop $four
        (br_if $done4 (i32.ge_s (local.get $a) (local.get $end4)))
        (local.set $a0 (f64.add (local.get $a0) (f64.mul (f64.load (local.get $a)) (f64.load (local.get $b)))))
        (local.set $a1 (f64.add (local.get $a1)
          (f64.mul (f64.load offset=8 (local.get $a)) (f64.load offset=8 (local.get $b)))))
        (local.set $a2 (f64.add (local.get $a2)
          (f64.mul (f64.load offset=16 (local.get $a)) (f64.load offset=16 (local.get $b)))))
        (local.set $a3 (f64.add (local.get $a3)
          (f64.mul (f64.load offset=24 (local.get $a)) (f64.load offset=24 (local.get $b)))))
        (local.set $a (i32.add (local.get $a) (i32.const 32)))
        (local.set $b (i32.add (local.get $b) (i32.const 32)))
        (br $four)))
    (block $done
      (loop $one
        (br_if $done (i32.ge_s (local.get $a) (local.get $end)))
        (local.set $a0 (f64.add (local.get $a0) (f64.mul (f64.load (local.get $a)) (f64.load (local.get $b)))))
        (local.set $a (i32.add (local.get $a) (i32.const 8)))
        (local.set $b (i32.add (local.get $b) (i32.const 8)))
        (br $one)))
    (f64.add (f64.add (local.get $a0) (local.get $a1)) (f64.add (local.get $a2) (local.get $a3))))

  ;; y[i] += c * x[i] for i in [0, n)
  (func $axpy (param $n i32) (param $c f64) (param $x i32) (param $y i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 3))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_s (local.get $x) (local.get $end)))
        (f64.store (local.get $y)
          (f64.add (f64.load (local.get $y)) (f64.mul (local.get $c) (f64.load (local.get $x)))))
        (local.set $x (i32.add (local.get $x) (i32.const 8)))
        (local.set $y (i32.add (local.get $y) (i32.const 8)))
        (br $each))))

  ;; Arnoldi step of GMRES by modified Gram-Schmidt. The basis holds vectors of length n back to back;
  ;; vector j+1 holds A v_j on entry. Orthogonalises it against v_0 .. v_j, writing the coefficients to
  ;; h[0 .. j], normalises it when its norm is non-zero, and returns that norm.
  (func (export "arnoldi") (param $n i32) (param $basis i32) (param $j i32) (param $h i32) (result f64)
    (local $stride i32) (local $w i32) (local $i i32) (local $vi i32) (local $d f64) (local $norm f64)
    (local.set $stride (i32.shl (local.get $n) (i32.const 3)))
    (local.set $w (i32.add (local.get $basis) (i32.mul (i32.add (local.get $j) (i32.const 1)) (local.get $stride))))
    (local.set $vi (local.get $basis))
    (block $done
      (loop $each
        (br_if $done (i32.gt_s (local.get $i) (local.get $j)))
        (local.set $d (call $denseDot (local.get $w) (local.get $vi) (local.get $n)))
        (f64.store (i32.add (local.get $h) (i32.shl (local.get $i) (i32.const 3))) (local.get $d))
        (call $axpy (local.get $n) (f64.neg (local.get $d)) (local.get $vi) (local.get $w))
        (local.set $vi (i32.add (local.get $vi) (local.get $stride)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each)))
    (local.set $norm (f64.sqrt (call $denseDot (local.get $w) (local.get $w) (local.get $n))))
    (if (f64.gt (local.get $norm) (f64.const 0))
      (then
        (local.set $d (f64.div (f64.const 1) (local.get $norm)))
        (local.set $i (i32.const 0))
        (block $sdone
          (loop $scale
            (br_if $sdone (i32.ge_s (local.get $i) (local.get $n)))
            (f64.store (local.get $w) (f64.mul (f64.load (local.get $w)) (local.get $d)))
            (local.set $w (i32.add (local.get $w) (i32.const 8)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $scale)))))
    (local.get $norm))

  ;; Symmetric Gauss-Seidel (SSOR, omega = 1) with Eisenstat's trick, split as M1 = D - L, M2 = D^-1 (D - U):
  ;; y = M1^-1 A M2^-1 v = t + (D - L)^-1 D (v - t) with t = (D - U)^-1 D v. Both triangular passes run with
  ;; the unit-diagonal form x_i = r_i + invDiag_i * (sum over the row), so D itself is never multiplied in.
  (func $backward
    (param $n i32) (param $lo i32) (param $hi i32) (param $col i32) (param $val i32) (param $invDiag i32)
    (param $v i32) (param $out i32) (param $g f64)
    (local $i i32) (local $o8 i32)
    (local.set $i (i32.sub (local.get $n) (i32.const 1)))
    (block $done
      (loop $rows
        (br_if $done (i32.lt_s (local.get $i) (i32.const 0)))
        (local.set $o8 (i32.shl (local.get $i) (i32.const 3)))
        (f64.store (i32.add (local.get $out) (local.get $o8))
          (f64.add (f64.load (i32.add (local.get $v) (local.get $o8)))
            (f64.mul (f64.load (i32.add (local.get $invDiag) (local.get $o8)))
              (call $dot (local.get $col) (local.get $val) (local.get $out)
                (i32.load (i32.add (local.get $lo) (i32.shl (local.get $i) (i32.const 2))))
                (i32.load (i32.add (local.get $hi) (i32.shl (local.get $i) (i32.const 2)))) (local.get $g)))))
        (local.set $i (i32.sub (local.get $i) (i32.const 1)))
        (br $rows))))
  (export "backwardSolveScaled" (func $backward))

  ;; out_i = v_i + invDiag_i * sum_{j<i} L_ij out_j: (D - L)^-1 D v.
  (func $forwardScaled
    (param $n i32) (param $lo i32) (param $hi i32) (param $col i32) (param $val i32) (param $invDiag i32)
    (param $v i32) (param $out i32) (param $g f64)
    (local $i i32) (local $o8 i32)
    (block $done
      (loop $rows
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $o8 (i32.shl (local.get $i) (i32.const 3)))
        (f64.store (i32.add (local.get $out) (local.get $o8))
          (f64.add (f64.load (i32.add (local.get $v) (local.get $o8)))
            (f64.mul (f64.load (i32.add (local.get $invDiag) (local.get $o8)))
              (call $dot (local.get $col) (local.get $val) (local.get $out)
                (i32.load (i32.add (local.get $lo) (i32.shl (local.get $i) (i32.const 2))))
                (i32.load (i32.add (local.get $hi) (i32.shl (local.get $i) (i32.const 2)))) (local.get $g)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  (func (export "ssorOperator")
    (param $n i32) (param $llo i32) (param $lhi i32) (param $lcol i32) (param $lval i32) (param $invDiag i32)
    (param $ulo i32) (param $uhi i32) (param $ucol i32) (param $uval i32) (param $v i32) (param $t i32) (param $y i32)
    (param $g f64)
    (local $i i32) (local $o8 i32)
    ;; t = (D - U)^-1 D v
    (call $backward (local.get $n) (local.get $ulo) (local.get $uhi) (local.get $ucol) (local.get $uval)
      (local.get $invDiag)
      (local.get $v) (local.get $t) (local.get $g))
    ;; y = v - t, then y = (D - L)^-1 D y in place (row i reads only rows j < i, already final), then y += t
    (block $d1
      (loop $l1
        (br_if $d1 (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $o8 (i32.shl (local.get $i) (i32.const 3)))
        (f64.store (i32.add (local.get $y) (local.get $o8))
          (f64.sub (f64.load (i32.add (local.get $v) (local.get $o8))) (f64.load (i32.add (local.get $t) (local.get $o8)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l1)))
    (call $forwardScaled (local.get $n) (local.get $llo) (local.get $lhi) (local.get $lcol) (local.get $lval)
      (local.get $invDiag)
      (local.get $y) (local.get $y) (local.get $g))
    (local.set $i (i32.const 0))
    (block $d2
      (loop $l2
        (br_if $d2 (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $o8 (i32.shl (local.get $i) (i32.const 3)))
        (f64.store (i32.add (local.get $y) (local.get $o8))
          (f64.add (f64.load (i32.add (local.get $y) (local.get $o8))) (f64.load (i32.add (local.get $t) (local.get $o8)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l2))))

  ;; out = b - A x with A = D - L - U; returns ||out||_2.
  (func (export "residual")
    (param $n i32) (param $llo i32) (param $lhi i32) (param $lcol i32) (param $lval i32) (param $diag i32)
    (param $ulo i32) (param $uhi i32) (param $ucol i32) (param $uval i32) (param $x i32) (param $b i32) (param $out i32)
    (param $g f64)
    (result f64)
    (local $i i32) (local $o8 i32) (local $p4 i32) (local $r f64) (local $sum f64)
    (block $done
      (loop $rows
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $o8 (i32.shl (local.get $i) (i32.const 3)))
        (local.set $p4 (i32.shl (local.get $i) (i32.const 2)))
        (local.set $r
          (f64.sub (f64.load (i32.add (local.get $b) (local.get $o8)))
            (f64.sub
              (f64.sub
                (f64.mul (f64.load (i32.add (local.get $diag) (local.get $o8)))
                  (f64.load (i32.add (local.get $x) (local.get $o8))))
                (call $dot (local.get $lcol) (local.get $lval) (local.get $x)
                  (i32.load (i32.add (local.get $llo) (local.get $p4)))
                  (i32.load (i32.add (local.get $lhi) (local.get $p4))) (local.get $g)))
              (call $dot (local.get $ucol) (local.get $uval) (local.get $x)
                (i32.load (i32.add (local.get $ulo) (local.get $p4)))
                (i32.load (i32.add (local.get $uhi) (local.get $p4))) (local.get $g)))))
        (f64.store (i32.add (local.get $out) (local.get $o8)) (local.get $r))
        (local.set $sum (f64.add (local.get $sum) (f64.mul (local.get $r) (local.get $r))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows)))
    (f64.sqrt (local.get $sum)))
)
