;; {out} = sum over k in [{lo}, {hi}) of {val}[k] * {x}[{col}[k]] ({col}: i32 entries, {val}: f64 entries,
;; {x}: f64, all byte addresses). Four accumulators, summed as sparseDot in solvers/linear/kernels.ts sums
;; them, so the bits match the JavaScript sum (tested). Inlined where a sweep needs it: V8 does not inline
;; calls between WebAssembly functions, and a call per row costs as much as a short row's arithmetic.
;; The including function declares the locals $pc $pw $end $end4 (i32) and $a0 $a1 $a2 $a3 (f64).
(local.set $pc (i32.add (local.get {col}) (i32.shl (local.get {lo}) (i32.const 2))))
(local.set $pw (i32.add (local.get {val}) (i32.shl (local.get {lo}) (i32.const 3))))
(local.set $end (i32.add (local.get {col}) (i32.shl (local.get {hi}) (i32.const 2))))
(local.set $end4 (i32.sub (local.get $end) (i32.const 12)))
(local.set $a0 (f64.const 0))
(local.set $a1 (f64.const 0))
(local.set $a2 (f64.const 0))
(local.set $a3 (f64.const 0))
(block $done4
  (loop $four
    (br_if $done4 (i32.ge_s (local.get $pc) (local.get $end4)))
    (local.set $a0 (f64.add (local.get $a0)
      (f64.mul (f64.load (local.get $pw))
        (f64.load (i32.add (local.get {x}) (i32.shl (i32.load (local.get $pc)) (i32.const 3)))))))
    (local.set $a1 (f64.add (local.get $a1)
      (f64.mul (f64.load offset=8 (local.get $pw))
        (f64.load (i32.add (local.get {x}) (i32.shl (i32.load offset=4 (local.get $pc)) (i32.const 3)))))))
    (local.set $a2 (f64.add (local.get $a2)
      (f64.mul (f64.load offset=16 (local.get $pw))
        (f64.load (i32.add (local.get {x}) (i32.shl (i32.load offset=8 (local.get $pc)) (i32.const 3)))))))
    (local.set $a3 (f64.add (local.get $a3)
      (f64.mul (f64.load offset=24 (local.get $pw))
        (f64.load (i32.add (local.get {x}) (i32.shl (i32.load offset=12 (local.get $pc)) (i32.const 3)))))))
    (local.set $pc (i32.add (local.get $pc) (i32.const 16)))
    (local.set $pw (i32.add (local.get $pw) (i32.const 32)))
    (br $four)))
(block $done1
  (loop $one
    (br_if $done1 (i32.ge_s (local.get $pc) (local.get $end)))
    (local.set $a0 (f64.add (local.get $a0)
      (f64.mul (f64.load (local.get $pw))
        (f64.load (i32.add (local.get {x}) (i32.shl (i32.load (local.get $pc)) (i32.const 3)))))))
    (local.set $pc (i32.add (local.get $pc) (i32.const 4)))
    (local.set $pw (i32.add (local.get $pw) (i32.const 8)))
    (br $one)))
(local.set {out} (f64.add (f64.add (local.get $a0) (local.get $a1)) (f64.add (local.get $a2) (local.get $a3))))
