;; Actions for a vector of tabular episodes (see src/env/vector-env.ts), drawn on their own; `step` in
;; env-kernels.wat draws the same actions inside its first pass. A module of its own only to keep each
;; file short: it is instantiated over the same memory and reads the same configuration block (see
;; env-records.part.wat for its words). Assembled at build time into env-action-kernels.generated.ts.
;;#include env-records.part.wat
(module
  (import "env" "memory" (memory 1))

  ;; actions[e] for every episode: uniform on [0, nA), or drawn from the policy's alias records for the
  ;; episode's state when a policy is set (its address in configuration word 20, 0 for none).
  (func (export "sampleActions") (param $cfg i32)
    (local $e i32) (local $n i32) (local $nA i64) (local $actions i32) (local $rng i32)
    (local $policy i32) (local $states i32) (local $ra i32) (local $rb i32) (local $rc i32) (local $rd i32) (local $t i32) (local $x i64) (local $o i32)
    (local.set $n (i32.load offset=cfg.numEnvs (local.get $cfg)))
    (local.set $nA (i64.extend_i32_u (i32.load offset=cfg.nA (local.get $cfg))))
    (local.set $actions (i32.load offset=cfg.actions (local.get $cfg)))
    (local.set $states (i32.load offset=cfg.states (local.get $cfg)))
    (local.set $policy (i32.load offset=cfg.policy (local.get $cfg)))
    (local.set $rng (i32.load offset=cfg.actionRng (local.get $cfg)))
;;#include ../core/sfc32-load.part.wat rng=$r at=$rng
    (block $done
      (loop $each
        (br_if $done (i32.ge_s (local.get $e) (local.get $n)))
;;#include ../core/sfc32-step.part.wat rng=$r
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
              (select (i32.load offset=slot.own (local.get $o)) (i32.load offset=slot.alias (local.get $o))
                (i32.lt_u (i32.wrap_i64 (local.get $x)) (i32.load offset=slot.threshold (local.get $o)))))))
        (local.set $e (i32.add (local.get $e) (i32.const 1)))
        (br $each)))
;;#include ../core/sfc32-store.part.wat rng=$r at=$rng
    )
)
