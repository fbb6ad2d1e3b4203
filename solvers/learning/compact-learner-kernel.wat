;; Q-learning, SARSA, Expected SARSA, Double Q, SARSA(lambda) and Watkins Q(lambda) with epsilon-greedy
;; exploration: the loop of solvers/learning/loop.ts for those rules, draw for draw (a test compares the
;; bits), with every table indexed by allowed (state, action) pair instead of by s * nA + a. Why pairs: on
;; ICU-Sepsis 2,313 of the 17,900 pairs are admissible, so Q and the visit counts take 46 KB instead of 358
;; KB and the admissible rows' transition records 743 KB instead of 1.9 MB (8 bytes each), which keeps the
;; working set in cache.
;;
;; Why variants: one loop per rule, record width, reward kind (per entered state or per pair) and step size
;; (the episode's alpha, or alpha * n^-omega from visit counts), assembled separately (scripts/
;; wat-variants.ts), with no run-time tests of the configuration: V8 allocates registers better in the
;; smaller loop, and each rule carries only its own code. The write and
;; the traces live in compact-learner-write.part.wat and compact-learner-traces.part.wat.
;;
;; Memory layout: the records and the configuration block are declared in compact-learner-records.part.wat.
;;#include compact-learner-records.part.wat
;;
;; The rules, what each needs and its bootstrap: compact-learner-rules.part.wat and one
;; compact-learner-bootstrap-*.part.wat fragment per bootstrap.
;;#include compact-learner-rules.part.wat
;;#variants wide=0|1 pair-rewards=0|1 visits=0|1
(module
  (import "env" "memory" (memory 1))
  (import "env" "pow" (func $pow (param f64 f64) (result f64)))

  ;; Runs $episodes episodes; returns the number of steps taken.
  (func (export "run") (param $cfg i32) (param $episodes i32) (result i32)
    (local $pairs i32) (local $visits i32) (local $pairRewards i32) (local $d0rec i32) (local $d0len i32)
    (local $maxSteps i32) (local $powTable i32) (local $alphas i32) (local $epsilons i32)
    (local $returns i32) (local $lengths i32) (local $gamma f64) (local $omega f64)
    (local $ea i32) (local $eb i32) (local $ec i32) (local $ed i32) (local $la i32) (local $lb i32) (local $lc i32) (local $ld i32)
    (local $t i32) (local $x i64) (local $o i32) (local $u f64) (local $hi i32)
    (local $ep i32) (local $total i32) (local $alpha f64) (local $eps f64)
    (local $s i32) (local $p i32) (local $s2 i32) (local $p2 i32) (local $elapsed i32)
    (local $g f64) (local $disc f64) (local $r f64) (local $term i32)
    (local $target f64) (local $step f64) (local $n i32) (local $old f64) (local $v f64)
    (local $k i32) (local $b i32) (local $mx f64) (local $ties i32) (local $w f64)
    (local $sums i32) (local $acc f64) (local $lo i32) (local $up i32)
    (local $nonGreedyBounds i32) (local $bound f64) (local $isBest i32)
    (local $q1 i32) (local $q2 i32) (local $qT i32) (local $qJ i32) (local $boot f64)
;;#if traces
    (local $traced i32) (local $tval i32) (local $tpos i32) (local $pairState i32)
    (local $pairStep i32) (local $replacing i32) (local $decay f64) (local $delta f64) (local $e f64)
    (local $nt i32) (local $i i32) (local $kept i32) (local $dec f64)
;;#end
    (local.set $pairs (i32.load offset=cfg.pairs (local.get $cfg)))
    (local.set $visits (i32.load offset=cfg.visits (local.get $cfg)))
    (local.set $pairRewards (i32.load offset=cfg.pairRewards (local.get $cfg)))
    (local.set $d0rec (i32.load offset=cfg.d0rec (local.get $cfg)))
    (local.set $d0len (i32.load offset=cfg.d0len (local.get $cfg)))
    (local.set $maxSteps (i32.load offset=cfg.maxEpisodeSteps (local.get $cfg)))
    (local.set $powTable (i32.load offset=cfg.powTable (local.get $cfg)))
    (local.set $alphas (i32.load offset=cfg.alphas (local.get $cfg)))
    (local.set $epsilons (i32.load offset=cfg.epsilons (local.get $cfg)))
    (local.set $returns (i32.load offset=cfg.returns (local.get $cfg)))
    (local.set $lengths (i32.load offset=cfg.lengths (local.get $cfg)))
    (local.set $gamma (f64.load offset=constants.gamma (i32.load offset=cfg.constants (local.get $cfg))))
    (local.set $omega (f64.load offset=constants.omega (i32.load offset=cfg.constants (local.get $cfg))))
    (local.set $sums (i32.load offset=cfg.sums (local.get $cfg)))
    (local.set $q1 (i32.load offset=cfg.q1 (local.get $cfg)))
    (local.set $q2 (i32.load offset=cfg.q2 (local.get $cfg)))
    (local.set $nonGreedyBounds (i32.load offset=cfg.nonGreedyBounds (local.get $cfg)))
;;#if traces
    (local.set $traced (i32.load offset=cfg.traced (local.get $cfg)))
    (local.set $tval (i32.load offset=cfg.traceValues (local.get $cfg)))
    (local.set $tpos (i32.load offset=cfg.tracePositions (local.get $cfg)))
    (local.set $pairState (i32.load offset=cfg.pairStates (local.get $cfg)))
    (local.set $pairStep (i32.load offset=cfg.pairSteps (local.get $cfg)))
    (local.set $replacing (i32.load offset=cfg.replacing (local.get $cfg)))
    (local.set $decay (f64.load offset=constants.traceDecay (i32.load offset=cfg.constants (local.get $cfg))))
;;#end
    (local.set $o (i32.load offset=cfg.envRng (local.get $cfg)))
;;#include ../../src/core/sfc32-load.part.wat rng=$e at=$o
    (local.set $o (i32.load offset=cfg.learnerRng (local.get $cfg)))
;;#include ../../src/core/sfc32-load.part.wat rng=$l at=$o
    (block $allDone
      (loop $episode
        (br_if $allDone (i32.ge_s (local.get $ep) (local.get $episodes)))
        (local.set $alpha (f64.load (i32.add (local.get $alphas) (i32.shl (local.get $ep) (i32.const 3)))))
        (local.set $eps (f64.load (i32.add (local.get $epsilons) (i32.shl (local.get $ep) (i32.const 3)))))
        ;; Reset: s from d0 (env generator).
;;#include ../../src/core/sfc32-step.part.wat rng=$e
        (local.set $x (i64.mul (i64.extend_i32_u (local.get $t)) (i64.extend_i32_u (local.get $d0len))))
        (local.set $o (i32.add (local.get $d0rec)
          (i32.mul (i32.const 12) (i32.wrap_i64 (i64.shr_u (local.get $x) (i64.const 32))))))
        (local.set $s (select (i32.load offset=d0.own (local.get $o)) (i32.load offset=d0.alias (local.get $o))
          (i32.lt_u (i32.wrap_i64 (local.get $x)) (i32.load offset=d0.threshold (local.get $o)))))
        ;; p: epsilon-greedy in s (learner generator; one draw decides and, rescaled, picks).
;;#include ../../src/core/sfc32-step.part.wat rng=$l
        (local.set $u (f64.mul (f64.convert_i32_u (local.get $t)) (f64.const 0x1p-32)))
        (local.set $o (i32.shl (local.get $s) (i32.const 5)))
;;#include compact-learner-explore.part.wat
        (local.set $p (local.get $p2))
        (local.set $g (f64.const 0))
        (local.set $disc (f64.const 1))
        (local.set $elapsed (i32.const 0))
        (block $episodeDone
          (loop $step
            ;; The env step: s2 from the pair's alias records (env generator), reward, termination.
            (local.set $elapsed (i32.add (local.get $elapsed) (i32.const 1)))
;;#include ../../src/core/sfc32-step.part.wat rng=$e
            (local.set $o (i32.add (local.get $pairs) (i32.shl (local.get $p) (i32.const 4))))
            (local.set $x (i64.mul (i64.extend_i32_u (local.get $t)) (i64.extend_i32_u (i32.load offset=pair.recordCount (local.get $o)))))
            (local.set $k (i32.wrap_i64 (i64.shr_u (local.get $x) (i64.const 32))))
;;#if wide
            (local.set $o (i32.add (i32.load offset=pair.firstRecord (local.get $o)) (i32.shl (local.get $k) (i32.const 4))))
            (local.set $s2 (select (i32.load offset=wide.own (local.get $o)) (i32.load offset=wide.alias (local.get $o))
              (i32.lt_u (i32.wrap_i64 (local.get $x)) (i32.load offset=wide.threshold (local.get $o)))))
;;#else
            (local.set $o (i32.add (i32.load offset=pair.firstRecord (local.get $o)) (i32.shl (local.get $k) (i32.const 3))))
            (local.set $s2 (select (i32.load16_u offset=narrow.own (local.get $o)) (i32.load16_u offset=narrow.alias (local.get $o))
              (i32.lt_u (i32.wrap_i64 (local.get $x)) (i32.load offset=narrow.threshold (local.get $o)))))
;;#end
            (local.set $o (i32.shl (local.get $s2) (i32.const 5)))
;;#if pair-rewards
            (local.set $r (f64.load (i32.add (local.get $pairRewards) (i32.shl (local.get $p) (i32.const 3)))))
;;#else
            (local.set $r (f64.load offset=state.reward (local.get $o)))
;;#end
            (local.set $term (i32.load offset=state.terminal (local.get $o)))
            (local.set $g (f64.add (local.get $g) (f64.mul (local.get $disc) (local.get $r))))
            (local.set $disc (f64.mul (local.get $disc) (local.get $gamma)))
            ;; p2: epsilon-greedy in s2, drawn before the update (the JavaScript loop's order); the target
            ;; r + gamma * the rule's bootstrap, or r alone on termination.
            (local.set $target (local.get $r))
            (if (i32.eqz (local.get $term))
              (then
;;#include ../../src/core/sfc32-step.part.wat rng=$l
                (local.set $u (f64.mul (f64.convert_i32_u (local.get $t)) (f64.const 0x1p-32)))
;;#include compact-learner-explore.part.wat
                ))
;;#include compact-learner-bootstrap-double.part.wat
            (if (i32.eqz (local.get $term))
              (then
;;#include compact-learner-bootstrap-max.part.wat
;;#include compact-learner-bootstrap-next.part.wat
;;#include compact-learner-bootstrap-expected.part.wat
                (local.set $target (f64.add (local.get $r) (f64.mul (local.get $gamma) (local.get $boot))))))
            ;; Step size: the episode's alpha, or alpha * n(s, a)^-omega.
;;#if visits
            (local.set $o (i32.add (local.get $visits) (i32.shl (local.get $p) (i32.const 2))))
            (local.set $n (i32.add (i32.load (local.get $o)) (i32.const 1)))
            (i32.store (local.get $o) (local.get $n))
            (local.set $step (f64.mul (local.get $alpha)
              (if (result f64) (i32.lt_s (local.get $n) (i32.const 65536))
                (then (f64.load (i32.add (local.get $powTable) (i32.shl (local.get $n) (i32.const 3)))))
                (else (call $pow (f64.convert_i32_s (local.get $n)) (f64.neg (local.get $omega)))))))
;;#if traces
            (f64.store (i32.add (local.get $pairStep) (i32.shl (local.get $p) (i32.const 3))) (local.get $step))
;;#end
;;#else
            (local.set $step (local.get $alpha))
;;#end
            ;; The write, q[p] = v with v = q[p] + step * (target - q[p]) (Double Q: in the drawn table, then the
            ;; acting table takes the mean of both), or through eligibility traces.
;;#if traces
;;#include compact-learner-traces.part.wat
;;#else
            (local.set $o (i32.add (local.get $pairs) (i32.shl (local.get $p) (i32.const 4))))
            (local.set $old (f64.load offset=pair.q (local.get $o)))
;;#if twoTables
            (local.set $k (i32.add (local.get $qT) (i32.shl (local.get $p) (i32.const 3))))
            (local.set $w (f64.load (local.get $k)))
            (f64.store (local.get $k) (f64.add (local.get $w) (f64.mul (local.get $step) (f64.sub (local.get $target) (local.get $w)))))
            (local.set $k (i32.shl (local.get $p) (i32.const 3)))
            (local.set $v (f64.mul (f64.const 0.5) (f64.add
              (f64.load (i32.add (local.get $q1) (local.get $k))) (f64.load (i32.add (local.get $q2) (local.get $k))))))
;;#end
;;#if !twoTables
            (local.set $v (f64.add (local.get $old) (f64.mul (local.get $step) (f64.sub (local.get $target) (local.get $old)))))
;;#end
;;#include compact-learner-write.part.wat
;;#end
            (br_if $episodeDone (i32.or (local.get $term) (i32.ge_s (local.get $elapsed) (local.get $maxSteps))))
            (local.set $s (local.get $s2))
            (local.set $p (local.get $p2))
            (br $step)))
        (local.set $total (i32.add (local.get $total) (local.get $elapsed)))
;;#if traces
        ;; Traces end with the episode (the JavaScript loop clears them when the next one starts).
        (block $cleared
          (loop $clear
            (br_if $cleared (i32.eqz (local.get $nt)))
            (local.set $nt (i32.sub (local.get $nt) (i32.const 1)))
            (i32.store (i32.add (local.get $tpos) (i32.shl (i32.load (i32.add (local.get $traced) (i32.shl (local.get $nt) (i32.const 2)))) (i32.const 2))) (i32.const 0))
            (br $clear)))
;;#end
        (f64.store (i32.add (local.get $returns) (i32.shl (local.get $ep) (i32.const 3))) (local.get $g))
        (i32.store (i32.add (local.get $lengths) (i32.shl (local.get $ep) (i32.const 2))) (local.get $elapsed))
        (local.set $ep (i32.add (local.get $ep) (i32.const 1)))
        (br $episode)))
    (local.set $o (i32.load offset=cfg.envRng (local.get $cfg)))
;;#include ../../src/core/sfc32-store.part.wat rng=$e at=$o
    (local.set $o (i32.load offset=cfg.learnerRng (local.get $cfg)))
;;#include ../../src/core/sfc32-store.part.wat rng=$l at=$o
    (local.get $total))
)

