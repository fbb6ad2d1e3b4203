;; Part of every kernel that steps an MDP (the vector env's and the compiled learner's): the transition records
;; src/env/sampler.ts packs (packRecords), one alias slot each. Narrow records (8 bytes, when state ids fit in
;; 16 bits): the threshold scaled to 2^32, then the own and alias successor as the low and high u16 of one
;; word. Wide records (16 bytes): threshold, own, alias as u32, then padding.
;;#layout narrow threshold:u32 own:u16 alias:u16
;;#layout wide threshold:u32 own:u32 alias:u32 unused:u32
