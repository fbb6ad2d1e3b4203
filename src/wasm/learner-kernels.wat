;; Episodes of Q-learning, SARSA, Expected SARSA or Double Q-learning with epsilon-greedy exploration: the
;; loop of solvers/learning/loop.ts for those four rules, step for step and draw for draw, so it gives the
;; same bits (a test runs both). Assembled at build time into learner-kernels.generated.ts.
;;
;; Why a second copy of the loop: the JavaScript loop runs these rules at about 6.4 M steps/s on
;; ICU-Sepsis, while the same loop in C (bench/native/qlearn.c) runs at 15-17 M. The env step, the
;; epsilon-greedy draw, the update and the greedy cache are all here, with both sfc32 generators in locals.
;;
;; Configuration block of i32 words at address `cfg`:
;;   0 nA  1 q(f64)  2 visits(i32; 0: the step size is the episode's alpha)  3 best(i32)  4 max(f64)
;;   5 sum(f64)  6 set pointers(i32, nS + 1)  7 set actions(i32)  8 rowStart(i32)  9 rowLen(i32)
;;   10 transition records (3 x u32: threshold, own, alias)  11 d0 records  12 d0 record count
;;   13 terminal(u8)  14 reward table(f64)  15 reward by row (0: R(s'), 1: R(s, a))  16 maxEpisodeSteps
;;   17 table of n^-omega (f64, 65536)  18 env generator (4 x u32)  19 learner generator (4 x u32)
;;   20 rule (0 Q-learning, 1 SARSA, 2 Expected SARSA, 3 Double Q)  21 alpha per episode(f64)  22 epsilon
;;   per episode(f64)  23 returns out(f64)  24 lengths out(i32)  25 gamma, omega (f64)  26, 27 Double Q's
;;   tables Q1, Q2 (f64; word 1 is then the acting table (Q1 + Q2) / 2)
(module
  (import "env" "memory" (memory 1))
  (import "env" "pow" (func $pow (param f64 f64) (result f64)))

  ;; Runs $episodes episodes; returns the number of steps taken.
  (func (export "run") (param $cfg i32) (param $episodes i32) (result i32)
    (local $nA i32) (local $q i32) (local $visits i32) (local $best i32) (local $max i32) (local $sum i32)
    (local $setPtr i32) (local $setAct i32) (local $rowStart i32) (local $rowLen i32) (local $rec i32)
    (local $d0rec i32) (local $d0len i32) (local $terminal i32) (local $rewards i32) (local $byRow i32)
    (local $maxSteps i32) (local $powTable i32) (local $rule i32) (local $alphas i32) (local $epsilons i32)
    (local $returns i32) (local $lengths i32) (local $gamma f64) (local $omega f64)
    (local $ea i32) (local $eb i32) (local $ec i32) (local $ed i32) (local $la i32) (local $lb i32) (local $lc i32) (local $ld i32)
    (local $t i32) (local $x i64) (local $o i32) (local $u f64) (local $lo i32) (local $hi i32)
    (local $ep i32) (local $total i32) (local $alpha f64) (local $eps f64)
    (local $s i32) (local $a i32) (local $s2 i32) (local $a2 i32) (local $row i32) (local $elapsed i32) (local $len i32)
    (local $g f64) (local $disc f64) (local $r f64) (local $term i32) (local $trunc i32)
    (local $target f64) (local $step f64) (local $n i32) (local $old f64) (local $v f64)
    (local $k i32) (local $b i32) (local $mx f64) (local $acc f64) (local $ties i32) (local $w f64)
    (local $q1 i32) (local $q2 i32) (local $qT i32) (local $qJ i32) (local $boot f64)
    (local.set $nA (i32.load (local.get $cfg)))
    (local.set $q (i32.load offset=4 (local.get $cfg)))
    (local.set $visits (i32.load offset=8 (local.get $cfg)))
    (local.set $best (i32.load offset=12 (local.get $cfg)))
    (local.set $max (i32.load offset=16 (local.get $cfg)))
    (local.set $sum (i32.load offset=20 (local.get $cfg)))
    (local.set $setPtr (i32.load offset=24 (local.get $cfg)))
    (local.set $setAct (i32.load offset=28 (local.get $cfg)))
    (local.set $rowStart (i32.load offset=32 (local.get $cfg)))
    (local.set $rowLen (i32.load offset=36 (local.get $cfg)))
    (local.set $rec (i32.load offset=40 (local.get $cfg)))
    (local.set $d0rec (i32.load offset=44 (local.get $cfg)))
    (local.set $d0len (i32.load offset=48 (local.get $cfg)))
    (local.set $terminal (i32.load offset=52 (local.get $cfg)))
    (local.set $rewards (i32.load offset=56 (local.get $cfg)))
    (local.set $byRow (i32.load offset=60 (local.get $cfg)))
    (local.set $maxSteps (i32.load offset=64 (local.get $cfg)))
    (local.set $powTable (i32.load offset=68 (local.get $cfg)))
    (local.set $rule (i32.load offset=80 (local.get $cfg)))
    (local.set $alphas (i32.load offset=84 (local.get $cfg)))
    (local.set $epsilons (i32.load offset=88 (local.get $cfg)))
    (local.set $returns (i32.load offset=92 (local.get $cfg)))
    (local.set $lengths (i32.load offset=96 (local.get $cfg)))
    (local.set $gamma (f64.load (i32.load offset=100 (local.get $cfg))))
    (local.set $omega (f64.load offset=8 (i32.load offset=100 (local.get $cfg))))
    (local.set $q1 (i32.load offset=104 (local.get $cfg)))
    (local.set $q2 (i32.load offset=108 (local.get $cfg)))
    (local.set $o (i32.load offset=72 (local.get $cfg)))
    (local.set $ea (i32.load (local.get $o)))
    (local.set $eb (i32.load offset=4 (local.get $o)))
    (local.set $ec (i32.load offset=8 (local.get $o)))
    (local.set $ed (i32.load offset=12 (local.get $o)))
    (local.set $o (i32.load offset=76 (local.get $cfg)))
    (local.set $la (i32.load (local.get $o)))
    (local.set $lb (i32.load offset=4 (local.get $o)))
    (local.set $lc (i32.load offset=8 (local.get $o)))
    (local.set $ld (i32.load offset=12 (local.get $o)))
    (block $allDone
      (loop $episode
        (br_if $allDone (i32.ge_s (local.get $ep) (local.get $episodes)))
        (local.set $alpha (f64.load (i32.add (local.get $alphas) (i32.shl (local.get $ep) (i32.const 3)))))
        (local.set $eps (f64.load (i32.add (local.get $epsilons) (i32.shl (local.get $ep) (i32.const 3)))))
        ;; Reset: s from d0 (env generator).
        (local.set $t (i32.add (i32.add (local.get $ea) (local.get $eb)) (local.get $ed)))
        (local.set $ed (i32.add (local.get $ed) (i32.const 1)))
        (local.set $ea (i32.xor (local.get $eb) (i32.shr_u (local.get $eb) (i32.const 9))))
        (local.set $eb (i32.add (local.get $ec) (i32.shl (local.get $ec) (i32.const 3))))
        (local.set $ec (i32.add (i32.rotl (local.get $ec) (i32.const 21)) (local.get $t)))
        (local.set $x (i64.mul (i64.extend_i32_u (local.get $t)) (i64.extend_i32_u (local.get $d0len))))
        (local.set $o (i32.add (local.get $d0rec)
          (i32.mul (i32.const 12) (i32.wrap_i64 (i64.shr_u (local.get $x) (i64.const 32))))))
        (local.set $s (select (i32.load offset=4 (local.get $o)) (i32.load offset=8 (local.get $o))
          (i32.lt_u (i32.wrap_i64 (local.get $x)) (i32.load (local.get $o)))))
        ;; a: epsilon-greedy in s (learner generator; one draw decides and, rescaled, picks).
        (local.set $t (i32.add (i32.add (local.get $la) (local.get $lb)) (local.get $ld)))
        (local.set $ld (i32.add (local.get $ld) (i32.const 1)))
        (local.set $la (i32.xor (local.get $lb) (i32.shr_u (local.get $lb) (i32.const 9))))
        (local.set $lb (i32.add (local.get $lc) (i32.shl (local.get $lc) (i32.const 3))))
        (local.set $lc (i32.add (i32.rotl (local.get $lc) (i32.const 21)) (local.get $t)))
        (local.set $u (f64.div (f64.convert_i32_u (local.get $t)) (f64.const 4294967296)))
        (if (f64.lt (local.get $u) (local.get $eps))
          (then
            (local.set $lo (i32.load (i32.add (local.get $setPtr) (i32.shl (local.get $s) (i32.const 2)))))
            (local.set $hi (i32.load offset=4 (i32.add (local.get $setPtr) (i32.shl (local.get $s) (i32.const 2)))))
            (local.set $a (i32.load (i32.add (local.get $setAct) (i32.shl
              (i32.add (local.get $lo) (i32.trunc_f64_s (f64.floor (f64.mul (f64.div (local.get $u) (local.get $eps))
                (f64.convert_i32_s (i32.sub (local.get $hi) (local.get $lo)))))))
              (i32.const 2))))))
          (else (local.set $a (i32.load (i32.add (local.get $best) (i32.shl (local.get $s) (i32.const 2)))))))
        (local.set $g (f64.const 0))
        (local.set $disc (f64.const 1))
        (local.set $len (i32.const 0))
        (local.set $elapsed (i32.const 0))
        (block $episodeDone
          (loop $step
            ;; The env step: s2 from the row's alias records (env generator), reward, flags.
            (local.set $row (i32.add (i32.mul (local.get $s) (local.get $nA)) (local.get $a)))
            (local.set $elapsed (i32.add (local.get $elapsed) (i32.const 1)))
            (local.set $t (i32.add (i32.add (local.get $ea) (local.get $eb)) (local.get $ed)))
            (local.set $ed (i32.add (local.get $ed) (i32.const 1)))
            (local.set $ea (i32.xor (local.get $eb) (i32.shr_u (local.get $eb) (i32.const 9))))
            (local.set $eb (i32.add (local.get $ec) (i32.shl (local.get $ec) (i32.const 3))))
            (local.set $ec (i32.add (i32.rotl (local.get $ec) (i32.const 21)) (local.get $t)))
            (local.set $x (i64.mul (i64.extend_i32_u (local.get $t))
              (i64.extend_i32_u (i32.load (i32.add (local.get $rowLen) (i32.shl (local.get $row) (i32.const 2)))))))
            (local.set $o (i32.add (local.get $rec)
              (i32.mul (i32.const 12)
                (i32.add (i32.load (i32.add (local.get $rowStart) (i32.shl (local.get $row) (i32.const 2))))
                  (i32.wrap_i64 (i64.shr_u (local.get $x) (i64.const 32)))))))
            (local.set $s2 (select (i32.load offset=4 (local.get $o)) (i32.load offset=8 (local.get $o))
              (i32.lt_u (i32.wrap_i64 (local.get $x)) (i32.load (local.get $o)))))
            (local.set $r (f64.load (i32.add (local.get $rewards)
              (i32.shl (select (local.get $row) (local.get $s2) (local.get $byRow)) (i32.const 3)))))
            (local.set $term (i32.load8_u (i32.add (local.get $terminal) (local.get $s2))))
            (local.set $trunc (i32.and (i32.eqz (local.get $term)) (i32.ge_s (local.get $elapsed) (local.get $maxSteps))))
            (local.set $len (i32.add (local.get $len) (i32.const 1)))
            (local.set $g (f64.add (local.get $g) (f64.mul (local.get $disc) (local.get $r))))
            (local.set $disc (f64.mul (local.get $disc) (local.get $gamma)))
            ;; a2: epsilon-greedy in s2 (chosen on truncation too: SARSA bootstraps from it).
            (local.set $a2 (i32.const -1))
            (if (i32.eqz (local.get $term))
              (then
                (local.set $t (i32.add (i32.add (local.get $la) (local.get $lb)) (local.get $ld)))
                (local.set $ld (i32.add (local.get $ld) (i32.const 1)))
                (local.set $la (i32.xor (local.get $lb) (i32.shr_u (local.get $lb) (i32.const 9))))
                (local.set $lb (i32.add (local.get $lc) (i32.shl (local.get $lc) (i32.const 3))))
                (local.set $lc (i32.add (i32.rotl (local.get $lc) (i32.const 21)) (local.get $t)))
                (local.set $u (f64.div (f64.convert_i32_u (local.get $t)) (f64.const 4294967296)))
                (if (f64.lt (local.get $u) (local.get $eps))
                  (then
                    (local.set $lo (i32.load (i32.add (local.get $setPtr) (i32.shl (local.get $s2) (i32.const 2)))))
                    (local.set $hi (i32.load offset=4 (i32.add (local.get $setPtr) (i32.shl (local.get $s2) (i32.const 2)))))
                    (local.set $a2 (i32.load (i32.add (local.get $setAct) (i32.shl
                      (i32.add (local.get $lo) (i32.trunc_f64_s (f64.floor (f64.mul (f64.div (local.get $u) (local.get $eps))
                        (f64.convert_i32_s (i32.sub (local.get $hi) (local.get $lo)))))))
                      (i32.const 2))))))
                  (else (local.set $a2 (i32.load (i32.add (local.get $best) (i32.shl (local.get $s2) (i32.const 2)))))))))
            ;; Double Q: the table this step updates (Q1 below 1/2), drawn on every step; the other judges the
            ;; updated table's greedy action in s2 (ties to the first allowed action).
            (if (i32.eq (local.get $rule) (i32.const 3))
              (then
                (local.set $t (i32.add (i32.add (local.get $la) (local.get $lb)) (local.get $ld)))
                (local.set $ld (i32.add (local.get $ld) (i32.const 1)))
                (local.set $la (i32.xor (local.get $lb) (i32.shr_u (local.get $lb) (i32.const 9))))
                (local.set $lb (i32.add (local.get $lc) (i32.shl (local.get $lc) (i32.const 3))))
                (local.set $lc (i32.add (i32.rotl (local.get $lc) (i32.const 21)) (local.get $t)))
                (local.set $k (f64.lt (f64.div (f64.convert_i32_u (local.get $t)) (f64.const 4294967296)) (f64.const 0.5)))
                (local.set $qT (select (local.get $q1) (local.get $q2) (local.get $k)))
                (local.set $qJ (select (local.get $q2) (local.get $q1) (local.get $k)))
                (if (i32.eqz (local.get $term))
                  (then
                    (local.set $lo (i32.load (i32.add (local.get $setPtr) (i32.shl (local.get $s2) (i32.const 2)))))
                    (local.set $hi (i32.load offset=4 (i32.add (local.get $setPtr) (i32.shl (local.get $s2) (i32.const 2)))))
                    (local.set $o (i32.shl (i32.mul (local.get $s2) (local.get $nA)) (i32.const 3)))
                    (local.set $b (i32.load (i32.add (local.get $setAct) (i32.shl (local.get $lo) (i32.const 2)))))
                    (local.set $k (i32.add (local.get $lo) (i32.const 1)))
                    (block $picked
                      (loop $pick
                        (br_if $picked (i32.ge_s (local.get $k) (local.get $hi)))
                        (local.set $n (i32.load (i32.add (local.get $setAct) (i32.shl (local.get $k) (i32.const 2)))))
                        (if (f64.gt
                              (f64.load (i32.add (local.get $qT) (i32.add (local.get $o) (i32.shl (local.get $n) (i32.const 3)))))
                              (f64.load (i32.add (local.get $qT) (i32.add (local.get $o) (i32.shl (local.get $b) (i32.const 3))))))
                          (then (local.set $b (local.get $n))))
                        (local.set $k (i32.add (local.get $k) (i32.const 1)))
                        (br $pick)))
                    (local.set $boot (f64.load (i32.add (local.get $qJ)
                      (i32.add (local.get $o) (i32.shl (local.get $b) (i32.const 3))))))))))
            ;; Target: r on termination, else r + gamma * the rule's bootstrap.
            (local.set $target (local.get $r))
            (if (i32.eqz (local.get $term))
              (then
                (local.set $target (f64.add (local.get $r) (f64.mul (local.get $gamma)
                  (if (result f64) (i32.eqz (local.get $rule))
                    (then (f64.load (i32.add (local.get $max) (i32.shl (local.get $s2) (i32.const 3)))))
                    (else
                      (if (result f64) (i32.eq (local.get $rule) (i32.const 1))
                        (then (f64.load (i32.add (local.get $q)
                          (i32.shl (i32.add (i32.mul (local.get $s2) (local.get $nA)) (local.get $a2)) (i32.const 3)))))
                        (else (if (result f64) (i32.eq (local.get $rule) (i32.const 3))
                          (then (local.get $boot))
                          (else
                          ;; Expected SARSA: (eps * sum) / n + (1 - eps) * max over s2's actions.
                          (f64.add
                            (f64.div
                              (f64.mul (local.get $eps) (f64.load (i32.add (local.get $sum) (i32.shl (local.get $s2) (i32.const 3)))))
                              (f64.convert_i32_s (i32.sub
                                (i32.load offset=4 (i32.add (local.get $setPtr) (i32.shl (local.get $s2) (i32.const 2))))
                                (i32.load (i32.add (local.get $setPtr) (i32.shl (local.get $s2) (i32.const 2)))))))
                            (f64.mul (f64.sub (f64.const 1) (local.get $eps))
                              (f64.load (i32.add (local.get $max) (i32.shl (local.get $s2) (i32.const 3)))))))))))))))))
            ;; Step size: the episode's alpha, or alpha * n(s, a)^-omega.
            (local.set $step (local.get $alpha))
            (if (local.get $visits)
              (then
                (local.set $o (i32.add (local.get $visits) (i32.shl (local.get $row) (i32.const 2))))
                (local.set $n (i32.add (i32.load (local.get $o)) (i32.const 1)))
                (i32.store (local.get $o) (local.get $n))
                (local.set $step (f64.mul (local.get $alpha)
                  (if (result f64) (i32.lt_s (local.get $n) (i32.const 65536))
                    (then (f64.load (i32.add (local.get $powTable) (i32.shl (local.get $n) (i32.const 3)))))
                    (else (call $pow (f64.convert_i32_s (local.get $n)) (f64.neg (local.get $omega)))))))))
            ;; q[s, a] += step * (target - q[s, a]) (Double Q: in the drawn table, then the acting table takes
            ;; the mean of both), keeping the greedy cache right.
            (local.set $o (i32.shl (local.get $row) (i32.const 3)))
            (if (i32.eq (local.get $rule) (i32.const 3))
              (then
                (local.set $w (f64.load (i32.add (local.get $qT) (local.get $o))))
                (f64.store (i32.add (local.get $qT) (local.get $o))
                  (f64.add (local.get $w) (f64.mul (local.get $step) (f64.sub (local.get $target) (local.get $w)))))
                (local.set $v (f64.mul (f64.const 0.5)
                  (f64.add (f64.load (i32.add (local.get $q1) (local.get $o))) (f64.load (i32.add (local.get $q2) (local.get $o))))))
                (local.set $old (f64.load (i32.add (local.get $q) (local.get $o)))))
              (else
                (local.set $old (f64.load (i32.add (local.get $q) (local.get $o))))
                (local.set $v (f64.add (local.get $old)
                  (f64.mul (local.get $step) (f64.sub (local.get $target) (local.get $old)))))))
            (f64.store (i32.add (local.get $q) (local.get $o)) (local.get $v))
            (local.set $o (i32.add (local.get $sum) (i32.shl (local.get $s) (i32.const 3))))
            (f64.store (local.get $o) (f64.add (f64.load (local.get $o)) (f64.sub (local.get $v) (local.get $old))))
            (if (f64.gt (local.get $v) (f64.load (i32.add (local.get $max) (i32.shl (local.get $s) (i32.const 3)))))
              (then
                (f64.store (i32.add (local.get $max) (i32.shl (local.get $s) (i32.const 3))) (local.get $v))
                (i32.store (i32.add (local.get $best) (i32.shl (local.get $s) (i32.const 2))) (local.get $a)))
              (else
                (if (i32.and
                      (i32.eq (local.get $a) (i32.load (i32.add (local.get $best) (i32.shl (local.get $s) (i32.const 2)))))
                      (f64.lt (local.get $v) (local.get $old)))
                  (then
                    ;; Rescan s: max, sum, greedy action; ties kept with probability 1/ties (learner generator).
                    (local.set $lo (i32.load (i32.add (local.get $setPtr) (i32.shl (local.get $s) (i32.const 2)))))
                    (local.set $hi (i32.load offset=4 (i32.add (local.get $setPtr) (i32.shl (local.get $s) (i32.const 2)))))
                    (local.set $o (i32.add (local.get $q) (i32.shl (i32.mul (local.get $s) (local.get $nA)) (i32.const 3))))
                    (local.set $b (i32.load (i32.add (local.get $setAct) (i32.shl (local.get $lo) (i32.const 2)))))
                    (local.set $mx (f64.load (i32.add (local.get $o) (i32.shl (local.get $b) (i32.const 3)))))
                    (local.set $acc (local.get $mx))
                    (local.set $ties (i32.const 1))
                    (local.set $k (i32.add (local.get $lo) (i32.const 1)))
                    (block $scanned
                      (loop $scan
                        (br_if $scanned (i32.ge_s (local.get $k) (local.get $hi)))
                        (local.set $n (i32.load (i32.add (local.get $setAct) (i32.shl (local.get $k) (i32.const 2)))))
                        (local.set $w (f64.load (i32.add (local.get $o) (i32.shl (local.get $n) (i32.const 3)))))
                        (local.set $acc (f64.add (local.get $acc) (local.get $w)))
                        (if (f64.gt (local.get $w) (local.get $mx))
                          (then
                            (local.set $mx (local.get $w))
                            (local.set $b (local.get $n))
                            (local.set $ties (i32.const 1)))
                          (else
                            (if (f64.eq (local.get $w) (local.get $mx))
                              (then
                                (local.set $ties (i32.add (local.get $ties) (i32.const 1)))
                                (local.set $t (i32.add (i32.add (local.get $la) (local.get $lb)) (local.get $ld)))
                                (local.set $ld (i32.add (local.get $ld) (i32.const 1)))
                                (local.set $la (i32.xor (local.get $lb) (i32.shr_u (local.get $lb) (i32.const 9))))
                                (local.set $lb (i32.add (local.get $lc) (i32.shl (local.get $lc) (i32.const 3))))
                                (local.set $lc (i32.add (i32.rotl (local.get $lc) (i32.const 21)) (local.get $t)))
                                (if (f64.lt
                                      (f64.mul (f64.div (f64.convert_i32_u (local.get $t)) (f64.const 4294967296))
                                        (f64.convert_i32_s (local.get $ties)))
                                      (f64.const 1))
                                  (then (local.set $b (local.get $n))))))))
                        (local.set $k (i32.add (local.get $k) (i32.const 1)))
                        (br $scan)))
                    (i32.store (i32.add (local.get $best) (i32.shl (local.get $s) (i32.const 2))) (local.get $b))
                    (f64.store (i32.add (local.get $max) (i32.shl (local.get $s) (i32.const 3))) (local.get $mx))
                    (f64.store (i32.add (local.get $sum) (i32.shl (local.get $s) (i32.const 3))) (local.get $acc))))))
            (br_if $episodeDone (i32.or (local.get $term) (local.get $trunc)))
            (local.set $s (local.get $s2))
            (local.set $a (local.get $a2))
            (br $step)))
        (local.set $total (i32.add (local.get $total) (local.get $len)))
        (f64.store (i32.add (local.get $returns) (i32.shl (local.get $ep) (i32.const 3))) (local.get $g))
        (i32.store (i32.add (local.get $lengths) (i32.shl (local.get $ep) (i32.const 2))) (local.get $len))
        (local.set $ep (i32.add (local.get $ep) (i32.const 1)))
        (br $episode)))
    (local.set $o (i32.load offset=72 (local.get $cfg)))
    (i32.store (local.get $o) (local.get $ea))
    (i32.store offset=4 (local.get $o) (local.get $eb))
    (i32.store offset=8 (local.get $o) (local.get $ec))
    (i32.store offset=12 (local.get $o) (local.get $ed))
    (local.set $o (i32.load offset=76 (local.get $cfg)))
    (i32.store (local.get $o) (local.get $la))
    (i32.store offset=4 (local.get $o) (local.get $lb))
    (i32.store offset=8 (local.get $o) (local.get $lc))
    (i32.store offset=12 (local.get $o) (local.get $ld))
    (local.get $total))
)
