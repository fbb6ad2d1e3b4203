;; Batched stepping of a vector of independent tabular episodes (see src/env/vector-env.ts).
;; Assembled at build time into env-kernels.generated.ts (see scripts/build-wasm.ts).
;;
;; Why batched and why WebAssembly: one episode at a time, a step waits for the previous one's memory
;; reads (the next state decides which row to read), so even C tops out near 30 M steps/s on the
;; benchmark machine; stepping many episodes in one loop lets those reads overlap, and WebAssembly keeps
;; the loop free of JavaScript's bounds checks and number boxing.
;;
;; Sampling is the env's: alias records of three u32 words (threshold scaled to 2^32, own successor,
;; alias successor), one 32-bit sfc32 draw per transition, split into slot and threshold test.
;; The generator and the draw are written out inline at each use, with the generator state in locals:
;; V8 (Node 20) does not inline WebAssembly calls, and as calls over globals they made a step about
;; twice as slow.
;;
;; All addresses come from a configuration block of i32 words at address `cfg`:
;;   0 numEnvs  1 nA  2 actions  3 states  4 finals  5 rewards  6 terminated(u8)  7 truncated(u8)
;;   8 elapsed  9 rowTable (first record and record count of each row, interleaved so one cache line
;;   holds both)  10 rec  11 terminal(u8)  12 rewardTable(f64)  13 rewardKind (0: R(s') indexed by s',
;;   1: R(s,a) indexed by row)  14 admissible(u8)  15 death state (-1: use the stored row for
;;   inadmissible actions)  16 maxEpisodeSteps  17 d0 records  18 d0 record count  19 rng state (4 x u32)
;;   20 policy records (nA per state, as the transition records but over actions; 0: none)
;;   21 scratch (2 x i32 per episode, used within a step)
(module
  (import "env" "memory" (memory 1))

  ;; Start every episode: states from d0, elapsed 0.
  (func (export "resetAll") (param $cfg i32)
    (local $e i32) (local $n i32) (local $rng i32) (local $s i32) (local $ra i32) (local $rb i32) (local $rc i32) (local $rd i32) (local $t i32) (local $x i64) (local $o i32)
    (local.set $n (i32.load (local.get $cfg)))
    (local.set $rng (i32.load offset=76 (local.get $cfg)))
    (local.set $ra (i32.load (local.get $rng)))
    (local.set $rb (i32.load offset=4 (local.get $rng)))
    (local.set $rc (i32.load offset=8 (local.get $rng)))
    (local.set $rd (i32.load offset=12 (local.get $rng)))
    (block $done
      (loop $each
        (br_if $done (i32.ge_s (local.get $e) (local.get $n)))
        (local.set $t (i32.add (i32.add (local.get $ra) (local.get $rb)) (local.get $rd)))
        (local.set $rd (i32.add (local.get $rd) (i32.const 1)))
        (local.set $ra (i32.xor (local.get $rb) (i32.shr_u (local.get $rb) (i32.const 9))))
        (local.set $rb (i32.add (local.get $rc) (i32.shl (local.get $rc) (i32.const 3))))
        (local.set $rc (i32.add (i32.rotl (local.get $rc) (i32.const 21)) (local.get $t)))
        (local.set $x (i64.mul (i64.extend_i32_u (local.get $t)) (i64.extend_i32_u (i32.load offset=72 (local.get $cfg)))))
        (local.set $o (i32.add (i32.load offset=68 (local.get $cfg))
          (i32.mul (i32.const 12) (i32.add (i32.const 0) (i32.wrap_i64 (i64.shr_u (local.get $x) (i64.const 32)))))))
        (local.set $s (select (i32.load offset=4 (local.get $o)) (i32.load offset=8 (local.get $o))
          (i32.lt_u (i32.wrap_i64 (local.get $x)) (i32.load (local.get $o)))))
        (i32.store (i32.add (i32.load offset=12 (local.get $cfg)) (i32.shl (local.get $e) (i32.const 2))) (local.get $s))
        (i32.store (i32.add (i32.load offset=32 (local.get $cfg)) (i32.shl (local.get $e) (i32.const 2))) (i32.const 0))
        (local.set $e (i32.add (local.get $e) (i32.const 1)))
        (br $each)))
    (i32.store (local.get $rng) (local.get $ra))
    (i32.store offset=4 (local.get $rng) (local.get $rb))
    (i32.store offset=8 (local.get $rng) (local.get $rc))
    (i32.store offset=12 (local.get $rng) (local.get $rd)))

  ;; actions[e] for every episode: uniform on [0, nA), or drawn from the policy's alias records for the
  ;; episode's state when a policy is set (its address in configuration word 20, 0 for none).
  (func (export "sampleActions") (param $cfg i32)
    (local $e i32) (local $n i32) (local $nA i64) (local $actions i32) (local $rng i32)
    (local $policy i32) (local $states i32) (local $ra i32) (local $rb i32) (local $rc i32) (local $rd i32) (local $t i32) (local $x i64) (local $o i32)
    (local.set $n (i32.load (local.get $cfg)))
    (local.set $nA (i64.extend_i32_u (i32.load offset=4 (local.get $cfg))))
    (local.set $actions (i32.load offset=8 (local.get $cfg)))
    (local.set $states (i32.load offset=12 (local.get $cfg)))
    (local.set $policy (i32.load offset=80 (local.get $cfg)))
    (local.set $rng (i32.load offset=76 (local.get $cfg)))
    (local.set $ra (i32.load (local.get $rng)))
    (local.set $rb (i32.load offset=4 (local.get $rng)))
    (local.set $rc (i32.load offset=8 (local.get $rng)))
    (local.set $rd (i32.load offset=12 (local.get $rng)))
    (block $done
      (loop $each
        (br_if $done (i32.ge_s (local.get $e) (local.get $n)))
        (local.set $t (i32.add (i32.add (local.get $ra) (local.get $rb)) (local.get $rd)))
        (local.set $rd (i32.add (local.get $rd) (i32.const 1)))
        (local.set $ra (i32.xor (local.get $rb) (i32.shr_u (local.get $rb) (i32.const 9))))
        (local.set $rb (i32.add (local.get $rc) (i32.shl (local.get $rc) (i32.const 3))))
        (local.set $rc (i32.add (i32.rotl (local.get $rc) (i32.const 21)) (local.get $t)))
        (local.set $x (i64.mul (i64.extend_i32_u (local.get $t)) (local.get $nA)))
        (if (i32.eqz (local.get $policy))
          (then
            ;; Uniform: the slot is the action.
            (i32.store (i32.add (local.get $actions) (i32.shl (local.get $e) (i32.const 2)))
              (i32.wrap_i64 (i64.shr_u (local.get $x) (i64.const 32)))))
          (else
            ;; The policy's alias table of the episode's state: nA records from record s * nA.
            (local.set $o (i32.add (local.get $policy)
              (i32.mul (i32.const 12)
                (i32.add
                  (i32.mul (i32.load (i32.add (local.get $states) (i32.shl (local.get $e) (i32.const 2))))
                    (i32.wrap_i64 (local.get $nA)))
                  (i32.wrap_i64 (i64.shr_u (local.get $x) (i64.const 32)))))))
            (i32.store (i32.add (local.get $actions) (i32.shl (local.get $e) (i32.const 2)))
              (select (i32.load offset=4 (local.get $o)) (i32.load offset=8 (local.get $o))
                (i32.lt_u (i32.wrap_i64 (local.get $x)) (i32.load (local.get $o)))))))
        (local.set $e (i32.add (local.get $e) (i32.const 1)))
        (br $each)))
    (i32.store (local.get $rng) (local.get $ra))
    (i32.store offset=4 (local.get $rng) (local.get $rb))
    (i32.store offset=8 (local.get $rng) (local.get $rc))
    (i32.store offset=12 (local.get $rng) (local.get $rd)))

  ;; One step of every episode with actions[e]. An episode that ends (terminal state entered, or the time
  ;; limit reached) starts again at once: finals[e] is the state it ended in, states[e] the new start.
  ;; Returns -1, or the first episode whose action is out of range (then nothing has moved).
  (func (export "step") (param $cfg i32) (result i32)
    (local $e i32) (local $n i32) (local $nA i32) (local $actions i32) (local $states i32)
    (local $rowTable i32) (local $rec i32) (local $terminal i32) (local $rewards i32)
    (local $rewardTable i32) (local $byRow i32) (local $admissible i32) (local $death i32)
    (local $maxSteps i32) (local $elapsed i32) (local $finals i32) (local $term i32) (local $trunc i32)
    (local $d0rec i32) (local $d0len i32) (local $rng i32)
    (local $row i32) (local $s2 i32) (local $e4 i32) (local $el i32) (local $tm i32) (local $tr i32)
    (local $r f64) (local $ra i32) (local $rb i32) (local $rc i32) (local $rd i32) (local $t i32) (local $x i64) (local $o i32)
    (local $scratch i32) (local $e8 i32) (local $p i32) (local $a i32)
    (local.set $n (i32.load (local.get $cfg)))
    (local.set $nA (i32.load offset=4 (local.get $cfg)))
    (local.set $actions (i32.load offset=8 (local.get $cfg)))
    (local.set $states (i32.load offset=12 (local.get $cfg)))
    (local.set $finals (i32.load offset=16 (local.get $cfg)))
    (local.set $rewards (i32.load offset=20 (local.get $cfg)))
    (local.set $term (i32.load offset=24 (local.get $cfg)))
    (local.set $trunc (i32.load offset=28 (local.get $cfg)))
    (local.set $elapsed (i32.load offset=32 (local.get $cfg)))
    (local.set $rowTable (i32.load offset=36 (local.get $cfg)))
    (local.set $rec (i32.load offset=40 (local.get $cfg)))
    (local.set $terminal (i32.load offset=44 (local.get $cfg)))
    (local.set $rewardTable (i32.load offset=48 (local.get $cfg)))
    (local.set $byRow (i32.load offset=52 (local.get $cfg)))
    (local.set $admissible (i32.load offset=56 (local.get $cfg)))
    (local.set $death (i32.load offset=60 (local.get $cfg)))
    (local.set $maxSteps (i32.load offset=64 (local.get $cfg)))
    (local.set $d0rec (i32.load offset=68 (local.get $cfg)))
    (local.set $d0len (i32.load offset=72 (local.get $cfg)))
    (local.set $rng (i32.load offset=76 (local.get $cfg)))
    (local.set $ra (i32.load (local.get $rng)))
    (local.set $rb (i32.load offset=4 (local.get $rng)))
    (local.set $rc (i32.load offset=8 (local.get $rng)))
    (local.set $rd (i32.load offset=12 (local.get $rng)))
    ;; Three passes over the episodes instead of one: each step reads a row entry and then an alias record
    ;; that both depend on the episode's state, and with the whole step in one loop body the processor
    ;; keeps only a few episodes' reads in flight. Short passes let many episodes' reads overlap.
    ;; Pass 1: the row's table entry and the draw; scratch[2e] = address of the chosen record (0 when an
    ;; inadmissible action under "terminate" sends the episode to the death state), scratch[2e+1] = the
    ;; draw's remainder (or the death state).
    (local.set $scratch (i32.load offset=84 (local.get $cfg)))
    (local.set $e (i32.const 0))
    (block $done1
      (loop $pass1
        (br_if $done1 (i32.ge_s (local.get $e) (local.get $n)))
        (local.set $e4 (i32.shl (local.get $e) (i32.const 2)))
        (local.set $e8 (i32.add (local.get $scratch) (i32.shl (local.get $e) (i32.const 3))))
        (local.set $a (i32.load (i32.add (local.get $actions) (local.get $e4))))
        ;; A bad action: return before anything visible has changed (the generator state is written back
        ;; only at the end, and scratch is private).
        (if (i32.ge_u (local.get $a) (local.get $nA)) (then (return (local.get $e))))
        (local.set $row (i32.add (i32.mul (i32.load (i32.add (local.get $states) (local.get $e4))) (local.get $nA))
          (local.get $a)))
        (if (if (result i32) (i32.lt_s (local.get $death) (i32.const 0))
              (then (i32.const 0))
              (else (i32.eqz (i32.load8_u (i32.add (local.get $admissible) (local.get $row))))))
          (then
            (i32.store (local.get $e8) (i32.const 0))
            (i32.store offset=4 (local.get $e8) (local.get $death)))
          (else
            (local.set $t (i32.add (i32.add (local.get $ra) (local.get $rb)) (local.get $rd)))
            (local.set $rd (i32.add (local.get $rd) (i32.const 1)))
            (local.set $ra (i32.xor (local.get $rb) (i32.shr_u (local.get $rb) (i32.const 9))))
            (local.set $rb (i32.add (local.get $rc) (i32.shl (local.get $rc) (i32.const 3))))
            (local.set $rc (i32.add (i32.rotl (local.get $rc) (i32.const 21)) (local.get $t)))
            (local.set $p (i32.add (local.get $rowTable) (i32.shl (local.get $row) (i32.const 3))))
            (local.set $x (i64.mul (i64.extend_i32_u (local.get $t)) (i64.extend_i32_u (i32.load offset=4 (local.get $p)))))
            (i32.store (local.get $e8) (i32.add (local.get $rec)
              (i32.mul (i32.const 12) (i32.add (i32.load (local.get $p)) (i32.wrap_i64 (i64.shr_u (local.get $x) (i64.const 32)))))))
            (i32.store offset=4 (local.get $e8) (i32.wrap_i64 (local.get $x)))))
        (local.set $e (i32.add (local.get $e) (i32.const 1)))
        (br $pass1)))
    ;; Pass 2: the alias records, finals[e] = the state entered.
    (local.set $e (i32.const 0))
    (block $done2
      (loop $pass2
        (br_if $done2 (i32.ge_s (local.get $e) (local.get $n)))
        (local.set $e8 (i32.add (local.get $scratch) (i32.shl (local.get $e) (i32.const 3))))
        (local.set $o (i32.load (local.get $e8)))
        (local.set $t (i32.load offset=4 (local.get $e8)))
        (i32.store (i32.add (local.get $finals) (i32.shl (local.get $e) (i32.const 2)))
          (select
            (select (i32.load offset=4 (local.get $o)) (i32.load offset=8 (local.get $o))
              (i32.lt_u (local.get $t) (i32.load (local.get $o))))
            (local.get $t)
            (local.get $o)))
        (local.set $e (i32.add (local.get $e) (i32.const 1)))
        (br $pass2)))
    ;; Pass 3: rewards, flags, time limits and restarts.
    (local.set $e (i32.const 0))
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
        (local.set $r (select
          (f64.load (i32.add (local.get $rewardTable) (i32.shl (local.get $row) (i32.const 3))))
          (f64.const 0)
          (i32.load (i32.add (local.get $scratch) (i32.shl (local.get $e) (i32.const 3))))))
        (f64.store (i32.add (local.get $rewards) (i32.shl (local.get $e) (i32.const 3))) (local.get $r))
        (local.set $el (i32.add (i32.load (i32.add (local.get $elapsed) (local.get $e4))) (i32.const 1)))
        (local.set $tm (i32.load8_u (i32.add (local.get $terminal) (local.get $s2))))
        (local.set $tr (i32.and (i32.eqz (local.get $tm)) (i32.ge_s (local.get $el) (local.get $maxSteps))))
        (i32.store8 (i32.add (local.get $term) (local.get $e)) (local.get $tm))
        (i32.store8 (i32.add (local.get $trunc) (local.get $e)) (local.get $tr))
        (if (i32.or (local.get $tm) (local.get $tr))
          (then
            (local.set $t (i32.add (i32.add (local.get $ra) (local.get $rb)) (local.get $rd)))
            (local.set $rd (i32.add (local.get $rd) (i32.const 1)))
            (local.set $ra (i32.xor (local.get $rb) (i32.shr_u (local.get $rb) (i32.const 9))))
            (local.set $rb (i32.add (local.get $rc) (i32.shl (local.get $rc) (i32.const 3))))
            (local.set $rc (i32.add (i32.rotl (local.get $rc) (i32.const 21)) (local.get $t)))
            (local.set $x (i64.mul (i64.extend_i32_u (local.get $t)) (i64.extend_i32_u (local.get $d0len))))
            (local.set $o (i32.add (local.get $d0rec)
              (i32.mul (i32.const 12) (i32.wrap_i64 (i64.shr_u (local.get $x) (i64.const 32))))))
            (local.set $s2 (select (i32.load offset=4 (local.get $o)) (i32.load offset=8 (local.get $o))
              (i32.lt_u (i32.wrap_i64 (local.get $x)) (i32.load (local.get $o)))))
            (local.set $el (i32.const 0))))
        (i32.store (i32.add (local.get $states) (local.get $e4)) (local.get $s2))
        (i32.store (i32.add (local.get $elapsed) (local.get $e4)) (local.get $el))
        (local.set $e (i32.add (local.get $e) (i32.const 1)))
        (br $each)))
    (i32.store (local.get $rng) (local.get $ra))
    (i32.store offset=4 (local.get $rng) (local.get $rb))
    (i32.store offset=8 (local.get $rng) (local.get $rc))
    (i32.store offset=12 (local.get $rng) (local.get $rd))
    (i32.const -1))
)
