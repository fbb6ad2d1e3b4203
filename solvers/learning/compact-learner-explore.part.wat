;; Part of compact-learner.wat: $p2, epsilon-greedy in the state whose record is at $o, from the draw $u.
;; Exploring picks first + floor(F * n / 2^32) with F = floor(u / eps * 2^32), the rescaled draw as a 32-bit
;; fraction (solvers/learning/policy.ts computes the same integers; F is only used when u < eps).
;;
;; Why without a branch: explore-or-not is a coin flip (epsilon 0.3), mispredicted on about one step in four
;; as a branch. The division depends only on the draw, so it runs ahead of the state it serves, and the state
;; waits only for a multiply and a shift (the float formula floor(u / eps * n) would put a conversion, a
;; multiply and a truncation on that path).
;;#include compact-learner-records.part.wat
                (local.set $x (i64.trunc_sat_f64_u (f64.mul (f64.div (local.get $u) (local.get $eps)) (f64.const 0x1p32))))
                (local.set $lo (i32.load offset=state.firstPair (local.get $o)))
                (local.set $p2 (select
                  (i32.add (local.get $lo) (i32.wrap_i64 (i64.shr_u (i64.mul (local.get $x)
                    (i64.extend_i32_u (i32.sub (i32.load offset=state.endPair (local.get $o)) (local.get $lo)))) (i64.const 32))))
                  (i32.load offset=state.greedyPair (local.get $o))
                  (f64.lt (local.get $u) (local.get $eps))))
