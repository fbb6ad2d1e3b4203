;; Batched stepping of a vector of independent tabular episodes (see src/env/vector-env.ts).
;; Assembled at build time into env-kernels.generated.ts (see scripts/build-wasm.ts).
;;
;; Why batched and why WebAssembly: one episode at a time, a step waits for the previous one's memory
;; reads (the next state decides which row to read), so even C tops out near 30 M steps/s on the
;; benchmark machine; stepping many episodes in one loop lets those reads overlap, and WebAssembly keeps
;; the loop free of JavaScript's bounds checks and number boxing.
;;
;; Sampling is the env's: alias records (threshold scaled to 2^32, own successor, alias successor), one
;; 32-bit sfc32 draw per transition, split into slot and threshold test. The transition records are
;; packed to 8 bytes when state ids fit in 16 bits (ICU-Sepsis: 1.3 MB instead of 1.9 MB, which keeps more
;; of them in the 1 MB L2 cache: +3 to +7 % steps/s in alternating runs); d0 and policy records keep
;; three u32 words.
;; The generator step is spliced in at each use (src/core/sfc32-step.part.wat), with the generator state in
;; locals: V8 (Node 20) does not inline WebAssembly calls, and as calls over globals they made a step about
;; twice as slow.
;;
;; All addresses come from a configuration block of i32 words at address `cfg`, declared with the
;; records in env-records.part.wat.
;;#include env-records.part.wat
;;
;; Actions and transitions draw from two generators (words 23 and 19), so drawing the actions inside the
;; step (`step` with $sample = 1) gives exactly the trajectories of `sampleActions`
;; (env-action-kernels.wat, over the same memory) followed by `step`.
(module
  (import "env" "memory" (memory 1))

  ;; Start every episode: states from d0, elapsed 0 (pass 4 over a list of all episodes).
  (func (export "resetAll") (param $cfg i32)
    (local $e i32) (local $n i32) (local $ended i32)
    (local.set $n (i32.load offset=cfg.numEnvs (local.get $cfg)))
    (local.set $ended (i32.add (i32.load offset=cfg.scratch (local.get $cfg)) (i32.shl (local.get $n) (i32.const 3))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_s (local.get $e) (local.get $n)))
        (i32.store (i32.add (local.get $ended) (i32.shl (local.get $e) (i32.const 2))) (local.get $e))
        (local.set $e (i32.add (local.get $e) (i32.const 1)))
        (br $each)))
    (call $restart (local.get $cfg) (local.get $n)))

  ;; One step of every episode. $sample = 0: with actions[e]; $sample = 1: actions[e] is drawn first, as
  ;; sampleActions would draw it, inside the step's first pass, where the draw's arithmetic overlaps the
  ;; pass's memory reads. An episode that ends (terminal state entered, or the time limit reached) starts
  ;; again at once: finals[e] is the state it ended in, states[e] the new start.
  ;; Returns -1; or the first episode whose action is out of range; or numEnvs + the first episode whose
  ;; action is inadmissible under "raise". Then no state has moved (drawn actions stay in actions[]).
  ;;
  ;; Three passes over the episodes (and a fourth over those that ended) instead of one: each step reads a
  ;; row entry and then an alias record that both depend on the episode's state, and with the whole step in
  ;; one loop body the processor keeps only a few episodes' reads in flight; short passes let many episodes'
  ;; reads overlap. Each pass is a function of its own so that it holds only its own values in registers:
  ;; as one function, V8 kept about 20 of them on the stack and reloaded them every iteration.
  (func (export "step") (param $cfg i32) (param $sample i32) (result i32)
    (local $bad i32)
    (local.set $bad (call $chooseRecords (local.get $cfg) (local.get $sample)))
    (if (i32.ge_s (local.get $bad) (i32.const 0)) (then (return (local.get $bad))))
    (call $readRecords (local.get $cfg))
    (call $restart (local.get $cfg) (call $finishSteps (local.get $cfg)))
    (i32.const -1))

  ;; Pass 1: each episode's action (drawn when $sample), its row's table entry and the transition draw.
  ;; scratch[2e] = address of the chosen record (0 when an inadmissible action under "terminate" sends the
  ;; episode to the death state), scratch[2e+1] = the draw's low word (or the death state).
  ;; A bad action returns before anything but actions[] has changed: the generator states are written back
  ;; only at the end, and scratch is private.
  (func $chooseRecords (param $cfg i32) (param $sample i32) (result i32)
    (local $e i32) (local $n i32) (local $nA i32) (local $actions i32) (local $states i32) (local $scratch i32)
    (local $rowTable i32) (local $admissible i32) (local $checkAdm i32) (local $policy i32)
    (local $rng i32) (local $ra i32) (local $rb i32) (local $rc i32) (local $rd i32)
    (local $arng i32) (local $aa i32) (local $ab i32) (local $ac i32) (local $ad i32)
    (local $e4 i32) (local $e8 i32) (local $a i32) (local $row i32) (local $t i32) (local $x i64) (local $o i32)
    (local $p i32) (local $recordShift i32)
    (local.set $n (i32.load offset=cfg.numEnvs (local.get $cfg)))
    (local.set $recordShift (i32.load offset=cfg.recordShift (local.get $cfg)))
    (local.set $nA (i32.load offset=cfg.nA (local.get $cfg)))
    (local.set $actions (i32.load offset=cfg.actions (local.get $cfg)))
    (local.set $states (i32.load offset=cfg.states (local.get $cfg)))
    (local.set $rowTable (i32.load offset=cfg.rowTable (local.get $cfg)))
    (local.set $admissible (i32.load offset=cfg.admissible (local.get $cfg)))
    (local.set $policy (i32.load offset=cfg.policy (local.get $cfg)))
    (local.set $scratch (i32.load offset=cfg.scratch (local.get $cfg)))
    ;; Admissibility matters only under "terminate" (death >= 0) and "raise".
    (local.set $checkAdm (i32.or (i32.ge_s (i32.load offset=cfg.death (local.get $cfg)) (i32.const 0))
      (i32.load offset=cfg.raise (local.get $cfg))))
    (local.set $rng (i32.load offset=cfg.rng (local.get $cfg)))
;;#include ../core/sfc32-load.part.wat rng=$r at=$rng
    (local.set $arng (i32.load offset=cfg.actionRng (local.get $cfg)))
;;#include ../core/sfc32-load.part.wat rng=$a at=$arng
    (block $done
      (loop $each
        (br_if $done (i32.ge_s (local.get $e) (local.get $n)))
        (local.set $e4 (i32.shl (local.get $e) (i32.const 2)))
        (if (local.get $sample)
          (then
            ;; sampleActions' draw, from the action generator.
;;#include ../core/sfc32-step.part.wat rng=$a
            (local.set $x (i64.mul (i64.extend_i32_u (local.get $t)) (i64.extend_i32_u (local.get $nA))))
            (local.set $a (i32.wrap_i64 (i64.shr_u (local.get $x) (i64.const 32))))
            (if (local.get $policy)
              (then
                (local.set $o (i32.add (local.get $policy)
                  (i32.mul (i32.const 12)
                    (i32.add (i32.mul (i32.load (i32.add (local.get $states) (local.get $e4))) (local.get $nA))
                      (local.get $a)))))
                (local.set $a (select (i32.load offset=slot.own (local.get $o)) (i32.load offset=slot.alias (local.get $o))
                  (i32.lt_u (i32.wrap_i64 (local.get $x)) (i32.load offset=slot.threshold (local.get $o)))))))
            (i32.store (i32.add (local.get $actions) (local.get $e4)) (local.get $a)))
          (else
            (local.set $a (i32.load (i32.add (local.get $actions) (local.get $e4))))
            (if (i32.ge_u (local.get $a) (local.get $nA)) (then (return (local.get $e))))))
        (local.set $row (i32.add (i32.mul (i32.load (i32.add (local.get $states) (local.get $e4))) (local.get $nA))
          (local.get $a)))
        (local.set $e8 (i32.add (local.get $scratch) (i32.shl (local.get $e) (i32.const 3))))
        (if (if (result i32) (local.get $checkAdm)
              (then (i32.eqz (i32.load8_u (i32.add (local.get $admissible) (local.get $row)))))
              (else (i32.const 0)))
          (then
            (if (i32.load offset=cfg.raise (local.get $cfg)) (then (return (i32.add (local.get $n) (local.get $e)))))
            (i32.store offset=scratch.record (local.get $e8) (i32.const 0))
            (i32.store offset=scratch.draw (local.get $e8) (i32.load offset=cfg.death (local.get $cfg))))
          (else
;;#include ../core/sfc32-step.part.wat rng=$r
            ;; The row's entry: address of its first record, record count.
            (local.set $p (i32.add (local.get $rowTable) (i32.shl (local.get $row) (i32.const 3))))
            (local.set $x (i64.mul (i64.extend_i32_u (local.get $t)) (i64.extend_i32_u (i32.load offset=row.recordCount (local.get $p)))))
            (i32.store offset=scratch.record (local.get $e8) (i32.add (i32.load offset=row.firstRecord (local.get $p))
              (i32.shl (i32.wrap_i64 (i64.shr_u (local.get $x) (i64.const 32))) (local.get $recordShift))))
            (i32.store offset=scratch.draw (local.get $e8) (i32.wrap_i64 (local.get $x)))))
        (local.set $e (i32.add (local.get $e) (i32.const 1)))
        (br $each)))
;;#include ../core/sfc32-store.part.wat rng=$r at=$rng
    (if (local.get $sample)
      (then
;;#include ../core/sfc32-store.part.wat rng=$a at=$arng
        ))
    (i32.const -1))

  ;; Pass 2: the alias records; finals[e] = the state entered.
  (func $readRecords (param $cfg i32)
    (local $e i32) (local $n i32) (local $finals i32) (local $scratch i32) (local $narrow i32)
    (local $e8 i32) (local $o i32) (local $t i32) (local $w i32) (local $own i32) (local $alias i32)
    (local.set $n (i32.load offset=cfg.numEnvs (local.get $cfg)))
    (local.set $finals (i32.load offset=cfg.finals (local.get $cfg)))
    (local.set $scratch (i32.load offset=cfg.scratch (local.get $cfg)))
    (local.set $narrow (i32.eq (i32.load offset=cfg.recordShift (local.get $cfg)) (i32.const 3)))
    (block $done
      (loop $each
        (br_if $done (i32.ge_s (local.get $e) (local.get $n)))
        (local.set $e8 (i32.add (local.get $scratch) (i32.shl (local.get $e) (i32.const 3))))
        (local.set $o (i32.load offset=scratch.record (local.get $e8)))
        (local.set $t (i32.load offset=scratch.draw (local.get $e8)))
        ;; The word after the threshold: a wide record's own successor, or a narrow record's own and alias.
        (local.set $w (i32.load offset=wide.own (local.get $o)))
        (if (local.get $narrow)
          (then
            (local.set $own (i32.and (local.get $w) (i32.const 0xffff)))
            (local.set $alias (i32.shr_u (local.get $w) (i32.const 16))))
          (else
            (local.set $own (local.get $w))
            (local.set $alias (i32.load offset=wide.alias (local.get $o)))))
        (i32.store (i32.add (local.get $finals) (i32.shl (local.get $e) (i32.const 2)))
          (select
            (select (local.get $own) (local.get $alias) (i32.lt_u (local.get $t) (i32.load offset=wide.threshold (local.get $o))))
            (local.get $t)
            (local.get $o)))
        (local.set $e (i32.add (local.get $e) (i32.const 1)))
        (br $each))))

  ;; Pass 3: rewards, flags and time limits; the episodes that ended are listed for pass 4, branch-free
  ;; (about one step in ten ends an episode: a branch here mispredicted often, and the restart's generator
  ;; and d0 values crowded this loop's registers).
  (func $finishSteps (param $cfg i32) (result i32)
    (local $e i32) (local $n i32) (local $nA i32) (local $actions i32) (local $states i32) (local $finals i32)
    (local $rewards i32) (local $term i32) (local $trunc i32) (local $elapsed i32) (local $terminal i32)
    (local $rewardTable i32) (local $byRow i32) (local $maxSteps i32) (local $scratch i32) (local $ended i32)
    (local $k i32) (local $e4 i32) (local $s2 i32) (local $row i32) (local $el i32) (local $tm i32) (local $tr i32)
    (local.set $n (i32.load offset=cfg.numEnvs (local.get $cfg)))
    (local.set $nA (i32.load offset=cfg.nA (local.get $cfg)))
    (local.set $actions (i32.load offset=cfg.actions (local.get $cfg)))
    (local.set $states (i32.load offset=cfg.states (local.get $cfg)))
    (local.set $finals (i32.load offset=cfg.finals (local.get $cfg)))
    (local.set $rewards (i32.load offset=cfg.rewards (local.get $cfg)))
    (local.set $term (i32.load offset=cfg.terminated (local.get $cfg)))
    (local.set $trunc (i32.load offset=cfg.truncated (local.get $cfg)))
    (local.set $elapsed (i32.load offset=cfg.elapsed (local.get $cfg)))
    (local.set $terminal (i32.load offset=cfg.terminal (local.get $cfg)))
    (local.set $rewardTable (i32.load offset=cfg.rewardTable (local.get $cfg)))
    (local.set $byRow (i32.load offset=cfg.rewardKind (local.get $cfg)))
    (local.set $maxSteps (i32.load offset=cfg.maxEpisodeSteps (local.get $cfg)))
    (local.set $scratch (i32.load offset=cfg.scratch (local.get $cfg)))
    (local.set $ended (i32.add (local.get $scratch) (i32.shl (local.get $n) (i32.const 3))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_s (local.get $e) (local.get $n)))
        (local.set $e4 (i32.shl (local.get $e) (i32.const 2)))
        (local.set $s2 (i32.load (i32.add (local.get $finals) (local.get $e4))))
        ;; R(s') needs only the state entered; R(s, a) needs the row (states[e] is still the old state).
        (local.set $row (local.get $s2))
        (if (local.get $byRow)
          (then
            (local.set $row (i32.add (i32.mul (i32.load (i32.add (local.get $states) (local.get $e4))) (local.get $nA))
              (i32.load (i32.add (local.get $actions) (local.get $e4)))))))
        ;; Reward 0 when sent to the death state for an inadmissible action (scratch[2e] = 0).
        (f64.store (i32.add (local.get $rewards) (i32.shl (local.get $e) (i32.const 3)))
          (select
            (f64.load (i32.add (local.get $rewardTable) (i32.shl (local.get $row) (i32.const 3))))
            (f64.const 0)
            (i32.load (i32.add (local.get $scratch) (i32.shl (local.get $e) (i32.const 3))))))
        (local.set $el (i32.add (i32.load (i32.add (local.get $elapsed) (local.get $e4))) (i32.const 1)))
        (local.set $tm (i32.load8_u (i32.add (local.get $terminal) (local.get $s2))))
        (local.set $tr (i32.and (i32.eqz (local.get $tm)) (i32.ge_s (local.get $el) (local.get $maxSteps))))
        (i32.store8 (i32.add (local.get $term) (local.get $e)) (local.get $tm))
        (i32.store8 (i32.add (local.get $trunc) (local.get $e)) (local.get $tr))
        (i32.store (i32.add (local.get $states) (local.get $e4)) (local.get $s2))
        (i32.store (i32.add (local.get $elapsed) (local.get $e4)) (local.get $el))
        (i32.store (i32.add (local.get $ended) (i32.shl (local.get $k) (i32.const 2))) (local.get $e))
        (local.set $k (i32.add (local.get $k) (i32.or (local.get $tm) (local.get $tr))))
        (local.set $e (i32.add (local.get $e) (i32.const 1)))
        (br $each)))
    (local.get $k))

  ;; Pass 4: the $k listed episodes start again: a state from d0, elapsed 0 (in episode order, as one loop
  ;; over all episodes would draw them).
  (func $restart (param $cfg i32) (param $k i32)
    (local $i i32) (local $e4 i32) (local $states i32) (local $elapsed i32) (local $ended i32)
    (local $d0rec i32) (local $d0len i32) (local $rng i32) (local $ra i32) (local $rb i32) (local $rc i32) (local $rd i32)
    (local $t i32) (local $x i64) (local $o i32)
    (local.set $states (i32.load offset=cfg.states (local.get $cfg)))
    (local.set $elapsed (i32.load offset=cfg.elapsed (local.get $cfg)))
    (local.set $d0rec (i32.load offset=cfg.d0rec (local.get $cfg)))
    (local.set $d0len (i32.load offset=cfg.d0len (local.get $cfg)))
    (local.set $ended (i32.add (i32.load offset=cfg.scratch (local.get $cfg)) (i32.shl (i32.load offset=cfg.numEnvs (local.get $cfg)) (i32.const 3))))
    (local.set $rng (i32.load offset=cfg.rng (local.get $cfg)))
;;#include ../core/sfc32-load.part.wat rng=$r at=$rng
    (block $done
      (loop $each
        (br_if $done (i32.ge_s (local.get $i) (local.get $k)))
        (local.set $e4 (i32.shl (i32.load (i32.add (local.get $ended) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 2)))
;;#include ../core/sfc32-step.part.wat rng=$r
        (local.set $x (i64.mul (i64.extend_i32_u (local.get $t)) (i64.extend_i32_u (local.get $d0len))))
        (local.set $o (i32.add (local.get $d0rec)
          (i32.mul (i32.const 12) (i32.wrap_i64 (i64.shr_u (local.get $x) (i64.const 32))))))
        (i32.store (i32.add (local.get $states) (local.get $e4))
          (select (i32.load offset=slot.own (local.get $o)) (i32.load offset=slot.alias (local.get $o))
            (i32.lt_u (i32.wrap_i64 (local.get $x)) (i32.load offset=slot.threshold (local.get $o)))))
        (i32.store (i32.add (local.get $elapsed) (local.get $e4)) (i32.const 0))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each)))
;;#include ../core/sfc32-store.part.wat rng=$r at=$rng
    )
)
