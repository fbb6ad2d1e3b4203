;; Part of compact-learner.wat (included in the step): q[p] = v, keeping the greedy cache of p's state s
;; right (and Expected SARSA's row sum); $o holds p's pair record address and $old its value before. The
;; rules are solvers/learning/greedy-cache.ts's writeQ and rescan, draw for draw: the greedy pair keeps the
;; value v unless it dropped to or below the bound on the other pairs' values ($nonGreedyBounds), which is the
;; only time s is rescanned; another pair takes over above the maximum, and the bound takes the larger of
;; itself and whichever of the two is not greedy.
;;
;; Why selects instead of branches: whether v passes the maximum is a coin flip, and these branches wait for
;; the step's whole chain of loads, so a misprediction discards the next step's speculative work. Values go
;; through i64 selects: V8 (Node 20) compiles an f64 select to a branch and an integer select to a
;; conditional move. The rescan keeps its branch: with the bound it is rare (see greedy-cache.ts for the
;; figures), where before it followed about one step in four.
;;#include compact-learner-records.part.wat
            (f64.store offset=pair.q (local.get $o) (local.get $v))
;;#if rowSums
            (local.set $o (i32.add (local.get $sums) (i32.shl (local.get $s) (i32.const 3))))
            (f64.store (local.get $o) (f64.add (f64.load (local.get $o)) (f64.sub (local.get $v) (local.get $old))))
;;#end
            (local.set $o (i32.shl (local.get $s) (i32.const 5)))
            (local.set $w (f64.load offset=state.greedy (local.get $o)))
            (local.set $b (i32.load offset=state.greedyPair (local.get $o)))
            (local.set $k (i32.add (local.get $nonGreedyBounds) (i32.shl (local.get $s) (i32.const 3))))
            (local.set $bound (f64.load (local.get $k)))
            (local.set $isBest (i32.eq (local.get $p) (local.get $b)))
            (if (i32.and (local.get $isBest)
                  (i32.and (f64.lt (local.get $v) (local.get $old)) (i32.eqz (f64.gt (local.get $v) (local.get $bound)))))
              (then
                ;; Rescan s: max, ties, the best of the rest (and Expected SARSA's row sum).
                (local.set $b (i32.load offset=state.firstPair (local.get $o)))
                (local.set $hi (i32.load offset=state.endPair (local.get $o)))
                (local.set $mx (f64.load offset=pair.q (i32.add (local.get $pairs) (i32.shl (local.get $b) (i32.const 4)))))
                (local.set $bound (f64.const -inf))
                (local.set $ties (i32.const 1))
;;#if rowSums
                (local.set $acc (local.get $mx))
;;#end
                (local.set $k (i32.add (local.get $b) (i32.const 1)))
                (block $scanned
                  (loop $scan
                    (br_if $scanned (i32.ge_s (local.get $k) (local.get $hi)))
                    (local.set $w (f64.load offset=pair.q (i32.add (local.get $pairs) (i32.shl (local.get $k) (i32.const 4)))))
;;#if rowSums
                    ;; The row sum afresh, added in the JavaScript rescan's order.
                    (local.set $acc (f64.add (local.get $acc) (local.get $w)))
;;#end
                    (local.set $up (f64.gt (local.get $w) (local.get $mx)))
                    (local.set $bound (f64.reinterpret_i64 (select (i64.reinterpret_f64 (local.get $mx))
                      (select (i64.reinterpret_f64 (local.get $w)) (i64.reinterpret_f64 (local.get $bound)) (f64.gt (local.get $w) (local.get $bound)))
                      (local.get $up))))
                    (local.set $ties (select (i32.const 1) (i32.add (local.get $ties) (f64.eq (local.get $w) (local.get $mx))) (local.get $up)))
                    (local.set $mx (f64.reinterpret_i64 (select (i64.reinterpret_f64 (local.get $w)) (i64.reinterpret_f64 (local.get $mx)) (local.get $up))))
                    (local.set $b (select (local.get $k) (local.get $b) (local.get $up)))
                    (local.set $k (i32.add (local.get $k) (i32.const 1)))
                    (br $scan)))
                ;; Tied maxima: one draw (learner generator) picks the j-th in row order, j = floor(u * ties).
                (if (i32.gt_s (local.get $ties) (i32.const 1))
                  (then
;;#include ../../src/core/sfc32-step.part.wat rng=$l
                    (local.set $ties (i32.wrap_i64 (i64.shr_u (i64.mul (i64.extend_i32_u (local.get $t)) (i64.extend_i32_u (local.get $ties))) (i64.const 32))))
                    (local.set $k (i32.load offset=state.firstPair (local.get $o)))
                    (block $picked
                      (loop $pick
                        (if (f64.eq (f64.load offset=pair.q (i32.add (local.get $pairs) (i32.shl (local.get $k) (i32.const 4)))) (local.get $mx))
                          (then
                            (local.set $b (local.get $k))
                            (br_if $picked (i32.eqz (local.get $ties)))
                            (local.set $ties (i32.sub (local.get $ties) (i32.const 1)))))
                        (local.set $k (i32.add (local.get $k) (i32.const 1)))
                        (br $pick)))))
                (f64.store offset=state.greedy (local.get $o) (local.get $mx))
                (i32.store offset=state.greedyPair (local.get $o) (local.get $b))
                (f64.store (i32.add (local.get $nonGreedyBounds) (i32.shl (local.get $s) (i32.const 3))) (local.get $bound))
;;#if rowSums
                (f64.store (i32.add (local.get $sums) (i32.shl (local.get $s) (i32.const 3))) (local.get $acc))
;;#end
                )
              (else
                ;; The greedy pair keeps v; another takes over above the maximum; the bound takes the other one.
                (local.set $up (f64.gt (local.get $v) (local.get $w)))
                (i64.store offset=state.greedy (local.get $o) (select (i64.reinterpret_f64 (local.get $v)) (i64.reinterpret_f64 (local.get $w))
                  (i32.or (local.get $isBest) (local.get $up))))
                (i32.store offset=state.greedyPair (local.get $o) (select (local.get $p) (local.get $b) (local.get $up)))
                (local.set $w (f64.reinterpret_i64 (select (i64.reinterpret_f64 (local.get $w)) (i64.reinterpret_f64 (local.get $v)) (local.get $up))))
                (i64.store (local.get $k) (select (i64.reinterpret_f64 (local.get $w)) (i64.reinterpret_f64 (local.get $bound))
                  (i32.and (i32.eqz (local.get $isBest)) (f64.gt (local.get $w) (local.get $bound)))))))
