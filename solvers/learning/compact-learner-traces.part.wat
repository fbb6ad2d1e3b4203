;; Part of compact-learner.wat (included in the step of the trace rules): p's trace marked, then for every
;; traced pair in trace order (p and s now name it and its state: the step's own are not needed again),
;; v = q[p] + step(p) * delta * e(p), written through compact-learner-write.part.wat, and its trace decays
;; by gamma * lambda (Watkins: cut to 0 after an exploratory p2); traces at or below 1e-10 are dropped.
;;#include compact-learner-records.part.wat
            (local.set $delta (f64.sub (local.get $target) (f64.load offset=pair.q (i32.add (local.get $pairs) (i32.shl (local.get $p) (i32.const 4))))))
            (local.set $i (i32.load (i32.add (local.get $tpos) (i32.shl (local.get $p) (i32.const 2)))))
            (if (local.get $i)
              (then
                (local.set $o (i32.add (local.get $tval) (i32.shl (i32.sub (local.get $i) (i32.const 1)) (i32.const 3))))
                (f64.store (local.get $o) (select (f64.const 1) (f64.add (f64.load (local.get $o)) (f64.const 1)) (local.get $replacing))))
              (else
                (i32.store (i32.add (local.get $traced) (i32.shl (local.get $nt) (i32.const 2))) (local.get $p))
                (f64.store (i32.add (local.get $tval) (i32.shl (local.get $nt) (i32.const 3))) (f64.const 1))
                (local.set $nt (i32.add (local.get $nt) (i32.const 1)))
                (i32.store (i32.add (local.get $tpos) (i32.shl (local.get $p) (i32.const 2))) (local.get $nt))))
;;#if cutsTraces
            (local.set $dec (f64.reinterpret_i64 (select (i64.const 0) (i64.reinterpret_f64 (local.get $decay)) (i32.and (i32.eqz (local.get $term))
              (f64.lt (f64.load offset=pair.q (i32.add (local.get $pairs) (i32.shl (local.get $p2) (i32.const 4)))) (f64.load offset=state.greedy (i32.shl (local.get $s2) (i32.const 5))))))))
;;#else
            (local.set $dec (local.get $decay))
;;#end
            (local.set $i (i32.const 0))
            (local.set $kept (i32.const 0))
            (loop $eachTraced
              (local.set $p (i32.load (i32.add (local.get $traced) (i32.shl (local.get $i) (i32.const 2)))))
              (local.set $e (f64.load (i32.add (local.get $tval) (i32.shl (local.get $i) (i32.const 3)))))
              (local.set $s (i32.load (i32.add (local.get $pairState) (i32.shl (local.get $p) (i32.const 2)))))
              (local.set $o (i32.add (local.get $pairs) (i32.shl (local.get $p) (i32.const 4))))
              (local.set $old (f64.load offset=pair.q (local.get $o)))
;;#if visits
              (local.set $step (f64.load (i32.add (local.get $pairStep) (i32.shl (local.get $p) (i32.const 3)))))
;;#end
              (local.set $v (f64.add (local.get $old) (f64.mul (f64.mul (local.get $step) (local.get $delta)) (local.get $e))))
;;#include compact-learner-write.part.wat
              (local.set $e (f64.mul (local.get $e) (local.get $dec)))
              ;; Kept or dropped without a branch: the slot at `kept` is written either way and claimed if kept.
              (local.set $up (f64.gt (local.get $e) (f64.const 1e-10)))
              (i32.store (i32.add (local.get $traced) (i32.shl (local.get $kept) (i32.const 2))) (local.get $p))
              (f64.store (i32.add (local.get $tval) (i32.shl (local.get $kept) (i32.const 3))) (local.get $e))
              (local.set $kept (i32.add (local.get $kept) (local.get $up)))
              (i32.store (i32.add (local.get $tpos) (i32.shl (local.get $p) (i32.const 2))) (select (local.get $kept) (i32.const 0) (local.get $up)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $eachTraced (i32.lt_s (local.get $i) (local.get $nt))))
            (local.set $nt (local.get $kept))
