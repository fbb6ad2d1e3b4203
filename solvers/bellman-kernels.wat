;; Value-iteration kernels, in WebAssembly text: the Bellman sweep over compact rows and their Q values.
;; Assembled at build time into bellman-kernels.generated.ts (see scripts/build-wasm.ts).
;;
;; Why: V8 runs these loops about three times faster as WebAssembly than as JavaScript over typed
;; arrays (no bounds checks or deoptimisation guards in the inner loop); on the benchmark machine the
;; ICU-Sepsis value iteration went from about 95 ms to about the speed of the same loop in C at -O2.
;;
;; Every array argument is a byte address in the imported memory; sizes are element counts. The memory is
;; shared so that two threads can sweep disjoint state ranges of one problem (see sweep-threads.ts).
;; Sums use four accumulators in the same order as `sparseDot` in solvers/linear/kernels.ts, so
;; results are bit-identical to the JavaScript sweep (tested).
(module
  (import "env" "memory" (memory 1 65536 shared))

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
  ;; reward[r] + sum_k weight[k] * old[next[k]], for the states s in [from, to); states without rows keep
  ;; their value.
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
    (param $from i32) (param $to i32) (param $statePtr i32) (param $rowPtr i32) (param $next i32)
    (param $weight i32) (param $reward i32) (param $v i32) (param $old i32) (param $bound i32)
    (param $lastBest i32) (param $drift f64) (param $scale f64) (result f64)
    (local $s i32) (local $r i32) (local $r0 i32) (local $r1 i32) (local $rb i32) (local $pv i32)
    (local $pc i32) (local $pw i32) (local $end i32) (local $end4 i32) (local $gs i32)
    (local $a0 f64) (local $a1 f64) (local $a2 f64) (local $a3 f64)
    (local $best f64) (local $q f64) (local $d f64) (local $res f64) (local $cut f64)
    (local.set $gs (i32.eq (local.get $v) (local.get $old)))
    (local.set $s (local.get $from))
    (block $states_done
      (loop $states
        (br_if $states_done (i32.ge_s (local.get $s) (local.get $to)))
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
                    ;; The margin covers rounding in bound[r] = Q - drift and bound[r] + drift, which is
                    ;; relative to the larger of |Q| and drift.
                    (local.set $cut (f64.sub (local.get $best)
                      (f64.mul (f64.const 1e-12)
                        (f64.add (f64.add (f64.const 1) (f64.abs (local.get $best))) (local.get $drift)))))
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
