;; Part of compact-learner-kernel.wat (in the step, after p2 is chosen): the bootstrap q of the pair p2 chosen
;; in s2 (s2 is not terminal).
;;#include compact-learner-records.part.wat
;;#if nextBootstrap
                (local.set $boot (f64.load offset=pair.q (i32.add (local.get $pairs) (i32.shl (local.get $p2) (i32.const 4)))))
;;#end
