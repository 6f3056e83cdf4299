;; Exact Hamming radius search over packed hashes: the hot loops of src/core/pairs (exact.ts).
;;
;; Hashes are rows of W little 64-bit words (perception's packed bytes, zero-padded), so the
;; distance of two rows is the sum of i64.popcnt of their XORed words. V8 lowers i64.popcnt to the
;; POPCNT instruction; SIMD i8x16.popcnt measured slower here, so the kernels are scalar.
;;
;; Every kernel scans a tile: rows i0..i1 of A against rows j0..j1 of B. With $tri set, row i only
;; sees columns j > (i >> $shift), which makes a self-join a triangle (shift 0) or lets 2^shift rows
;; of A (e.g. the 8 isometric variants of one file) share the triangle of their file.
;; A pair is written as three u32 (address of row i, address of row j, bits) when bits < $r
;; (strict, as perception's distance < threshold); the caller turns addresses into row numbers.
;; Writing addresses keeps i and j out of the loop, and with fewer live values V8 keeps the row's
;; words in registers instead of reloading them from the stack for every column.
;; A kernel starts a row only when a full row of results fits before $outEnd; otherwise it stops,
;; leaves the next row in $resume, and the caller drains the results and calls again.
;;
;; Random hashes differ in about half of their bits, so after the first words most pairs already
;; exceed the radius. The kernels check a partial sum once ($c words, chosen by the caller from the
;; radius) and skip the rest of the row: exact, because the partial sum never exceeds the total.
;; Measured on 256-bit hashes at radius 52 (threshold 0.2): 1.4 G pairs/s per core with the check
;; after two words, 0.84 summing all four; unrolling by 4 columns added a little (fewer loop-header
;; interrupt checks); blocking two rows against each column did not help (V8 ran out of registers).
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; the next row to scan after a call returns (i1 when the tile is done)
  (global $resume (export "resume") (mut i32) (i32.const 0))

  ;; first column of row $i inside the tile
  (func $firstCol (param $i i32) (param $j0 i32) (param $tri i32) (param $shift i32) (result i32)
    (local $t i32)
    (if (result i32) (local.get $tri)
      (then
        (local.set $t (i32.add (i32.shr_u (local.get $i) (local.get $shift)) (i32.const 1)))
        (select (local.get $t) (local.get $j0) (i32.gt_u (local.get $t) (local.get $j0))))
      (else (local.get $j0))))

  ;; 64-bit hashes (phash 8x8, dhash 8x8, ...): one word, nothing to split.
  (func (export "pairs1")
    (param $aBase i32) (param $bBase i32) (param $i0 i32) (param $i1 i32) (param $j0 i32) (param $j1 i32)
    (param $tri i32) (param $shift i32) (param $r i32) (param $out i32) (param $outEnd i32) (result i32)
    (local $i i32) (local $js i32) (local $q i32) (local $p i32) (local $pe i32) (local $pu i32) (local $o i32) (local $d i32)
    (local $a0 i64)
    (local.set $o (local.get $out))
    (local.set $i (local.get $i0))
    (local.set $pe (i32.add (local.get $bBase) (i32.shl (local.get $j1) (i32.const 3))))
    (local.set $pu (i32.sub (local.get $pe) (i32.const 24)))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $i) (local.get $i1)))
        (local.set $js (call $firstCol (local.get $i) (local.get $j0) (local.get $tri) (local.get $shift)))
        (if (i32.lt_u (local.get $js) (local.get $j1))
          (then
            (if (i32.gt_u (i32.add (local.get $o) (i32.mul (i32.sub (local.get $j1) (local.get $js)) (i32.const 12))) (local.get $outEnd))
              (then
                (global.set $resume (local.get $i))
                (return (i32.div_u (i32.sub (local.get $o) (local.get $out)) (i32.const 12)))))
            (local.set $q (i32.add (local.get $aBase) (i32.shl (local.get $i) (i32.const 3))))
            (local.set $a0 (i64.load (local.get $q)))
            (local.set $p (i32.add (local.get $bBase) (i32.shl (local.get $js) (i32.const 3))))
            (block $ub
              (loop $u
                (br_if $ub (i32.ge_u (local.get $p) (local.get $pu)))
                (local.set $d (i32.wrap_i64 (i64.popcnt (i64.xor (i64.load offset=0 (local.get $p)) (local.get $a0)))))
                (if (i32.lt_u (local.get $d) (local.get $r)) (then
                  (i32.store offset=0 (local.get $o) (local.get $q))
                  (i32.store offset=4 (local.get $o) (local.get $p))
                  (i32.store offset=8 (local.get $o) (local.get $d))
                  (local.set $o (i32.add (local.get $o) (i32.const 12)))))
                (local.set $d (i32.wrap_i64 (i64.popcnt (i64.xor (i64.load offset=8 (local.get $p)) (local.get $a0)))))
                (if (i32.lt_u (local.get $d) (local.get $r)) (then
                  (i32.store offset=0 (local.get $o) (local.get $q))
                  (i32.store offset=4 (local.get $o) (i32.add (local.get $p) (i32.const 8)))
                  (i32.store offset=8 (local.get $o) (local.get $d))
                  (local.set $o (i32.add (local.get $o) (i32.const 12)))))
                (local.set $d (i32.wrap_i64 (i64.popcnt (i64.xor (i64.load offset=16 (local.get $p)) (local.get $a0)))))
                (if (i32.lt_u (local.get $d) (local.get $r)) (then
                  (i32.store offset=0 (local.get $o) (local.get $q))
                  (i32.store offset=4 (local.get $o) (i32.add (local.get $p) (i32.const 16)))
                  (i32.store offset=8 (local.get $o) (local.get $d))
                  (local.set $o (i32.add (local.get $o) (i32.const 12)))))
                (local.set $d (i32.wrap_i64 (i64.popcnt (i64.xor (i64.load offset=24 (local.get $p)) (local.get $a0)))))
                (if (i32.lt_u (local.get $d) (local.get $r)) (then
                  (i32.store offset=0 (local.get $o) (local.get $q))
                  (i32.store offset=4 (local.get $o) (i32.add (local.get $p) (i32.const 24)))
                  (i32.store offset=8 (local.get $o) (local.get $d))
                  (local.set $o (i32.add (local.get $o) (i32.const 12)))))
                (local.set $p (i32.add (local.get $p) (i32.const 32)))
                (br $u)))
            (block $tb
              (loop $t
                (br_if $tb (i32.ge_u (local.get $p) (local.get $pe)))
                (local.set $d (i32.wrap_i64 (i64.popcnt (i64.xor (i64.load offset=0 (local.get $p)) (local.get $a0)))))
                (if (i32.lt_u (local.get $d) (local.get $r)) (then
                  (i32.store offset=0 (local.get $o) (local.get $q))
                  (i32.store offset=4 (local.get $o) (local.get $p))
                  (i32.store offset=8 (local.get $o) (local.get $d))
                  (local.set $o (i32.add (local.get $o) (i32.const 12)))))
                (local.set $p (i32.add (local.get $p) (i32.const 8)))
                (br $t)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows)))
    (global.set $resume (local.get $i1))
    (i32.div_u (i32.sub (local.get $o) (local.get $out)) (i32.const 12)))

  ;; 256-bit hashes (phash/dhash 16x16, pdq), the common case: the first two words of row i stay
  ;; in locals, the other two are loaded only for the few columns that pass the check after two words.
  ;; Loading the column before the local in each i64.xor saves V8 a register copy per word (~10%).
  (func (export "pairs4")
    (param $aBase i32) (param $bBase i32) (param $i0 i32) (param $i1 i32) (param $j0 i32) (param $j1 i32)
    (param $tri i32) (param $shift i32) (param $r i32) (param $out i32) (param $outEnd i32) (result i32)
    (local $i i32) (local $js i32) (local $q i32) (local $p i32) (local $pe i32) (local $pu i32) (local $o i32) (local $d i32)
    (local $a0 i64) (local $a1 i64)
    (local.set $o (local.get $out))
    (local.set $i (local.get $i0))
    (local.set $pe (i32.add (local.get $bBase) (i32.shl (local.get $j1) (i32.const 5))))
    (local.set $pu (i32.sub (local.get $pe) (i32.const 96)))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $i) (local.get $i1)))
        (local.set $js (call $firstCol (local.get $i) (local.get $j0) (local.get $tri) (local.get $shift)))
        (if (i32.lt_u (local.get $js) (local.get $j1))
          (then
            (if (i32.gt_u (i32.add (local.get $o) (i32.mul (i32.sub (local.get $j1) (local.get $js)) (i32.const 12))) (local.get $outEnd))
              (then
                (global.set $resume (local.get $i))
                (return (i32.div_u (i32.sub (local.get $o) (local.get $out)) (i32.const 12)))))
            (local.set $q (i32.add (local.get $aBase) (i32.shl (local.get $i) (i32.const 5))))
            (local.set $a0 (i64.load offset=0 (local.get $q)))
            (local.set $a1 (i64.load offset=8 (local.get $q)))
            (local.set $p (i32.add (local.get $bBase) (i32.shl (local.get $js) (i32.const 5))))
            (block $ub
              (loop $u
                (br_if $ub (i32.ge_u (local.get $p) (local.get $pu)))
                (local.set $d (i32.wrap_i64 (i64.add
                  (i64.popcnt (i64.xor (i64.load offset=0 (local.get $p)) (local.get $a0)))
                  (i64.popcnt (i64.xor (i64.load offset=8 (local.get $p)) (local.get $a1))))))
                (if (i32.lt_u (local.get $d) (local.get $r)) (then
                  (local.set $d (i32.add (local.get $d) (i32.wrap_i64 (i64.add
                    (i64.popcnt (i64.xor (i64.load offset=16 (local.get $q)) (i64.load offset=16 (local.get $p))))
                    (i64.popcnt (i64.xor (i64.load offset=24 (local.get $q)) (i64.load offset=24 (local.get $p))))))))
                  (if (i32.lt_u (local.get $d) (local.get $r)) (then
                    (i32.store offset=0 (local.get $o) (local.get $q))
                    (i32.store offset=4 (local.get $o) (i32.add (local.get $p) (i32.const 0)))
                    (i32.store offset=8 (local.get $o) (local.get $d))
                    (local.set $o (i32.add (local.get $o) (i32.const 12)))))))
                (local.set $d (i32.wrap_i64 (i64.add
                  (i64.popcnt (i64.xor (i64.load offset=32 (local.get $p)) (local.get $a0)))
                  (i64.popcnt (i64.xor (i64.load offset=40 (local.get $p)) (local.get $a1))))))
                (if (i32.lt_u (local.get $d) (local.get $r)) (then
                  (local.set $d (i32.add (local.get $d) (i32.wrap_i64 (i64.add
                    (i64.popcnt (i64.xor (i64.load offset=16 (local.get $q)) (i64.load offset=48 (local.get $p))))
                    (i64.popcnt (i64.xor (i64.load offset=24 (local.get $q)) (i64.load offset=56 (local.get $p))))))))
                  (if (i32.lt_u (local.get $d) (local.get $r)) (then
                    (i32.store offset=0 (local.get $o) (local.get $q))
                    (i32.store offset=4 (local.get $o) (i32.add (local.get $p) (i32.const 32)))
                    (i32.store offset=8 (local.get $o) (local.get $d))
                    (local.set $o (i32.add (local.get $o) (i32.const 12)))))))
                (local.set $d (i32.wrap_i64 (i64.add
                  (i64.popcnt (i64.xor (i64.load offset=64 (local.get $p)) (local.get $a0)))
                  (i64.popcnt (i64.xor (i64.load offset=72 (local.get $p)) (local.get $a1))))))
                (if (i32.lt_u (local.get $d) (local.get $r)) (then
                  (local.set $d (i32.add (local.get $d) (i32.wrap_i64 (i64.add
                    (i64.popcnt (i64.xor (i64.load offset=16 (local.get $q)) (i64.load offset=80 (local.get $p))))
                    (i64.popcnt (i64.xor (i64.load offset=24 (local.get $q)) (i64.load offset=88 (local.get $p))))))))
                  (if (i32.lt_u (local.get $d) (local.get $r)) (then
                    (i32.store offset=0 (local.get $o) (local.get $q))
                    (i32.store offset=4 (local.get $o) (i32.add (local.get $p) (i32.const 64)))
                    (i32.store offset=8 (local.get $o) (local.get $d))
                    (local.set $o (i32.add (local.get $o) (i32.const 12)))))))
                (local.set $d (i32.wrap_i64 (i64.add
                  (i64.popcnt (i64.xor (i64.load offset=96 (local.get $p)) (local.get $a0)))
                  (i64.popcnt (i64.xor (i64.load offset=104 (local.get $p)) (local.get $a1))))))
                (if (i32.lt_u (local.get $d) (local.get $r)) (then
                  (local.set $d (i32.add (local.get $d) (i32.wrap_i64 (i64.add
                    (i64.popcnt (i64.xor (i64.load offset=16 (local.get $q)) (i64.load offset=112 (local.get $p))))
                    (i64.popcnt (i64.xor (i64.load offset=24 (local.get $q)) (i64.load offset=120 (local.get $p))))))))
                  (if (i32.lt_u (local.get $d) (local.get $r)) (then
                    (i32.store offset=0 (local.get $o) (local.get $q))
                    (i32.store offset=4 (local.get $o) (i32.add (local.get $p) (i32.const 96)))
                    (i32.store offset=8 (local.get $o) (local.get $d))
                    (local.set $o (i32.add (local.get $o) (i32.const 12)))))))
                (local.set $p (i32.add (local.get $p) (i32.const 128)))
                (br $u)))
            (block $tb
              (loop $t
                (br_if $tb (i32.ge_u (local.get $p) (local.get $pe)))
                (local.set $d (i32.wrap_i64 (i64.add
                  (i64.popcnt (i64.xor (i64.load offset=0 (local.get $p)) (local.get $a0)))
                  (i64.popcnt (i64.xor (i64.load offset=8 (local.get $p)) (local.get $a1))))))
                (if (i32.lt_u (local.get $d) (local.get $r)) (then
                  (local.set $d (i32.add (local.get $d) (i32.wrap_i64 (i64.add
                    (i64.popcnt (i64.xor (i64.load offset=16 (local.get $q)) (i64.load offset=16 (local.get $p))))
                    (i64.popcnt (i64.xor (i64.load offset=24 (local.get $q)) (i64.load offset=24 (local.get $p))))))))
                  (if (i32.lt_u (local.get $d) (local.get $r)) (then
                    (i32.store offset=0 (local.get $o) (local.get $q))
                    (i32.store offset=4 (local.get $o) (i32.add (local.get $p) (i32.const 0)))
                    (i32.store offset=8 (local.get $o) (local.get $d))
                    (local.set $o (i32.add (local.get $o) (i32.const 12)))))))
                (local.set $p (i32.add (local.get $p) (i32.const 32)))
                (br $t)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows)))
    (global.set $resume (local.get $i1))
    (i32.div_u (i32.sub (local.get $o) (local.get $out)) (i32.const 12)))

  ;; 256-bit hashes with a radius too large for the early check to pay (threshold above ~0.22):
  ;; all four words, one comparison (a check that passes half the time would mispredict half the time).
  (func (export "pairs4full")
    (param $aBase i32) (param $bBase i32) (param $i0 i32) (param $i1 i32) (param $j0 i32) (param $j1 i32)
    (param $tri i32) (param $shift i32) (param $r i32) (param $out i32) (param $outEnd i32) (result i32)
    (local $i i32) (local $js i32) (local $q i32) (local $p i32) (local $pe i32) (local $pu i32) (local $o i32) (local $d i32)
    (local $a0 i64) (local $a1 i64)
    (local.set $o (local.get $out))
    (local.set $i (local.get $i0))
    (local.set $pe (i32.add (local.get $bBase) (i32.shl (local.get $j1) (i32.const 5))))
    (local.set $pu (i32.sub (local.get $pe) (i32.const 96)))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $i) (local.get $i1)))
        (local.set $js (call $firstCol (local.get $i) (local.get $j0) (local.get $tri) (local.get $shift)))
        (if (i32.lt_u (local.get $js) (local.get $j1))
          (then
            (if (i32.gt_u (i32.add (local.get $o) (i32.mul (i32.sub (local.get $j1) (local.get $js)) (i32.const 12))) (local.get $outEnd))
              (then
                (global.set $resume (local.get $i))
                (return (i32.div_u (i32.sub (local.get $o) (local.get $out)) (i32.const 12)))))
            (local.set $q (i32.add (local.get $aBase) (i32.shl (local.get $i) (i32.const 5))))
            (local.set $a0 (i64.load offset=0 (local.get $q)))
            (local.set $a1 (i64.load offset=8 (local.get $q)))
            (local.set $p (i32.add (local.get $bBase) (i32.shl (local.get $js) (i32.const 5))))
            (block $ub
              (loop $u
                (br_if $ub (i32.ge_u (local.get $p) (local.get $pu)))
                (local.set $d (i32.wrap_i64 (i64.add
                  (i64.popcnt (i64.xor (i64.load offset=0 (local.get $p)) (local.get $a0)))
                  (i64.popcnt (i64.xor (i64.load offset=8 (local.get $p)) (local.get $a1))))))
                (block
                  (local.set $d (i32.add (local.get $d) (i32.wrap_i64 (i64.add
                    (i64.popcnt (i64.xor (i64.load offset=16 (local.get $q)) (i64.load offset=16 (local.get $p))))
                    (i64.popcnt (i64.xor (i64.load offset=24 (local.get $q)) (i64.load offset=24 (local.get $p))))))))
                  (if (i32.lt_u (local.get $d) (local.get $r)) (then
                    (i32.store offset=0 (local.get $o) (local.get $q))
                    (i32.store offset=4 (local.get $o) (i32.add (local.get $p) (i32.const 0)))
                    (i32.store offset=8 (local.get $o) (local.get $d))
                    (local.set $o (i32.add (local.get $o) (i32.const 12))))))
                (local.set $d (i32.wrap_i64 (i64.add
                  (i64.popcnt (i64.xor (i64.load offset=32 (local.get $p)) (local.get $a0)))
                  (i64.popcnt (i64.xor (i64.load offset=40 (local.get $p)) (local.get $a1))))))
                (block
                  (local.set $d (i32.add (local.get $d) (i32.wrap_i64 (i64.add
                    (i64.popcnt (i64.xor (i64.load offset=16 (local.get $q)) (i64.load offset=48 (local.get $p))))
                    (i64.popcnt (i64.xor (i64.load offset=24 (local.get $q)) (i64.load offset=56 (local.get $p))))))))
                  (if (i32.lt_u (local.get $d) (local.get $r)) (then
                    (i32.store offset=0 (local.get $o) (local.get $q))
                    (i32.store offset=4 (local.get $o) (i32.add (local.get $p) (i32.const 32)))
                    (i32.store offset=8 (local.get $o) (local.get $d))
                    (local.set $o (i32.add (local.get $o) (i32.const 12))))))
                (local.set $d (i32.wrap_i64 (i64.add
                  (i64.popcnt (i64.xor (i64.load offset=64 (local.get $p)) (local.get $a0)))
                  (i64.popcnt (i64.xor (i64.load offset=72 (local.get $p)) (local.get $a1))))))
                (block
                  (local.set $d (i32.add (local.get $d) (i32.wrap_i64 (i64.add
                    (i64.popcnt (i64.xor (i64.load offset=16 (local.get $q)) (i64.load offset=80 (local.get $p))))
                    (i64.popcnt (i64.xor (i64.load offset=24 (local.get $q)) (i64.load offset=88 (local.get $p))))))))
                  (if (i32.lt_u (local.get $d) (local.get $r)) (then
                    (i32.store offset=0 (local.get $o) (local.get $q))
                    (i32.store offset=4 (local.get $o) (i32.add (local.get $p) (i32.const 64)))
                    (i32.store offset=8 (local.get $o) (local.get $d))
                    (local.set $o (i32.add (local.get $o) (i32.const 12))))))
                (local.set $d (i32.wrap_i64 (i64.add
                  (i64.popcnt (i64.xor (i64.load offset=96 (local.get $p)) (local.get $a0)))
                  (i64.popcnt (i64.xor (i64.load offset=104 (local.get $p)) (local.get $a1))))))
                (block
                  (local.set $d (i32.add (local.get $d) (i32.wrap_i64 (i64.add
                    (i64.popcnt (i64.xor (i64.load offset=16 (local.get $q)) (i64.load offset=112 (local.get $p))))
                    (i64.popcnt (i64.xor (i64.load offset=24 (local.get $q)) (i64.load offset=120 (local.get $p))))))))
                  (if (i32.lt_u (local.get $d) (local.get $r)) (then
                    (i32.store offset=0 (local.get $o) (local.get $q))
                    (i32.store offset=4 (local.get $o) (i32.add (local.get $p) (i32.const 96)))
                    (i32.store offset=8 (local.get $o) (local.get $d))
                    (local.set $o (i32.add (local.get $o) (i32.const 12))))))
                (local.set $p (i32.add (local.get $p) (i32.const 128)))
                (br $u)))
            (block $tb
              (loop $t
                (br_if $tb (i32.ge_u (local.get $p) (local.get $pe)))
                (local.set $d (i32.wrap_i64 (i64.add
                  (i64.popcnt (i64.xor (i64.load offset=0 (local.get $p)) (local.get $a0)))
                  (i64.popcnt (i64.xor (i64.load offset=8 (local.get $p)) (local.get $a1))))))
                (block
                  (local.set $d (i32.add (local.get $d) (i32.wrap_i64 (i64.add
                    (i64.popcnt (i64.xor (i64.load offset=16 (local.get $q)) (i64.load offset=16 (local.get $p))))
                    (i64.popcnt (i64.xor (i64.load offset=24 (local.get $q)) (i64.load offset=24 (local.get $p))))))))
                  (if (i32.lt_u (local.get $d) (local.get $r)) (then
                    (i32.store offset=0 (local.get $o) (local.get $q))
                    (i32.store offset=4 (local.get $o) (i32.add (local.get $p) (i32.const 0)))
                    (i32.store offset=8 (local.get $o) (local.get $d))
                    (local.set $o (i32.add (local.get $o) (i32.const 12))))))
                (local.set $p (i32.add (local.get $p) (i32.const 32)))
                (br $t)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows)))
    (global.set $resume (local.get $i1))
    (i32.div_u (i32.sub (local.get $o) (local.get $out)) (i32.const 12)))

  ;; Any width: $w words per row, partial sum checked after $c words (1 <= $c <= $w). The row's first
  ;; word stays in a local; with a small radius (blockmean at 0.008: 8 bits of 968) one word decides.
  (func (export "pairsW")
    (param $aBase i32) (param $bBase i32) (param $i0 i32) (param $i1 i32) (param $j0 i32) (param $j1 i32)
    (param $tri i32) (param $shift i32) (param $r i32) (param $out i32) (param $outEnd i32)
    (param $w i32) (param $c i32) (result i32)
    (local $i i32) (local $js i32) (local $q i32) (local $p i32) (local $pe i32) (local $o i32) (local $d i64)
    (local $k i32) (local $stride i32) (local $cb i32) (local $r64 i64) (local $a0 i64)
    (local.set $o (local.get $out))
    (local.set $i (local.get $i0))
    (local.set $stride (i32.shl (local.get $w) (i32.const 3)))
    (local.set $cb (i32.shl (local.get $c) (i32.const 3)))
    (local.set $r64 (i64.extend_i32_u (local.get $r)))
    (local.set $pe (i32.add (local.get $bBase) (i32.mul (local.get $j1) (local.get $stride))))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $i) (local.get $i1)))
        (local.set $js (call $firstCol (local.get $i) (local.get $j0) (local.get $tri) (local.get $shift)))
        (if (i32.lt_u (local.get $js) (local.get $j1))
          (then
            (if (i32.gt_u (i32.add (local.get $o) (i32.mul (i32.sub (local.get $j1) (local.get $js)) (i32.const 12))) (local.get $outEnd))
              (then
                (global.set $resume (local.get $i))
                (return (i32.div_u (i32.sub (local.get $o) (local.get $out)) (i32.const 12)))))
            (local.set $q (i32.add (local.get $aBase) (i32.mul (local.get $i) (local.get $stride))))
            (local.set $a0 (i64.load (local.get $q)))
            (local.set $p (i32.add (local.get $bBase) (i32.mul (local.get $js) (local.get $stride))))
            (block $cols_done
              (loop $cols
                (br_if $cols_done (i32.ge_u (local.get $p) (local.get $pe)))
                (local.set $d (i64.popcnt (i64.xor (i64.load (local.get $p)) (local.get $a0))))
                (local.set $k (i32.const 8))
                (block $head_done
                  (loop $head
                    (br_if $head_done (i32.ge_u (local.get $k) (local.get $cb)))
                    (local.set $d (i64.add (local.get $d) (i64.popcnt (i64.xor
                      (i64.load (i32.add (local.get $p) (local.get $k)))
                      (i64.load (i32.add (local.get $q) (local.get $k)))))))
                    (local.set $k (i32.add (local.get $k) (i32.const 8)))
                    (br $head)))
                (if (i64.lt_u (local.get $d) (local.get $r64)) (then
                  (block $tail_done
                    (loop $tail
                      (br_if $tail_done (i32.ge_u (local.get $k) (local.get $stride)))
                      (local.set $d (i64.add (local.get $d) (i64.popcnt (i64.xor
                        (i64.load (i32.add (local.get $p) (local.get $k)))
                        (i64.load (i32.add (local.get $q) (local.get $k)))))))
                      (local.set $k (i32.add (local.get $k) (i32.const 8)))
                      (br $tail)))
                  (if (i64.lt_u (local.get $d) (local.get $r64)) (then
                    (i32.store offset=0 (local.get $o) (local.get $q))
                    (i32.store offset=4 (local.get $o) (local.get $p))
                    (i32.store offset=8 (local.get $o) (i32.wrap_i64 (local.get $d)))
                    (local.set $o (i32.add (local.get $o) (i32.const 12)))))))
                (local.set $p (i32.add (local.get $p) (local.get $stride)))
                (br $cols)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows)))
    (global.set $resume (local.get $i1))
    (i32.div_u (i32.sub (local.get $o) (local.get $out)) (i32.const 12)))

  ;; Candidate verification for approximate indexes: $n pairs (i, j) as u32 at $cand, each checked
  ;; exactly; the ones with bits < $r are written to $out as (i, j, bits). Returns how many.
  ;; $out needs room for $n results and must not overlap $cand (results are wider than candidates).
  (func (export "verify")
    (param $aBase i32) (param $bBase i32) (param $w i32) (param $cand i32) (param $n i32) (param $r i32) (param $out i32)
    (result i32)
    (local $e i32) (local $o i32) (local $i i32) (local $j i32) (local $q i32) (local $p i32) (local $k i32)
    (local $stride i32) (local $d i64)
    (local.set $o (local.get $out))
    (local.set $stride (i32.shl (local.get $w) (i32.const 3)))
    (local.set $e (i32.add (local.get $cand) (i32.shl (local.get $n) (i32.const 3))))
    (block $done
      (loop $pairs
        (br_if $done (i32.ge_u (local.get $cand) (local.get $e)))
        (local.set $i (i32.load offset=0 (local.get $cand)))
        (local.set $j (i32.load offset=4 (local.get $cand)))
        (local.set $q (i32.add (local.get $aBase) (i32.mul (local.get $i) (local.get $stride))))
        (local.set $p (i32.add (local.get $bBase) (i32.mul (local.get $j) (local.get $stride))))
        (local.set $d (i64.const 0))
        (local.set $k (i32.const 0))
        (block $words_done
          (loop $words
            (br_if $words_done (i32.ge_u (local.get $k) (local.get $stride)))
            (local.set $d (i64.add (local.get $d) (i64.popcnt (i64.xor
              (i64.load (i32.add (local.get $q) (local.get $k)))
              (i64.load (i32.add (local.get $p) (local.get $k)))))))
            (local.set $k (i32.add (local.get $k) (i32.const 8)))
            (br $words)))
        (if (i64.lt_u (local.get $d) (i64.extend_i32_u (local.get $r))) (then
          (i32.store offset=0 (local.get $o) (local.get $i))
          (i32.store offset=4 (local.get $o) (local.get $j))
          (i32.store offset=8 (local.get $o) (i32.wrap_i64 (local.get $d)))
          (local.set $o (i32.add (local.get $o) (i32.const 12)))))
        (local.set $cand (i32.add (local.get $cand) (i32.const 8)))
        (br $pairs)))
    (i32.div_u (i32.sub (local.get $o) (local.get $out)) (i32.const 12)))
)
