;; Part of every kernel that draws: one step of the sfc32 generator src/core/fast-rng.ts implements, over
;; the state held in the locals {rng}a, {rng}b, {rng}c, {rng}d (include with rng=$x for $xa .. $xd). The
;; 32-bit draw is left in $t. Inline rather than a call: V8 (Node 20) does not inline WebAssembly calls.
(local.set $t (i32.add (i32.add (local.get {rng}a) (local.get {rng}b)) (local.get {rng}d)))
(local.set {rng}d (i32.add (local.get {rng}d) (i32.const 1)))
(local.set {rng}a (i32.xor (local.get {rng}b) (i32.shr_u (local.get {rng}b) (i32.const 9))))
(local.set {rng}b (i32.add (local.get {rng}c) (i32.shl (local.get {rng}c) (i32.const 3))))
(local.set {rng}c (i32.add (i32.rotl (local.get {rng}c) (i32.const 21)) (local.get $t)))
