;; Part of compact-learner-kernel.wat (in the step, after p2 is chosen): the bootstrap max over s2's allowed
;; pairs, the greedy value its state record keeps ($o holds it; s2 is not terminal).
;;#include compact-learner-records.part.wat
;;#if maxBootstrap
                (local.set $boot (f64.load offset=state.greedy (local.get $o)))
;;#end
