;; Part of compact-learner-kernel.wat (in the step, after p2 is chosen, before the other bootstraps): Double
;; Q's table choice and bootstrap. The table this step updates ($qT: Q1 when the draw is below 1/2) is drawn on
;; every step, terminal or not (the JavaScript rule's draw order); the other table ($qJ) values the updated
;; table's greedy pair in s2 (ties to the first allowed pair; $o holds s2's state record).
;;#include compact-learner-records.part.wat
;;#if doubleBootstrap
;;#include ../../src/core/sfc32-step.part.wat rng=$l
            (local.set $k (f64.lt (f64.mul (f64.convert_i32_u (local.get $t)) (f64.const 0x1p-32)) (f64.const 0.5)))
            (local.set $qT (select (local.get $q1) (local.get $q2) (local.get $k)))
            (local.set $qJ (select (local.get $q2) (local.get $q1) (local.get $k)))
            (if (i32.eqz (local.get $term))
              (then
                (local.set $b (i32.load offset=state.firstPair (local.get $o)))
                (local.set $hi (i32.load offset=state.endPair (local.get $o)))
                (local.set $k (i32.add (local.get $b) (i32.const 1)))
                (block $picked
                  (loop $pick
                    (br_if $picked (i32.ge_s (local.get $k) (local.get $hi)))
                    (local.set $b (select (local.get $k) (local.get $b)
                      (f64.gt (f64.load (i32.add (local.get $qT) (i32.shl (local.get $k) (i32.const 3))))
                              (f64.load (i32.add (local.get $qT) (i32.shl (local.get $b) (i32.const 3)))))))
                    (local.set $k (i32.add (local.get $k) (i32.const 1)))
                    (br $pick)))
                (local.set $boot (f64.load (i32.add (local.get $qJ) (i32.shl (local.get $b) (i32.const 3)))))))
;;#end
