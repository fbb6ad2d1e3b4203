;; Part of compact-learner.wat (included in the step): q[p] = v, keeping the greedy cache of p's state s
;; right (and Expected SARSA's row sum); $o holds p's pair record address and $old its value before.
;;
;; Why selects instead of branches: whether v passes the cached maximum, and each comparison of a rescan,
;; is a coin flip (v raised the cache on 33 % of Q-learning's steps on ICU-Sepsis, a rescan followed on
;; 24 %), and these branches wait for the step's whole chain of loads, so a misprediction discards the next
;; step's speculative work. Values go through i64 selects: V8 (Node 20) compiles an f64 select to a branch
;; and an integer select to a conditional move. Ties (rare after the first episodes) keep their branch.
            (f64.store (local.get $o) (local.get $v))
;;#if rule=expected-sarsa
            (local.set $o (i32.add (local.get $sums) (i32.shl (local.get $s) (i32.const 3))))
            (f64.store (local.get $o) (f64.add (f64.load (local.get $o)) (f64.sub (local.get $v) (local.get $old))))
;;#end
            (local.set $o (i32.shl (local.get $s) (i32.const 5)))
            (local.set $w (f64.load (local.get $o)))
            (local.set $b (i32.load offset=16 (local.get $o)))
            (local.set $up (f64.gt (local.get $v) (local.get $w)))
            (i64.store (local.get $o) (select (i64.reinterpret_f64 (local.get $v)) (i64.reinterpret_f64 (local.get $w)) (local.get $up)))
            (i32.store offset=16 (local.get $o) (select (local.get $p) (local.get $b) (local.get $up)))
            ;; The greedy pair lowered (it never also passed the maximum, which was its own old value): rescan.
            (if (i32.and (i32.eq (local.get $p) (local.get $b)) (f64.lt (local.get $v) (local.get $old)))
              (then
                ;; Rescan s: max and greedy pair (and Expected SARSA's row sum); ties kept with probability 1/ties (learner generator).
                (local.set $b (i32.load offset=20 (local.get $o)))
                (local.set $hi (i32.load offset=24 (local.get $o)))
                (local.set $mx (f64.load (i32.add (local.get $pairs) (i32.shl (local.get $b) (i32.const 4)))))
                (local.set $ties (i32.const 1))
                (local.set $k (i32.add (local.get $b) (i32.const 1)))
                (block $scanned
                  (loop $scan
                    (br_if $scanned (i32.ge_s (local.get $k) (local.get $hi)))
                    (local.set $w (f64.load (i32.add (local.get $pairs) (i32.shl (local.get $k) (i32.const 4)))))
                    (local.set $up (f64.gt (local.get $w) (local.get $mx)))
                    (if (f64.eq (local.get $w) (local.get $mx))
                      (then
                        (local.set $ties (i32.add (local.get $ties) (i32.const 1)))
                        (local.set $t (i32.add (i32.add (local.get $la) (local.get $lb)) (local.get $ld)))
                        (local.set $ld (i32.add (local.get $ld) (i32.const 1)))
                        (local.set $la (i32.xor (local.get $lb) (i32.shr_u (local.get $lb) (i32.const 9))))
                        (local.set $lb (i32.add (local.get $lc) (i32.shl (local.get $lc) (i32.const 3))))
                        (local.set $lc (i32.add (i32.rotl (local.get $lc) (i32.const 21)) (local.get $t)))
                        (if (f64.lt
                              (f64.mul (f64.mul (f64.convert_i32_u (local.get $t)) (f64.const 0x1p-32))
                                (f64.convert_i32_s (local.get $ties)))
                              (f64.const 1))
                          (then (local.set $b (local.get $k))))))
                    (local.set $mx (f64.reinterpret_i64 (select (i64.reinterpret_f64 (local.get $w)) (i64.reinterpret_f64 (local.get $mx)) (local.get $up))))
                    (local.set $b (select (local.get $k) (local.get $b) (local.get $up)))
                    (local.set $ties (select (i32.const 1) (local.get $ties) (local.get $up)))
                    (local.set $k (i32.add (local.get $k) (i32.const 1)))
                    (br $scan)))
                (f64.store (local.get $o) (local.get $mx))
                (i32.store offset=16 (local.get $o) (local.get $b))
;;#if rule=expected-sarsa
                ;; The row sum afresh, added in the JavaScript rescan's order.
                (local.set $k (i32.load offset=20 (local.get $o)))
                (local.set $acc (f64.load (i32.add (local.get $pairs) (i32.shl (local.get $k) (i32.const 4)))))
                (block $summed
                  (loop $sum
                    (local.set $k (i32.add (local.get $k) (i32.const 1)))
                    (br_if $summed (i32.ge_s (local.get $k) (local.get $hi)))
                    (local.set $acc (f64.add (local.get $acc)
                      (f64.load (i32.add (local.get $pairs) (i32.shl (local.get $k) (i32.const 4))))))
                    (br $sum)))
                (f64.store (i32.add (local.get $sums) (i32.shl (local.get $s) (i32.const 3))) (local.get $acc))
;;#end
                ))
