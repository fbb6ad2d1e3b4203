;; The well-formed rows of a dense probability table, parsed from CSV bytes (see decimal-rows.ts).
;; Assembled at build time into decimal-rows.generated.ts (see scripts/build-wasm.ts).
;;
;; Why WebAssembly: the transition table of ICU-Sepsis is 77 MB of text, and the JavaScript tokenizer
;; (matrix-reader.ts) spends most of a command's start on it, much of that before the JIT has optimised
;; its loop; this loop runs at full speed from the first byte.
;;
;; It parses only rows the JavaScript reader would accept without a word: `width` cells, each a plain
;; non-negative decimal ([+]digits[.digits][e[+-]digits]) ending in a comma or a line feed, whose value
;; the exact rules of number.ts give without falling back to Number(). It stops before the first row that
;; is anything else (a CR, a blank line, a sign, a bad cell, a ragged row, a decimal needing the slow
;; path, a last line without its line feed) and leaves that row to the JavaScript reader, which reports
;; it. Values are computed as number.ts computes them (the same IEEE operations in the same order), so
;; every cell is the same double; each row's sum is the same compensated (Neumaier) sum.
(module
  (import "env" "memory" (memory 1))

;; Where the parse writes (byte addresses) and what it found: rows and non-zeros staged this call.
;;   col/val: the non-zeros (column, value) in order; rowEnd[i]: non-zeros staged up to the end of row i;
;;   rowSum[i]: row i's compensated sum; pow10: 10^0 .. 10^22; memo*: the quotient memo (see $divide),
;;   whose 2^(32 - memoShift) slots are indexed by the top bits of a hash.
;;#layout rows col:i32 val:i32 rowEnd:i32 rowSum:i32 maxRows:i32 maxNonZeros:i32 pow10:i32
;;#layout rows memoHi:i32 memoMid:i32 memoLo:i32 memoShape:i32 memoValue:i32 memoShift:i32 rows:i32 nonZeros:i32

  ;; Where the last $scan stopped (the first byte not taken).
  (global $scanEnd (mut i32) (i32.const 0))
  ;; The record of the parse under way (parseRows sets it; $scan and $memoDivide read through it).
  (global $record (mut i32) (i32.const 0))

  ;; Parses whole rows of in[0, len) into the staging arrays of the record at $f; returns how many bytes it
  ;; took (whole lines). Fewer than len: the line there is for the JavaScript reader (or staging is full).
  (func (export "parseRows") (param $in i32) (param $len i32) (param $width i32) (param $f i32) (result i32)
    (local $p i32) (local $end i32) (local $lineStart i32) (local $rows i32) (local $nnz i32)
    (local $lineNnz i32) (local $fields i32) (local $q i32) (local $ch i32)
    (local $sum f64) (local $comp f64) (local $v f64) (local $t f64)
    (global.set $record (local.get $f))
    (local.set $p (local.get $in))
    (local.set $end (i32.add (local.get $in) (local.get $len)))
    (block $stop
      (loop $lines
        (br_if $stop (i32.ge_u (local.get $p) (local.get $end)))
        (br_if $stop (i32.ge_s (local.get $rows) (i32.load offset=rows.maxRows (local.get $f))))
        (local.set $lineStart (local.get $p))
        (local.set $lineNnz (local.get $nnz))
        (local.set $fields (i32.const 0))
        (local.set $sum (f64.const 0))
        (local.set $comp (f64.const 0))
        (block $anomaly
          (loop $cells
            ;; Most cells are "0.0" (or "0"): skipped before any scanning, as the JavaScript reader does.
            ;; The bytes after the input are zero, so these loads never match past its end.
            (if (i32.eq (i32.load (local.get $p)) (i32.const 0x2C302E30)) ;; "0.0,"
              (then
                (local.set $p (i32.add (local.get $p) (i32.const 4)))
                (local.set $fields (i32.add (local.get $fields) (i32.const 1)))
                (br_if $anomaly (i32.gt_s (local.get $fields) (local.get $width)))
                (br $cells)))
            (if (i32.eq (i32.load16_u (local.get $p)) (i32.const 0x2C30)) ;; "0,"
              (then
                (local.set $p (i32.add (local.get $p) (i32.const 2)))
                (local.set $fields (i32.add (local.get $fields) (i32.const 1)))
                (br_if $anomaly (i32.gt_s (local.get $fields) (local.get $width)))
                (br $cells)))
            (local.set $fields (i32.add (local.get $fields) (i32.const 1)))
            (br_if $anomaly (i32.gt_s (local.get $fields) (local.get $width)))
            (local.set $v (call $scanFraction (local.get $p) (local.get $end)))
            (br_if $anomaly (f64.ne (local.get $v) (local.get $v)))
            (local.set $q (global.get $scanEnd))
            (br_if $anomaly (i32.ge_u (local.get $q) (local.get $end)))
            (local.set $ch (i32.load8_u (local.get $q)))
            (br_if $anomaly (i32.and (i32.ne (local.get $ch) (i32.const 44)) (i32.ne (local.get $ch) (i32.const 10))))
            (if (f64.ne (local.get $v) (f64.const 0))
              (then
                (br_if $anomaly (i32.ge_s (local.get $nnz) (i32.load offset=rows.maxNonZeros (local.get $f))))
                (i32.store (i32.add (i32.load offset=rows.col (local.get $f)) (i32.shl (local.get $nnz) (i32.const 2)))
                  (i32.sub (local.get $fields) (i32.const 1)))
                (f64.store (i32.add (i32.load offset=rows.val (local.get $f)) (i32.shl (local.get $nnz) (i32.const 3)))
                  (local.get $v))
                (local.set $nnz (i32.add (local.get $nnz) (i32.const 1)))
                ;; Neumaier: sum + comp is the sum of the stored values, as matrix-reader.ts keeps it.
                (local.set $t (f64.add (local.get $sum) (local.get $v)))
                (local.set $comp (f64.add (local.get $comp)
                  (if (result f64) (f64.ge (f64.abs (local.get $sum)) (local.get $v))
                    (then (f64.add (f64.sub (local.get $sum) (local.get $t)) (local.get $v)))
                    (else (f64.add (f64.sub (local.get $v) (local.get $t)) (local.get $sum))))))
                (local.set $sum (local.get $t))))
            (local.set $p (i32.add (local.get $q) (i32.const 1)))
            (br_if $cells (i32.eq (local.get $ch) (i32.const 44))))
          ;; The line feed: a whole row, if it has all its cells.
          (br_if $anomaly (i32.ne (local.get $fields) (local.get $width)))
          (i32.store (i32.add (i32.load offset=rows.rowEnd (local.get $f)) (i32.shl (local.get $rows) (i32.const 2)))
            (local.get $nnz))
          (f64.store (i32.add (i32.load offset=rows.rowSum (local.get $f)) (i32.shl (local.get $rows) (i32.const 3)))
            (f64.add (local.get $sum) (local.get $comp)))
          (local.set $rows (i32.add (local.get $rows) (i32.const 1)))
          (br $lines))
        ;; Not a row this parser takes: undo its cells and stop before it.
        (local.set $nnz (local.get $lineNnz))
        (local.set $p (local.get $lineStart))))
    (i32.store offset=rows.rows (local.get $f) (local.get $rows))
    (i32.store offset=rows.nonZeros (local.get $f) (local.get $nnz))
    (i32.sub (local.get $p) (local.get $in)))

  ;; The common cell of a probability table, "0." then zeros then 1 to 19 significant digits, read eight
  ;; digits at a time; any other cell by $scan. Same value as $scan: with Z zeros and N digits forming the
  ;; integer m, scanDecimal has scale = -(Z + N), and for N > 15 splits m into its first 15 digits and the
  ;; other N - 15, which is what the division below is given.
  (func $scanFraction (param $p i32) (param $end i32) (result f64)
    (local $i i32) (local $z i32) (local $n i32) (local $m i64) (local $x i64) (local $k i32) (local $split i64)
    (local $pow10 i32)
    (if (i32.ne (i32.load16_u (local.get $p)) (i32.const 0x2E30)) ;; "0."
      (then (return (call $scan (local.get $p) (local.get $end)))))
    (local.set $i (i32.add (local.get $p) (i32.const 2)))
    (block $zeros_done
      (loop $zeros
        (br_if $zeros_done (i32.ge_u (local.get $i) (local.get $end)))
        (br_if $zeros_done (i32.ne (i32.load8_u (local.get $i)) (i32.const 48)))
        (local.set $z (i32.add (local.get $z) (i32.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $zeros)))
    ;; Eight digits at once while all eight are digits (SWAR: each byte's high nibble 3, low nibble <= 9).
    (block $eights_done
      (loop $eights
        (br_if $eights_done (i32.gt_s (i32.add (local.get $n) (i32.const 8)) (i32.const 19)))
        (local.set $x (i64.load (local.get $i)))
        (br_if $eights_done (i64.ne
          (i64.or
            (i64.and (local.get $x) (i64.const 0xF0F0F0F0F0F0F0F0))
            (i64.shr_u (i64.and (i64.add (local.get $x) (i64.const 0x0606060606060606)) (i64.const 0xF0F0F0F0F0F0F0F0))
              (i64.const 4)))
          (i64.const 0x3333333333333333)))
        ;; The eight digits' value (first digit in the lowest byte): pairs, then quads, then the whole.
        (local.set $x (i64.sub (local.get $x) (i64.const 0x3030303030303030)))
        (local.set $x (i64.add (i64.mul (local.get $x) (i64.const 10)) (i64.shr_u (local.get $x) (i64.const 8))))
        (local.set $x (i64.shr_u
          (i64.add
            (i64.mul (i64.and (local.get $x) (i64.const 0x000000FF000000FF)) (i64.const 0x000F424000000064))
            (i64.mul (i64.and (i64.shr_u (local.get $x) (i64.const 16)) (i64.const 0x000000FF000000FF))
              (i64.const 0x0000271000000001)))
          (i64.const 32)))
        (local.set $m (i64.add (i64.mul (local.get $m) (i64.const 100000000)) (local.get $x)))
        (local.set $n (i32.add (local.get $n) (i32.const 8)))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $eights)))
    (block $ones_done
      (loop $ones
        (br_if $ones_done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $k (i32.sub (i32.load8_u (local.get $i)) (i32.const 48)))
        (br_if $ones_done (i32.gt_u (local.get $k) (i32.const 9)))
        ;; A twentieth digit: scanDecimal's rules for it are $scan's business.
        (if (i32.ge_s (local.get $n) (i32.const 19)) (then (return (call $scan (local.get $p) (local.get $end)))))
        (local.set $m (i64.add (i64.mul (local.get $m) (i64.const 10)) (i64.extend_i32_u (local.get $k))))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $ones)))
    ;; What follows must end the cell, and the digits be significant (no "0.0", "0.00"): else $scan.
    (if (i32.or (i32.eqz (local.get $n))
          (i32.or (i32.ge_u (local.get $i) (local.get $end))
            (i32.and (i32.ne (i32.load8_u (local.get $i)) (i32.const 44)) (i32.ne (i32.load8_u (local.get $i)) (i32.const 10)))))
      (then (return (call $scan (local.get $p) (local.get $end)))))
    (global.set $scanEnd (local.get $i))
    (local.set $k (i32.add (local.get $z) (local.get $n)))
    (if (i32.gt_s (local.get $k) (i32.const 22)) (then (return (f64.const nan))))
    (local.set $pow10 (i32.load offset=rows.pow10 (global.get $record)))
    (if (i32.le_s (local.get $n) (i32.const 15))
      (then (return (f64.div (f64.convert_i64_u (local.get $m))
        (f64.load (i32.add (local.get $pow10) (i32.shl (local.get $k) (i32.const 3))))))))
    ;; m = H * 10^(n - 15) + lo with H the first 15 digits, kept as scanDecimal keeps them (9 + 6 digits).
    (local.set $split
      (select
        (select (i64.const 10) (i64.const 100) (i32.eq (local.get $n) (i32.const 16)))
        (select (i64.const 1000) (i64.const 10000) (i32.eq (local.get $n) (i32.const 18)))
        (i32.le_s (local.get $n) (i32.const 17))))
    (local.set $x (i64.div_u (local.get $m) (local.get $split)))
    (call $memoDivide
      (i32.wrap_i64 (i64.div_u (local.get $x) (i64.const 1000000)))
      (i32.wrap_i64 (i64.rem_u (local.get $x) (i64.const 1000000)))
      (i32.wrap_i64 (i64.rem_u (local.get $m) (local.get $split)))
      (i32.sub (local.get $n) (i32.const 15))
      (local.get $k)))

  ;; The decimal at p (not past end), as number.ts's scanDecimal reads it, or NaN when that would take its
  ;; slow path, the cell is negative, or there is no decimal; $scanEnd is where it stopped.
  (func $scan (param $p i32) (param $end i32) (result f64)
    (local $i i32) (local $c i32) (local $d i32) (local $hi i32) (local $nhi i32) (local $mid i32)
    (local $nmid i32) (local $lo i32) (local $nlo i32) (local $scale i32) (local $exact i32)
    (local $digits i32) (local $frac i32) (local $e i32) (local $edigits i32) (local $eneg i32)
    (local $mant f64) (local $pow10 i32)
    (local.set $i (local.get $p))
    (local.set $exact (i32.const 1))
    (if (i32.lt_u (local.get $i) (local.get $end))
      (then
        (local.set $c (i32.load8_u (local.get $i)))
        (if (i32.eq (local.get $c) (i32.const 45)) (then (return (f64.const nan)))) ;; "-": for JavaScript
        (if (i32.eq (local.get $c) (i32.const 43)) (then (local.set $i (i32.add (local.get $i) (i32.const 1)))))))
    ;; Digits before and after the point: the first 9 significant in hi, 6 in mid, 4 in lo.
    (block $digits_done
      (loop $digit
        (br_if $digits_done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $c (i32.load8_u (local.get $i)))
        (local.set $d (i32.sub (local.get $c) (i32.const 48)))
        (if (i32.gt_u (local.get $d) (i32.const 9))
          (then
            (br_if $digits_done (i32.or (i32.ne (local.get $c) (i32.const 46)) (local.get $frac)))
            (local.set $frac (i32.const 1))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $digit)))
        (local.set $digits (i32.add (local.get $digits) (i32.const 1)))
        (if (i32.lt_s (local.get $nhi) (i32.const 9))
          (then
            (if (i32.or (local.get $nhi) (local.get $d))
              (then
                (local.set $hi (i32.add (i32.mul (local.get $hi) (i32.const 10)) (local.get $d)))
                (local.set $nhi (i32.add (local.get $nhi) (i32.const 1)))))
            (local.set $scale (i32.sub (local.get $scale) (local.get $frac))))
          (else (if (i32.lt_s (local.get $nmid) (i32.const 6))
            (then
              (local.set $mid (i32.add (i32.mul (local.get $mid) (i32.const 10)) (local.get $d)))
              (local.set $nmid (i32.add (local.get $nmid) (i32.const 1)))
              (local.set $scale (i32.sub (local.get $scale) (local.get $frac))))
            (else (if (i32.lt_s (local.get $nlo) (i32.const 4))
              (then
                (local.set $lo (i32.add (i32.mul (local.get $lo) (i32.const 10)) (local.get $d)))
                (local.set $nlo (i32.add (local.get $nlo) (i32.const 1)))
                (local.set $scale (i32.sub (local.get $scale) (local.get $frac))))
              (else (if (local.get $d)
                (then (local.set $exact (i32.const 0)))
                ;; A dropped zero: of the integer part it scales, of the fraction it does not.
                (else (local.set $scale (i32.add (local.get $scale) (i32.sub (i32.const 1) (local.get $frac))))))))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $digit)))
    (global.set $scanEnd (local.get $i))
    (if (i32.eqz (local.get $digits)) (then (return (f64.const nan))))
    (if (i32.lt_u (local.get $i) (local.get $end))
      (then
        (local.set $c (i32.load8_u (local.get $i)))
        (if (i32.or (i32.eq (local.get $c) (i32.const 101)) (i32.eq (local.get $c) (i32.const 69)))
          (then
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (if (i32.lt_u (local.get $i) (local.get $end))
              (then
                (local.set $c (i32.load8_u (local.get $i)))
                (if (i32.or (i32.eq (local.get $c) (i32.const 45)) (i32.eq (local.get $c) (i32.const 43)))
                  (then
                    (local.set $eneg (i32.eq (local.get $c) (i32.const 45)))
                    (local.set $i (i32.add (local.get $i) (i32.const 1)))))))
            (block $exp_done
              (loop $exp
                (br_if $exp_done (i32.ge_u (local.get $i) (local.get $end)))
                (local.set $d (i32.sub (i32.load8_u (local.get $i)) (i32.const 48)))
                (br_if $exp_done (i32.gt_u (local.get $d) (i32.const 9)))
                (local.set $edigits (i32.add (local.get $edigits) (i32.const 1)))
                (if (i32.lt_s (local.get $e) (i32.const 100000))
                  (then (local.set $e (i32.add (i32.mul (local.get $e) (i32.const 10)) (local.get $d)))))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $exp)))
            (global.set $scanEnd (local.get $i))
            (if (i32.eqz (local.get $edigits)) (then (return (f64.const nan))))
            (local.set $scale (i32.add (local.get $scale)
              (select (i32.sub (i32.const 0) (local.get $e)) (local.get $e) (local.get $eneg))))))))
    (if (i32.eqz (local.get $exact)) (then (return (f64.const nan))))
    (local.set $pow10 (i32.load offset=rows.pow10 (global.get $record)))
    (if (i32.eqz (local.get $nlo))
      (then
        (if (i32.eqz (local.get $nhi)) (then (return (f64.const 0))))
        (if (i32.or (i32.lt_s (local.get $scale) (i32.const -22)) (i32.gt_s (local.get $scale) (i32.const 22)))
          (then (return (f64.const nan))))
        ;; Below 10^15, so exact; then one correctly rounded operation (Clinger's fast path).
        (local.set $mant (f64.add
          (f64.mul (f64.convert_i32_s (local.get $hi))
            (f64.load (i32.add (local.get $pow10) (i32.shl (local.get $nmid) (i32.const 3)))))
          (f64.convert_i32_s (local.get $mid))))
        (if (i32.lt_s (local.get $scale) (i32.const 0))
          (then (return (f64.div (local.get $mant)
            (f64.load (i32.add (local.get $pow10) (i32.shl (i32.sub (i32.const 0) (local.get $scale)) (i32.const 3))))))))
        (return (f64.mul (local.get $mant)
          (f64.load (i32.add (local.get $pow10) (i32.shl (local.get $scale) (i32.const 3))))))))
    (if (i32.or (i32.ge_s (local.get $scale) (i32.const 0)) (i32.lt_s (local.get $scale) (i32.const -22)))
      (then (return (f64.const nan))))
    (call $memoDivide (local.get $hi) (local.get $mid) (local.get $lo) (local.get $nlo)
      (i32.sub (i32.const 0) (local.get $scale))))

  ;; (hi|mid|lo) / 10^k through the memo, as number.ts's memoDivide (NaN: undecided, for JavaScript).
  (func $memoDivide (param $hi i32) (param $mid i32) (param $lo i32) (param $nlo i32) (param $k i32) (result f64)
    (local $shape i32) (local $at i32) (local $f i32) (local $v f64)
    (local.set $f (global.get $record))
    (local.set $shape (i32.or (i32.shl (local.get $k) (i32.const 4)) (local.get $nlo)))
    (local.set $at (i32.shr_u
      (i32.xor (i32.xor
        (i32.mul (local.get $hi) (i32.const 0x9e3779b1))
        (i32.mul (local.get $mid) (i32.const 0x85ebca6b)))
        (i32.mul (i32.xor (local.get $lo) (local.get $shape)) (i32.const 0xc2b2ae35)))
      (i32.load offset=rows.memoShift (local.get $f))))
    (if (i32.and
          (i32.and
            (i32.eq (i32.load (i32.add (i32.load offset=rows.memoShape (local.get $f)) (i32.shl (local.get $at) (i32.const 2)))) (local.get $shape))
            (i32.eq (i32.load (i32.add (i32.load offset=rows.memoHi (local.get $f)) (i32.shl (local.get $at) (i32.const 2)))) (local.get $hi)))
          (i32.and
            (i32.eq (i32.load (i32.add (i32.load offset=rows.memoMid (local.get $f)) (i32.shl (local.get $at) (i32.const 2)))) (local.get $mid))
            (i32.eq (i32.load (i32.add (i32.load offset=rows.memoLo (local.get $f)) (i32.shl (local.get $at) (i32.const 2)))) (local.get $lo))))
      (then (return (f64.load (i32.add (i32.load offset=rows.memoValue (local.get $f)) (i32.shl (local.get $at) (i32.const 3)))))))
    (local.set $v (call $divide
      (f64.add (f64.mul (f64.convert_i32_s (local.get $hi)) (f64.const 1e6)) (f64.convert_i32_s (local.get $mid)))
      (f64.convert_i32_s (local.get $lo))
      (f64.load (i32.add (i32.load offset=rows.pow10 (local.get $f)) (i32.shl (local.get $nlo) (i32.const 3))))
      (f64.load (i32.add (i32.load offset=rows.pow10 (local.get $f)) (i32.shl (local.get $k) (i32.const 3))))))
    (if (f64.eq (local.get $v) (local.get $v))
      (then
        (i32.store (i32.add (i32.load offset=rows.memoHi (local.get $f)) (i32.shl (local.get $at) (i32.const 2))) (local.get $hi))
        (i32.store (i32.add (i32.load offset=rows.memoMid (local.get $f)) (i32.shl (local.get $at) (i32.const 2))) (local.get $mid))
        (i32.store (i32.add (i32.load offset=rows.memoLo (local.get $f)) (i32.shl (local.get $at) (i32.const 2))) (local.get $lo))
        (i32.store (i32.add (i32.load offset=rows.memoShape (local.get $f)) (i32.shl (local.get $at) (i32.const 2))) (local.get $shape))
        (f64.store (i32.add (i32.load offset=rows.memoValue (local.get $f)) (i32.shl (local.get $at) (i32.const 3))) (local.get $v))))
    (local.get $v))

  ;; (h * f + lo) / p correctly rounded, or NaN when too close to a rounding boundary: number.ts's
  ;; divideDoubleDouble with f = 10^nlo and p = 10^k, operation for operation.
  (func $divide (param $h f64) (param $lo f64) (param $f f64) (param $p f64) (result f64)
    (local $ph f64) (local $pl f64) (local $mh f64) (local $ml f64) (local $q1 f64) (local $th f64)
    (local $q2 f64) (local $y f64) (local $eps f64)
    (local.set $ph (f64.mul (local.get $h) (local.get $f)))
    (local.set $pl (call $twoProductError (local.get $h) (local.get $f) (local.get $ph)))
    (local.set $mh (f64.add (local.get $ph) (local.get $lo)))
    (local.set $ml (f64.add (f64.sub (local.get $lo) (f64.sub (local.get $mh) (local.get $ph))) (local.get $pl)))
    (local.set $q1 (f64.div (local.get $mh) (local.get $p)))
    (local.set $th (f64.mul (local.get $q1) (local.get $p)))
    (local.set $q2 (f64.div
      (f64.add
        (f64.sub (f64.sub (local.get $mh) (local.get $th))
          (call $twoProductError (local.get $q1) (local.get $p) (local.get $th)))
        (local.get $ml))
      (local.get $p)))
    (local.set $y (f64.add (local.get $q1) (local.get $q2)))
    (local.set $eps (f64.mul (local.get $y) (f64.const 0x1p-80)))
    (if (result f64)
      (i32.and
        (f64.eq (f64.add (local.get $q1) (f64.sub (local.get $q2) (local.get $eps))) (local.get $y))
        (f64.eq (f64.add (local.get $q1) (f64.add (local.get $q2) (local.get $eps))) (local.get $y)))
      (then (local.get $y))
      (else (f64.const nan))))

  ;; The exact error of the product a * b = p (Dekker's split), as number.ts's twoProductError.
  (func $twoProductError (param $a f64) (param $b f64) (param $p f64) (result f64)
    (local $t f64) (local $ah f64) (local $al f64) (local $bh f64) (local $bl f64)
    (local.set $t (f64.mul (f64.const 134217729) (local.get $a)))
    (local.set $ah (f64.sub (local.get $t) (f64.sub (local.get $t) (local.get $a))))
    (local.set $al (f64.sub (local.get $a) (local.get $ah)))
    (local.set $t (f64.mul (f64.const 134217729) (local.get $b)))
    (local.set $bh (f64.sub (local.get $t) (f64.sub (local.get $t) (local.get $b))))
    (local.set $bl (f64.sub (local.get $b) (local.get $bh)))
    (f64.add
      (f64.add
        (f64.add (f64.sub (f64.mul (local.get $ah) (local.get $bh)) (local.get $p))
          (f64.mul (local.get $ah) (local.get $bl)))
        (f64.mul (local.get $al) (local.get $bh)))
      (f64.mul (local.get $al) (local.get $bl))))
)
