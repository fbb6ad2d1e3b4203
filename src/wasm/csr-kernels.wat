;; Sparse kernels of the planners and the policy-evaluation solver, in WebAssembly text.
;; Assembled at build time into csr-kernels.generated.ts (see scripts/build-wasm.ts).
;;
;; Why: V8 runs these loops about three times faster as WebAssembly than as JavaScript over typed
;; arrays (no bounds checks or deoptimisation guards in the inner loop); on the benchmark machine the
;; ICU-Sepsis value iteration went from about 95 ms to about the speed of the same loop in C at -O2.
;;
;; Every array argument is a byte address in the imported memory; sizes are element counts.
;; Sums use four accumulators in the same order as `sparseDot` in linear/kernels.ts, so results are
;; bit-identical to the JavaScript kernels (tested).
(module
  (import "env" "memory" (memory 1))

  ;; sum over k in [lo, hi) of val[k] * x[col[k]]
  (func $dot (param $col i32) (param $val i32) (param $x i32) (param $lo i32) (param $hi i32) (result f64)
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
          (f64.mul (f64.load (local.get $pv))
            (f64.load (i32.add (local.get $x) (i32.shl (i32.load (local.get $pc)) (i32.const 3)))))))
        (local.set $a1 (f64.add (local.get $a1)
          (f64.mul (f64.load offset=8 (local.get $pv))
            (f64.load (i32.add (local.get $x) (i32.shl (i32.load offset=4 (local.get $pc)) (i32.const 3)))))))
        (local.set $a2 (f64.add (local.get $a2)
          (f64.mul (f64.load offset=16 (local.get $pv))
            (f64.load (i32.add (local.get $x) (i32.shl (i32.load offset=8 (local.get $pc)) (i32.const 3)))))))
        (local.set $a3 (f64.add (local.get $a3)
          (f64.mul (f64.load offset=24 (local.get $pv))
            (f64.load (i32.add (local.get $x) (i32.shl (i32.load offset=12 (local.get $pc)) (i32.const 3)))))))
        (local.set $pc (i32.add (local.get $pc) (i32.const 16)))
        (local.set $pv (i32.add (local.get $pv) (i32.const 32)))
        (br $four)))
    (block $done
      (loop $one
        (br_if $done (i32.ge_s (local.get $pc) (local.get $end)))
        (local.set $a0 (f64.add (local.get $a0)
          (f64.mul (f64.load (local.get $pv))
            (f64.load (i32.add (local.get $x) (i32.shl (i32.load (local.get $pc)) (i32.const 3)))))))
        (local.set $pc (i32.add (local.get $pc) (i32.const 4)))
        (local.set $pv (i32.add (local.get $pv) (i32.const 8)))
        (br $one)))
    (f64.add (f64.add (local.get $a0) (local.get $a1)) (f64.add (local.get $a2) (local.get $a3))))

  ;; One Bellman sweep over compact rows: v[s] = max over rows r of state s of
  ;; reward[r] + sum_k weight[k] * old[next[k]]; states without rows keep their value.
  ;; Jacobi passes a separate `old`; Gauss-Seidel passes old = v. Returns max_s |change of v[s]|.
  ;;
  ;; Rows that provably cannot be the maximum are skipped, which leaves every value bit-identical to
  ;; computing them all (the max of the remaining rows is the same number). Why it is safe: a row's Q
  ;; moves by at most (its weight sum) x (the change of the values it reads), and the values move by at
  ;; most the sum of the sweeps' sup-norm changes. `drift` is `scale` times that running sum up to the
  ;; previous sweep (scale >= every row's weight sum), and bound[r] holds Q - drift from when row r was
  ;; last computed, so bound[r] + drift (+ scale x this sweep's changes so far, for Gauss-Seidel, whose
  ;; reads see them) bounds Q now. (While every row's weights sum to at most 1 the sweep changes never
  ;; grow, which already covers that last term; it is kept for rows summing slightly above 1 within
  ;; tolerance.) A row is skipped when that bound is below the best row computed
  ;; (first the one that won last time, kept in lastBest) by more than a rounding margin. bound[] starts at
  ;; +inf, so the first sweep computes everything. Late in a solve most rows trail the best by far more
  ;; than the values can still move, and most of the work goes.
  (func (export "bellmanSweep")
    (param $nS i32) (param $statePtr i32) (param $rowPtr i32) (param $next i32) (param $weight i32)
    (param $reward i32) (param $v i32) (param $old i32) (param $bound i32) (param $lastBest i32)
    (param $drift f64) (param $scale f64) (result f64)
    (local $s i32) (local $r i32) (local $r0 i32) (local $r1 i32) (local $rb i32) (local $pv i32)
    (local $pc i32) (local $pw i32) (local $end i32) (local $end4 i32) (local $gs i32)
    (local $a0 f64) (local $a1 f64) (local $a2 f64) (local $a3 f64)
    (local $best f64) (local $q f64) (local $d f64) (local $res f64) (local $cut f64)
    (local.set $gs (i32.eq (local.get $v) (local.get $old)))
    (block $states_done
      (loop $states
        (br_if $states_done (i32.ge_s (local.get $s) (local.get $nS)))
        (local.set $r0 (i32.load (i32.add (local.get $statePtr) (i32.shl (local.get $s) (i32.const 2)))))
        (local.set $r1 (i32.load offset=4 (i32.add (local.get $statePtr) (i32.shl (local.get $s) (i32.const 2)))))
        (if (i32.lt_s (local.get $r0) (local.get $r1))
          (then
            ;; The row that won last time first: it is the likeliest maximum, so the others compare with it.
            (local.set $rb (i32.load (i32.add (local.get $lastBest) (i32.shl (local.get $s) (i32.const 2)))))
            (local.set $pc (i32.add (local.get $next)
                  (i32.shl (i32.load (i32.add (local.get $rowPtr) (i32.shl (local.get $rb) (i32.const 2)))) (i32.const 2))))
                (local.set $pw (i32.add (local.get $weight)
                  (i32.shl (i32.load (i32.add (local.get $rowPtr) (i32.shl (local.get $rb) (i32.const 2)))) (i32.const 3))))
                (local.set $end (i32.add (local.get $next)
                  (i32.shl (i32.load offset=4 (i32.add (local.get $rowPtr) (i32.shl (local.get $rb) (i32.const 2)))) (i32.const 2))))
                (local.set $end4 (i32.sub (local.get $end) (i32.const 12)))
                (local.set $a0 (f64.const 0))
                (local.set $a1 (f64.const 0))
                (local.set $a2 (f64.const 0))
                (local.set $a3 (f64.const 0))
                (block $done4
                  (loop $four
                    (br_if $done4 (i32.ge_s (local.get $pc) (local.get $end4)))
                    (local.set $a0 (f64.add (local.get $a0)
                      (f64.mul (f64.load (local.get $pw))
                        (f64.load (i32.add (local.get $old) (i32.shl (i32.load (local.get $pc)) (i32.const 3)))))))
                    (local.set $a1 (f64.add (local.get $a1)
                      (f64.mul (f64.load offset=8 (local.get $pw))
                        (f64.load (i32.add (local.get $old) (i32.shl (i32.load offset=4 (local.get $pc)) (i32.const 3)))))))
                    (local.set $a2 (f64.add (local.get $a2)
                      (f64.mul (f64.load offset=16 (local.get $pw))
                        (f64.load (i32.add (local.get $old) (i32.shl (i32.load offset=8 (local.get $pc)) (i32.const 3)))))))
                    (local.set $a3 (f64.add (local.get $a3)
                      (f64.mul (f64.load offset=24 (local.get $pw))
                        (f64.load (i32.add (local.get $old) (i32.shl (i32.load offset=12 (local.get $pc)) (i32.const 3)))))))
                    (local.set $pc (i32.add (local.get $pc) (i32.const 16)))
                    (local.set $pw (i32.add (local.get $pw) (i32.const 32)))
                    (br $four)))
                (block $done1
                  (loop $one
                    (br_if $done1 (i32.ge_s (local.get $pc) (local.get $end)))
                    (local.set $a0 (f64.add (local.get $a0)
                      (f64.mul (f64.load (local.get $pw))
                        (f64.load (i32.add (local.get $old) (i32.shl (i32.load (local.get $pc)) (i32.const 3)))))))
                    (local.set $pc (i32.add (local.get $pc) (i32.const 4)))
                    (local.set $pw (i32.add (local.get $pw) (i32.const 8)))
                    (br $one)))
                (local.set $best
                  (f64.add
                    (f64.load (i32.add (local.get $reward) (i32.shl (local.get $rb) (i32.const 3))))
                    (f64.add (f64.add (local.get $a0) (local.get $a1)) (f64.add (local.get $a2) (local.get $a3)))))
                ;; bound[row] = Q - drift: with the drift accumulated later, an upper bound on Q then.
                (f64.store (i32.add (local.get $bound) (i32.shl (local.get $rb) (i32.const 3)))
                  (f64.sub (local.get $best) (local.get $drift)))
            (local.set $r (local.get $r0))
            (block $rows_done
              (loop $rows
                (br_if $rows_done (i32.ge_s (local.get $r) (local.get $r1)))
                (if (i32.ne (local.get $r) (local.get $rb))
                  (then
                    ;; Skip when bound + drift (+ this sweep's movement, Gauss-Seidel) < best - margin.
                    (local.set $cut (f64.sub (local.get $best)
                      (f64.mul (f64.const 1e-12) (f64.add (f64.const 1) (f64.abs (local.get $best))))))
                    (if (i32.eqz (f64.lt
                          (f64.add
                            (f64.add (f64.load (i32.add (local.get $bound) (i32.shl (local.get $r) (i32.const 3))))
                              (local.get $drift))
                            (select (f64.mul (local.get $scale) (local.get $res)) (f64.const 0) (local.get $gs)))
                          (local.get $cut)))
                      (then
                        (local.set $pc (i32.add (local.get $next)
                  (i32.shl (i32.load (i32.add (local.get $rowPtr) (i32.shl (local.get $r) (i32.const 2)))) (i32.const 2))))
                (local.set $pw (i32.add (local.get $weight)
                  (i32.shl (i32.load (i32.add (local.get $rowPtr) (i32.shl (local.get $r) (i32.const 2)))) (i32.const 3))))
                (local.set $end (i32.add (local.get $next)
                  (i32.shl (i32.load offset=4 (i32.add (local.get $rowPtr) (i32.shl (local.get $r) (i32.const 2)))) (i32.const 2))))
                (local.set $end4 (i32.sub (local.get $end) (i32.const 12)))
                (local.set $a0 (f64.const 0))
                (local.set $a1 (f64.const 0))
                (local.set $a2 (f64.const 0))
                (local.set $a3 (f64.const 0))
                (block $done4
                  (loop $four
                    (br_if $done4 (i32.ge_s (local.get $pc) (local.get $end4)))
                    (local.set $a0 (f64.add (local.get $a0)
                      (f64.mul (f64.load (local.get $pw))
                        (f64.load (i32.add (local.get $old) (i32.shl (i32.load (local.get $pc)) (i32.const 3)))))))
                    (local.set $a1 (f64.add (local.get $a1)
                      (f64.mul (f64.load offset=8 (local.get $pw))
                        (f64.load (i32.add (local.get $old) (i32.shl (i32.load offset=4 (local.get $pc)) (i32.const 3)))))))
                    (local.set $a2 (f64.add (local.get $a2)
                      (f64.mul (f64.load offset=16 (local.get $pw))
                        (f64.load (i32.add (local.get $old) (i32.shl (i32.load offset=8 (local.get $pc)) (i32.const 3)))))))
                    (local.set $a3 (f64.add (local.get $a3)
                      (f64.mul (f64.load offset=24 (local.get $pw))
                        (f64.load (i32.add (local.get $old) (i32.shl (i32.load offset=12 (local.get $pc)) (i32.const 3)))))))
                    (local.set $pc (i32.add (local.get $pc) (i32.const 16)))
                    (local.set $pw (i32.add (local.get $pw) (i32.const 32)))
                    (br $four)))
                (block $done1
                  (loop $one
                    (br_if $done1 (i32.ge_s (local.get $pc) (local.get $end)))
                    (local.set $a0 (f64.add (local.get $a0)
                      (f64.mul (f64.load (local.get $pw))
                        (f64.load (i32.add (local.get $old) (i32.shl (i32.load (local.get $pc)) (i32.const 3)))))))
                    (local.set $pc (i32.add (local.get $pc) (i32.const 4)))
                    (local.set $pw (i32.add (local.get $pw) (i32.const 8)))
                    (br $one)))
                (local.set $q
                  (f64.add
                    (f64.load (i32.add (local.get $reward) (i32.shl (local.get $r) (i32.const 3))))
                    (f64.add (f64.add (local.get $a0) (local.get $a1)) (f64.add (local.get $a2) (local.get $a3)))))
                ;; bound[row] = Q - drift: with the drift accumulated later, an upper bound on Q then.
                (f64.store (i32.add (local.get $bound) (i32.shl (local.get $r) (i32.const 3)))
                  (f64.sub (local.get $q) (local.get $drift)))
                        (if (f64.gt (local.get $q) (local.get $best))
                          (then
                            (local.set $best (local.get $q))
                            (local.set $rb (local.get $r))))))))
                (local.set $r (i32.add (local.get $r) (i32.const 1)))
                (br $rows)))
            (i32.store (i32.add (local.get $lastBest) (i32.shl (local.get $s) (i32.const 2))) (local.get $rb))
            (local.set $pv (i32.add (local.get $v) (i32.shl (local.get $s) (i32.const 3))))
            (local.set $d (f64.abs (f64.sub (local.get $best) (f64.load (local.get $pv)))))
            (if (f64.gt (local.get $d) (local.get $res)) (then (local.set $res (local.get $d))))
            (f64.store (local.get $pv) (local.get $best))))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $states)))
    (local.get $res))

  ;; out[i] = (v[i] + sum_{k in row i of L} val[k] * out[col[k]]) * invDiag[i], i = 0 .. n-1:
  ;; the forward Gauss-Seidel sweep (D - L)^-1 v.
  (func $forward
    (param $n i32) (param $ptr i32) (param $col i32) (param $val i32) (param $invDiag i32)
    (param $v i32) (param $out i32)
    (local $i i32) (local $o8 i32)
    (block $done
      (loop $rows
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $o8 (i32.shl (local.get $i) (i32.const 3)))
        (f64.store (i32.add (local.get $out) (local.get $o8))
          (f64.mul
            (f64.add (f64.load (i32.add (local.get $v) (local.get $o8)))
              (call $dot (local.get $col) (local.get $val) (local.get $out)
                (i32.load (i32.add (local.get $ptr) (i32.shl (local.get $i) (i32.const 2))))
                (i32.load offset=4 (i32.add (local.get $ptr) (i32.shl (local.get $i) (i32.const 2))))))
            (f64.load (i32.add (local.get $invDiag) (local.get $o8)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))
  (export "forwardSolve" (func $forward))

  ;; y = A M^-1 v for A = D - L - U, M = D - L (Eisenstat): z = M^-1 v, then y[i] = v[i] - (U z)[i].
  (func (export "gaussSeidelOperator")
    (param $n i32) (param $lptr i32) (param $lcol i32) (param $lval i32) (param $invDiag i32)
    (param $uptr i32) (param $ucol i32) (param $uval i32) (param $v i32) (param $z i32) (param $y i32)
    (local $i i32) (local $o8 i32)
    (call $forward (local.get $n) (local.get $lptr) (local.get $lcol) (local.get $lval) (local.get $invDiag)
      (local.get $v) (local.get $z))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $o8 (i32.shl (local.get $i) (i32.const 3)))
        (f64.store (i32.add (local.get $y) (local.get $o8))
          (f64.sub (f64.load (i32.add (local.get $v) (local.get $o8)))
            (call $dot (local.get $ucol) (local.get $uval) (local.get $z)
              (i32.load (i32.add (local.get $uptr) (i32.shl (local.get $i) (i32.const 2))))
              (i32.load offset=4 (i32.add (local.get $uptr) (i32.shl (local.get $i) (i32.const 2)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

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
  (export "axpy" (func $axpy))

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
    (param $n i32) (param $ptr i32) (param $col i32) (param $val i32) (param $invDiag i32)
    (param $v i32) (param $out i32)
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
                (i32.load (i32.add (local.get $ptr) (i32.shl (local.get $i) (i32.const 2))))
                (i32.load offset=4 (i32.add (local.get $ptr) (i32.shl (local.get $i) (i32.const 2))))))))
        (local.set $i (i32.sub (local.get $i) (i32.const 1)))
        (br $rows))))
  (export "backwardSolveScaled" (func $backward))

  ;; out_i = v_i + invDiag_i * sum_{j<i} L_ij out_j: (D - L)^-1 D v.
  (func $forwardScaled
    (param $n i32) (param $ptr i32) (param $col i32) (param $val i32) (param $invDiag i32)
    (param $v i32) (param $out i32)
    (local $i i32) (local $o8 i32)
    (block $done
      (loop $rows
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $o8 (i32.shl (local.get $i) (i32.const 3)))
        (f64.store (i32.add (local.get $out) (local.get $o8))
          (f64.add (f64.load (i32.add (local.get $v) (local.get $o8)))
            (f64.mul (f64.load (i32.add (local.get $invDiag) (local.get $o8)))
              (call $dot (local.get $col) (local.get $val) (local.get $out)
                (i32.load (i32.add (local.get $ptr) (i32.shl (local.get $i) (i32.const 2))))
                (i32.load offset=4 (i32.add (local.get $ptr) (i32.shl (local.get $i) (i32.const 2))))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  (func (export "ssorOperator")
    (param $n i32) (param $lptr i32) (param $lcol i32) (param $lval i32) (param $invDiag i32)
    (param $uptr i32) (param $ucol i32) (param $uval i32) (param $v i32) (param $t i32) (param $y i32)
    (local $i i32) (local $o8 i32)
    ;; t = (D - U)^-1 D v
    (call $backward (local.get $n) (local.get $uptr) (local.get $ucol) (local.get $uval) (local.get $invDiag)
      (local.get $v) (local.get $t))
    ;; y = v - t, then y = (D - L)^-1 D y in place (row i reads only rows j < i, already final), then y += t
    (block $d1
      (loop $l1
        (br_if $d1 (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $o8 (i32.shl (local.get $i) (i32.const 3)))
        (f64.store (i32.add (local.get $y) (local.get $o8))
          (f64.sub (f64.load (i32.add (local.get $v) (local.get $o8))) (f64.load (i32.add (local.get $t) (local.get $o8)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l1)))
    (call $forwardScaled (local.get $n) (local.get $lptr) (local.get $lcol) (local.get $lval) (local.get $invDiag)
      (local.get $y) (local.get $y))
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
    (param $n i32) (param $lptr i32) (param $lcol i32) (param $lval i32) (param $diag i32)
    (param $uptr i32) (param $ucol i32) (param $uval i32) (param $x i32) (param $b i32) (param $out i32)
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
                  (i32.load (i32.add (local.get $lptr) (local.get $p4)))
                  (i32.load offset=4 (i32.add (local.get $lptr) (local.get $p4)))))
              (call $dot (local.get $ucol) (local.get $uval) (local.get $x)
                (i32.load (i32.add (local.get $uptr) (local.get $p4)))
                (i32.load offset=4 (i32.add (local.get $uptr) (local.get $p4)))))))
        (f64.store (i32.add (local.get $out) (local.get $o8)) (local.get $r))
        (local.set $sum (f64.add (local.get $sum) (f64.mul (local.get $r) (local.get $r))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows)))
    (f64.sqrt (local.get $sum)))

  ;; out[r] = reward[r] + sum_k weight[k] * v[next[k]] for every row r in [0, nRows): the Q values of
  ;; compact rows, for the greedy policy at the end of value iteration.
  (func (export "rowValues")
    (param $nRows i32) (param $rowPtr i32) (param $next i32) (param $weight i32) (param $reward i32)
    (param $v i32) (param $out i32)
    (local $r i32)
    (block $done
      (loop $rows
        (br_if $done (i32.ge_s (local.get $r) (local.get $nRows)))
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 3)))
          (f64.add
            (f64.load (i32.add (local.get $reward) (i32.shl (local.get $r) (i32.const 3))))
            (call $dot (local.get $next) (local.get $weight) (local.get $v)
              (i32.load (i32.add (local.get $rowPtr) (i32.shl (local.get $r) (i32.const 2))))
              (i32.load offset=4 (i32.add (local.get $rowPtr) (i32.shl (local.get $r) (i32.const 2)))))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows))))
)
