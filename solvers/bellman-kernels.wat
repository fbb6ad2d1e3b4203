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
    (local $pc i32) (local $pw i32) (local $end i32) (local $end4 i32) (local $sum f64)
    (local $a0 f64) (local $a1 f64) (local $a2 f64) (local $a3 f64)
;;#include row-sum.part.wat col=$col val=$val x=$x lo=$lo hi=$hi out=$sum
    (local.get $sum))

;; The arrays of a sweep, as byte addresses in a record the driver writes once per solve (see
;; value-iteration.ts), so the kernel and both threads' calls name them in one place.
;;   statePtr, rowPtr, next, weight, reward: the compact rows (see compact-rows.ts); v: the values written;
;;   bound[r]: Q - drift of row r when last computed; lastBest[s]: the row that won state s last time;
;;   other[s]: the largest bound of state s's rows but lastBest (+inf: not known);
;;   hotPtr[s], hotLen[s], hotNext, hotWeight, hotReward[s]: a copy of row lastBest[s], kept back to back
;;   for all states so the row every sweep computes is read as one stream (see bellmanSweep).
;;#layout sweep statePtr:i32 rowPtr:i32 next:i32 weight:i32 reward:i32 v:i32 bound:i32 lastBest:i32
;;#layout sweep other:i32 hotPtr:i32 hotLen:i32 hotNext:i32 hotWeight:i32 hotReward:i32

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
  ;; reads see them) bounds Q now. A row is skipped when that bound is below the best row computed
  ;; (first the one that won last time) by more than a rounding margin. bound[] starts at +inf, so the
  ;; first sweep computes everything. Late in a solve most rows trail the best by far more than the
  ;; values can still move, and most of the work goes.
  ;;
  ;; What is left is then mostly the row that won last time, one per state. Read in place, those rows sit
  ;; at irregular distances, and fetching them costs more memory latency than their arithmetic; so the
  ;; winner is computed from its copy in the hot arrays (the same entries in the same order, so the same
  ;; bits), and other[s] lets one comparison skip all the other rows of a state without reading their
  ;; bounds. The copy is renewed when another row wins.
  (func (export "bellmanSweep")
    (param $from i32) (param $to i32) (param $f i32) (param $old i32) (param $drift f64) (param $scale f64)
    (result f64)
    (local $s i32) (local $r i32) (local $r0 i32) (local $r1 i32) (local $rb i32) (local $rbOld i32)
    (local $h i32) (local $pv i32) (local $gs i32) (local $rowPtr i32) (local $bound i32)
    (local $best f64) (local $bestOld f64) (local $q f64) (local $d f64) (local $res f64) (local $top f64)
    (local $b f64) (local $moved f64) (local $sum f64) (local $lo i32) (local $hi i32) (local $next i32) (local $weight i32)
    (local $hotNext i32) (local $hotWeight i32)
    (local $pc i32) (local $pw i32) (local $end i32) (local $end4 i32)
    (local $a0 f64) (local $a1 f64) (local $a2 f64) (local $a3 f64)
    (local.set $gs (i32.eq (i32.load offset=sweep.v (local.get $f)) (local.get $old)))
    (local.set $next (i32.load offset=sweep.next (local.get $f)))
    (local.set $weight (i32.load offset=sweep.weight (local.get $f)))
    (local.set $hotNext (i32.load offset=sweep.hotNext (local.get $f)))
    (local.set $hotWeight (i32.load offset=sweep.hotWeight (local.get $f)))
    (local.set $rowPtr (i32.load offset=sweep.rowPtr (local.get $f)))
    (local.set $bound (i32.load offset=sweep.bound (local.get $f)))
    (local.set $s (local.get $from))
    (block $states_done
      (loop $states
        (br_if $states_done (i32.ge_s (local.get $s) (local.get $to)))
        (local.set $r0 (i32.load (i32.add (i32.load offset=sweep.statePtr (local.get $f))
          (i32.shl (local.get $s) (i32.const 2)))))
        (local.set $r1 (i32.load offset=4 (i32.add (i32.load offset=sweep.statePtr (local.get $f))
          (i32.shl (local.get $s) (i32.const 2)))))
        (if (i32.lt_s (local.get $r0) (local.get $r1))
          (then
            ;; Last time's winner, from its copy.
            (local.set $h (i32.load (i32.add (i32.load offset=sweep.hotPtr (local.get $f))
              (i32.shl (local.get $s) (i32.const 2)))))
            (local.set $hi (i32.add (local.get $h) (i32.load (i32.add (i32.load offset=sweep.hotLen (local.get $f))
              (i32.shl (local.get $s) (i32.const 2))))))
;;#include row-sum.part.wat col=$hotNext val=$hotWeight x=$old lo=$h hi=$hi out=$sum
            (local.set $best (f64.add
              (f64.load (i32.add (i32.load offset=sweep.hotReward (local.get $f)) (i32.shl (local.get $s) (i32.const 3))))
              (local.get $sum)))
            ;; The others only when one of them might beat it: a row is skipped when bound + drift (+ this
            ;; sweep's movement so far, Gauss-Seidel) < best - margin. The margin covers rounding in
            ;; bound[r] = Q - drift and bound[r] + drift, which is relative to the larger of |Q| and drift.
            ;; other[s] bounds all of them at once (the sums are monotone, so the test on the largest
            ;; bound passes only if every row's would).
            (local.set $moved (select (f64.mul (local.get $scale) (local.get $res)) (f64.const 0) (local.get $gs)))
            (if (i32.eqz (f64.lt
                  (f64.add
                    (f64.add
                      (f64.load (i32.add (i32.load offset=sweep.other (local.get $f)) (i32.shl (local.get $s) (i32.const 3))))
                      (local.get $drift))
                    (local.get $moved))
                  (f64.sub (local.get $best)
                    (f64.mul (f64.const 1e-12)
                      (f64.add (f64.add (f64.const 1) (f64.abs (local.get $best))) (local.get $drift))))))
              (then
                (local.set $rbOld (i32.load (i32.add (i32.load offset=sweep.lastBest (local.get $f))
                  (i32.shl (local.get $s) (i32.const 2)))))
                (local.set $rb (local.get $rbOld))
                (local.set $bestOld (local.get $best))
                (local.set $r (local.get $r0))
                (block $rows_done
                  (loop $rows
                    (br_if $rows_done (i32.ge_s (local.get $r) (local.get $r1)))
                    (if (i32.and (i32.ne (local.get $r) (local.get $rbOld))
                          (i32.eqz (f64.lt
                            (f64.add
                              (f64.add (f64.load (i32.add (local.get $bound) (i32.shl (local.get $r) (i32.const 3))))
                                (local.get $drift))
                              (local.get $moved))
                            (f64.sub (local.get $best)
                              (f64.mul (f64.const 1e-12)
                                (f64.add (f64.add (f64.const 1) (f64.abs (local.get $best))) (local.get $drift)))))))
                      (then
                        (local.set $lo (i32.load (i32.add (local.get $rowPtr) (i32.shl (local.get $r) (i32.const 2)))))
                        (local.set $hi (i32.load offset=4 (i32.add (local.get $rowPtr) (i32.shl (local.get $r) (i32.const 2)))))
;;#include row-sum.part.wat col=$next val=$weight x=$old lo=$lo hi=$hi out=$sum
                        (local.set $q (f64.add
                          (f64.load (i32.add (i32.load offset=sweep.reward (local.get $f)) (i32.shl (local.get $r) (i32.const 3))))
                          (local.get $sum)))
                        ;; bound[row] = Q - drift: with the drift accumulated later, an upper bound on Q then.
                        (f64.store (i32.add (local.get $bound) (i32.shl (local.get $r) (i32.const 3)))
                          (f64.sub (local.get $q) (local.get $drift)))
                        (if (f64.gt (local.get $q) (local.get $best))
                          (then
                            (local.set $best (local.get $q))
                            (local.set $rb (local.get $r))))))
                    (local.set $r (i32.add (local.get $r) (i32.const 1)))
                    (br $rows)))
                (if (i32.ne (local.get $rb) (local.get $rbOld))
                  (then
                    ;; A new winner: the old one's bound, which its copy stood for, and the new copy.
                    (f64.store (i32.add (local.get $bound) (i32.shl (local.get $rbOld) (i32.const 3)))
                      (f64.sub (local.get $bestOld) (local.get $drift)))
                    (i32.store (i32.add (i32.load offset=sweep.lastBest (local.get $f)) (i32.shl (local.get $s) (i32.const 2)))
                      (local.get $rb))
                    (call $copyHot (local.get $f) (local.get $s) (local.get $rb))))
                ;; other[s]: the largest bound of the rows the winner's copy does not stand for.
                (local.set $top (f64.const -inf))
                (local.set $r (local.get $r0))
                (block $max_done
                  (loop $max
                    (br_if $max_done (i32.ge_s (local.get $r) (local.get $r1)))
                    (if (i32.ne (local.get $r) (local.get $rb))
                      (then
                        (local.set $b (f64.load (i32.add (local.get $bound) (i32.shl (local.get $r) (i32.const 3)))))
                        (if (f64.gt (local.get $b) (local.get $top)) (then (local.set $top (local.get $b))))))
                    (local.set $r (i32.add (local.get $r) (i32.const 1)))
                    (br $max)))
                (f64.store (i32.add (i32.load offset=sweep.other (local.get $f)) (i32.shl (local.get $s) (i32.const 3)))
                  (local.get $top))))
            (local.set $pv (i32.add (i32.load offset=sweep.v (local.get $f)) (i32.shl (local.get $s) (i32.const 3))))
            (local.set $d (f64.abs (f64.sub (local.get $best) (f64.load (local.get $pv)))))
            (if (f64.gt (local.get $d) (local.get $res)) (then (local.set $res (local.get $d))))
            (f64.store (local.get $pv) (local.get $best))))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $states)))
    (local.get $res))

  ;; Copies compact row r (entries and reward) into state s's slot of the hot arrays.
  (func $copyHot (param $f i32) (param $s i32) (param $r i32)
    (local $lo i32) (local $n i32) (local $h i32) (local $k i32)
    (local.set $lo (i32.load (i32.add (i32.load offset=sweep.rowPtr (local.get $f)) (i32.shl (local.get $r) (i32.const 2)))))
    (local.set $n (i32.sub
      (i32.load offset=4 (i32.add (i32.load offset=sweep.rowPtr (local.get $f)) (i32.shl (local.get $r) (i32.const 2))))
      (local.get $lo)))
    (local.set $h (i32.load (i32.add (i32.load offset=sweep.hotPtr (local.get $f)) (i32.shl (local.get $s) (i32.const 2)))))
    (i32.store (i32.add (i32.load offset=sweep.hotLen (local.get $f)) (i32.shl (local.get $s) (i32.const 2))) (local.get $n))
    (f64.store (i32.add (i32.load offset=sweep.hotReward (local.get $f)) (i32.shl (local.get $s) (i32.const 3)))
      (f64.load (i32.add (i32.load offset=sweep.reward (local.get $f)) (i32.shl (local.get $r) (i32.const 3)))))
    (block $done
      (loop $copy
        (br_if $done (i32.ge_s (local.get $k) (local.get $n)))
        (i32.store
          (i32.add (i32.load offset=sweep.hotNext (local.get $f)) (i32.shl (i32.add (local.get $h) (local.get $k)) (i32.const 2)))
          (i32.load (i32.add (i32.load offset=sweep.next (local.get $f)) (i32.shl (i32.add (local.get $lo) (local.get $k)) (i32.const 2)))))
        (f64.store
          (i32.add (i32.load offset=sweep.hotWeight (local.get $f)) (i32.shl (i32.add (local.get $h) (local.get $k)) (i32.const 3)))
          (f64.load (i32.add (i32.load offset=sweep.weight (local.get $f)) (i32.shl (i32.add (local.get $lo) (local.get $k)) (i32.const 3)))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $copy))))

  ;; Fills the hot slot of every state in [0, nS) that has rows from its row lastBest[s] (the start of a solve).
  (func (export "copyWinners") (param $f i32) (param $nS i32)
    (local $s i32) (local $p i32)
    (block $done
      (loop $states
        (br_if $done (i32.ge_s (local.get $s) (local.get $nS)))
        (local.set $p (i32.add (i32.load offset=sweep.statePtr (local.get $f)) (i32.shl (local.get $s) (i32.const 2))))
        (if (i32.lt_s (i32.load (local.get $p)) (i32.load offset=4 (local.get $p)))
          (then
            (call $copyHot (local.get $f) (local.get $s)
              (i32.load (i32.add (i32.load offset=sweep.lastBest (local.get $f)) (i32.shl (local.get $s) (i32.const 2)))))))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $states))))

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
