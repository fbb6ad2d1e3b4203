;; Part of compact-learner-kernel.wat: the records the kernel reads and the driver (compact-learner.ts) writes,
;; declared once; scripts/build-wasm.ts turns `offset=state.reward` into a byte offset here and emits the same
;; offsets for the driver (compact-learner-kernel.layout.generated.ts).
;;
;; State record (32 bytes; state s at s * 32, the first array in memory, so fields are constant offsets with
;; no base register): the greedy value, the reward on entering the state, the greedy pair, the state's first
;; pair and end of pairs, and whether it is terminal.
;;#layout state greedy:f64 reward:f64 greedyPair:i32 firstPair:i32 endPair:i32 terminal:i32
;; Pair record (16 bytes): q, the address of the pair's first transition record and their count.
;;#layout pair q:f64 firstRecord:i32 recordCount:i32
;; Transition records: narrow or wide (see the fragment). d0 records: three words.
;;#include ../../src/env/transition-records.part.wat
;;#layout d0 threshold:u32 own:u32 alias:u32
;; Configuration block of i32 words at address `cfg` (addresses unless said; a variant ignores the words it
;; does not use): pair records; visit counts (i32 per pair); reward per pair (f64); d0 records and their
;; count; maxEpisodeSteps; the table of n^-omega (f64, 65,536); env and learner generator states; alpha and
;; epsilon per episode (f64); returns (f64) and lengths (i32) out; the run's constants (below); Expected
;; SARSA's row sums of Q per state (f64); Double Q's tables Q1, Q2 (f64 per pair: the pair records' q is
;; then the acting table (Q1 + Q2) / 2); traced pairs in trace order (i32), their traces (f64), each pair's
;; 1 + place in the trace or 0 (i32), each pair's state (i32) and latest step size (f64; visit counts);
;; replacing traces (1) or accumulating (0); per state, the bound on the non-greedy pairs' values (f64; see
;; compact-learner-write.part.wat).
;;#layout cfg pairs:i32 visits:i32 pairRewards:i32 d0rec:i32 d0len:i32 maxEpisodeSteps:i32 powTable:i32
;;#layout cfg envRng:i32 learnerRng:i32 alphas:i32 epsilons:i32 returns:i32 lengths:i32 constants:i32
;;#layout cfg sums:i32 q1:i32 q2:i32 traced:i32 traceValues:i32 tracePositions:i32 pairStates:i32
;;#layout cfg pairSteps:i32 replacing:i32 nonGreedyBounds:i32
;; The run's constants: the discount, the visit-count step size's exponent, and the trace decay gamma * lambda
;; (the JavaScript loop's double, passed rather than recomputed).
;;#layout constants gamma:f64 omega:f64 traceDecay:f64
