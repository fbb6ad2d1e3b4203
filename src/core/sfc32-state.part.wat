;; Part of every kernel that draws: where a generator's state lives in memory (FastRng.copyStateTo writes
;; the same four words).
;;#layout sfc32 a:u32 b:u32 c:u32 d:u32
