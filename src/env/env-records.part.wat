;; Part of env-kernels.wat and env-action-kernels.wat (one memory, one configuration block): the records
;; both read and the driver (vector-env.ts) writes, declared once; scripts/build-wasm.ts turns `offset=cfg.nA`
;; into a byte offset here and emits the same offsets for the driver (env-kernels.layout.generated.ts).
;;
;; Configuration block of i32 words at address `cfg` (addresses unless said): numEnvs; nA; actions,
;; states, finals, rewards (f64), terminated and truncated (u8), elapsed (one per episode); rowTable (a row
;; entry per (s, a), below); rec (the transition records row entries point into); terminal (u8 per state);
;; rewardTable (f64) and rewardKind (0: R(s') indexed by s', 1: R(s, a) indexed by row); admissible (u8 per
;; row); death state (-1: inadmissible actions use the stored row); maxEpisodeSteps; d0 records and their
;; count; the transition generator's state; policy records (nA per state; 0: none); scratch (3 x i32 per
;; episode, used within a step); raise (1: an inadmissible action is an error); the action generator's
;; state; recordShift, log2 of a transition record's bytes: 3 for 8-byte records (u32 threshold, then own
;; and alias successor as the low and high u16 of one word; when state ids fit in 16 bits), 4 for 16-byte
;; records (u32 threshold, own, alias, unused).
;;#layout cfg numEnvs:i32 nA:i32 actions:i32 states:i32 finals:i32 rewards:i32 terminated:i32
;;#layout cfg truncated:i32 elapsed:i32 rowTable:i32 rec:i32 terminal:i32 rewardTable:i32 rewardKind:i32
;;#layout cfg admissible:i32 death:i32 maxEpisodeSteps:i32 d0rec:i32 d0len:i32 rng:i32 policy:i32
;;#layout cfg scratch:i32 raise:i32 actionRng:i32 recordShift:i32
;; A row entry (interleaved so that one cache line holds both): the address of the row's first transition
;; record and the record count.
;;#layout row firstRecord:i32 recordCount:i32
;; d0 and policy records: an alias slot (threshold scaled to 2^32, own and alias outcome).
;;#layout slot threshold:u32 own:u32 alias:u32
;; Transition records: narrow or wide (see the fragment).
;;#include transition-records.part.wat
;; Scratch per episode within a step: the chosen transition record's address and the draw's low word.
;;#layout scratch record:i32 draw:i32
