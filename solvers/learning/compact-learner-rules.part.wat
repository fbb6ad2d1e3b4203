;; Part of compact-learner-kernel.wat: the rules it is assembled for (the kernel's `rule` dimension, spelt as
;; solvers/learning/rules.ts names them) and, by name, what each needs; the kernel tests these names, never a
;; rule, so a rule is added here, in rules.ts and (with a new bootstrap) in a bootstrap fragment.
;;#variants rule=q-learning|sarsa|expected-sarsa|double-q|sarsa-lambda|watkins-q-lambda
;; The bootstrap fragment each rule takes (compact-learner-bootstrap-*.part.wat).
;;#define maxBootstrap rule=q-learning|watkins-q-lambda
;;#define nextBootstrap rule=sarsa|sarsa-lambda
;;#define expectedBootstrap rule=expected-sarsa
;;#define doubleBootstrap rule=double-q
;; Two tables, one updated per step, acting on their mean (Double Q).
;;#define twoTables rule=double-q
;; Expected SARSA's running row sums of Q.
;;#define rowSums rule=expected-sarsa
;; Eligibility traces, and whether an exploratory p2 cuts them (Watkins).
;;#define traces rule=sarsa-lambda|watkins-q-lambda
;;#define cutsTraces rule=watkins-q-lambda
