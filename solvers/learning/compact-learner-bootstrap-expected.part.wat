;; Part of compact-learner-kernel.wat (in the step, after p2 is chosen): the bootstrap expectation of q over
;; s2's allowed pairs under epsilon-greedy, from the row sum and the greedy value ($o holds s2's state
;; record; s2 is not terminal).
;;#include compact-learner-records.part.wat
;;#if expectedBootstrap
                ;; (eps * sum) / n + (1 - eps) * max over s2's allowed actions.
                (local.set $boot (f64.add
                  (f64.div (f64.mul (local.get $eps) (f64.load (i32.add (local.get $sums) (i32.shl (local.get $s2) (i32.const 3)))))
                    (f64.convert_i32_s (i32.sub (i32.load offset=state.endPair (local.get $o)) (i32.load offset=state.firstPair (local.get $o)))))
                  (f64.mul (f64.sub (f64.const 1) (local.get $eps)) (f64.load offset=state.greedy (local.get $o)))))
;;#end
