;; Bit-sampling LSH kernel for 256-bit hashes (rows of 32 bytes, shorter hashes zero-padded).
;; One table = k sampled bit positions. Rows are bucketed by the k-bit key in two steps so that every
;; random access stays inside a cache-sized partition: `scatter` moves rows by the key's top bits
;; (sequential reads, 2^P sequential write streams), then `scan` sorts each partition by the remaining
;; bits and checks every pair inside a bucket with exact popcount distance.
;; The memory is imported and shared: the hashes are written into it once and every thread's instance
;; reads them in place. A table is run in passes over ranges of partitions (`histogram` says how many
;; rows each holds), so a thread's scratch holds the rows of one pass, never a copy of every row.
;; The caller (lshKernel.ts) lays out all buffers in this memory and passes their byte offsets.
;; Regenerate lshWasm.ts after editing: npm run build:wasm
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; keys[i] = the k bits of row i at the positions listed in bits[0..k) (i32 each), bit j of the key = bits[j].
  ;; lut: 32 byte positions x 256 values x i32, built by the caller, so a key costs one lookup per touched byte
  ;; instead of one shift-and-mask per sampled bit. touched[0..nt) lists the byte positions the table uses.
  (func (export "keys") (param $data i32) (param $n i32) (param $lut i32) (param $touched i32) (param $nt i32) (param $out i32)
    (local $row i32) (local $end i32) (local $t i32) (local $b i32) (local $key i32)
    (local.set $row (local.get $data))
    (local.set $end (i32.add (local.get $data) (i32.shl (local.get $n) (i32.const 5))))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $row) (local.get $end)))
        (local.set $key (i32.const 0))
        (local.set $t (i32.const 0))
        (block $bd
          (loop $bl
            (br_if $bd (i32.ge_u (local.get $t) (local.get $nt)))
            (local.set $b (i32.load (i32.add (local.get $touched) (i32.shl (local.get $t) (i32.const 2)))))
            (local.set $key
              (i32.or (local.get $key)
                (i32.load
                  (i32.add (local.get $lut)
                    (i32.shl
                      (i32.or (i32.shl (local.get $b) (i32.const 8))
                              (i32.load8_u (i32.add (local.get $row) (local.get $b))))
                      (i32.const 2))))))
            (local.set $t (i32.add (local.get $t) (i32.const 1)))
            (br $bl)))
        (i32.store (local.get $out) (local.get $key))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (local.set $row (i32.add (local.get $row) (i32.const 32)))
        (br $rows))))

  ;; start[0..np] = exclusive prefix sums of the partition sizes (partition = key >> low): partition p
  ;; holds rows start[p] .. start[p + 1] of the table's partition order.
  (func (export "histogram") (param $keys i32) (param $n i32) (param $low i32) (param $np i32) (param $start i32)
    (local $i i32) (local $p i32)
    (local.set $p (i32.const 0))
    (block $zd (loop $zl
      (br_if $zd (i32.gt_u (local.get $p) (local.get $np)))
      (i32.store (i32.add (local.get $start) (i32.shl (local.get $p) (i32.const 2))) (i32.const 0))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $zl)))
    (local.set $i (i32.const 0))
    (block $hd (loop $hl
      (br_if $hd (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $p (i32.add (local.get $start)
        (i32.shl (i32.add (i32.shr_u (i32.load (i32.add (local.get $keys) (i32.shl (local.get $i) (i32.const 2)))) (local.get $low)) (i32.const 1)) (i32.const 2))))
      (i32.store (local.get $p) (i32.add (i32.load (local.get $p)) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $hl)))
    (local.set $p (i32.const 1))
    (block $sd (loop $sl
      (br_if $sd (i32.gt_u (local.get $p) (local.get $np)))
      (i32.store (i32.add (local.get $start) (i32.shl (local.get $p) (i32.const 2)))
        (i32.add (i32.load (i32.add (local.get $start) (i32.shl (local.get $p) (i32.const 2))))
                 (i32.load (i32.add (local.get $start) (i32.shl (i32.sub (local.get $p) (i32.const 1)) (i32.const 2))))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $sl))))

  ;; One pass: stable scatter of the rows of partitions [p0, p1) (and their original index and low key
  ;; bits) into prows/pidx/pkey, partition p at start[p] - start[p0]. cur (np entries) is scratch.
  (func (export "scatter")
    (param $data i32) (param $n i32) (param $keys i32) (param $low i32) (param $p0 i32) (param $p1 i32)
    (param $start i32) (param $cur i32) (param $prows i32) (param $pidx i32) (param $pkey i32)
    (local $i i32) (local $p i32) (local $key i32) (local $pos i32) (local $src i32) (local $dst i32) (local $mask i32) (local $base i32)
    (local.set $mask (i32.sub (i32.shl (i32.const 1) (local.get $low)) (i32.const 1)))
    (local.set $base (i32.load (i32.add (local.get $start) (i32.shl (local.get $p0) (i32.const 2)))))
    (local.set $p (local.get $p0))
    (block $cd (loop $cl
      (br_if $cd (i32.ge_u (local.get $p) (local.get $p1)))
      (i32.store (i32.add (local.get $cur) (i32.shl (local.get $p) (i32.const 2)))
        (i32.sub (i32.load (i32.add (local.get $start) (i32.shl (local.get $p) (i32.const 2)))) (local.get $base)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $cl)))
    (local.set $i (i32.const 0))
    (local.set $src (local.get $data))
    (block $xd (loop $xl
      (br_if $xd (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $key (i32.load (i32.add (local.get $keys) (i32.shl (local.get $i) (i32.const 2)))))
      (local.set $p (i32.shr_u (local.get $key) (local.get $low)))
      (if (i32.and (i32.ge_u (local.get $p) (local.get $p0)) (i32.lt_u (local.get $p) (local.get $p1)))
        (then
          (local.set $p (i32.add (local.get $cur) (i32.shl (local.get $p) (i32.const 2))))
          (local.set $pos (i32.load (local.get $p)))
          (i32.store (local.get $p) (i32.add (local.get $pos) (i32.const 1)))
          (local.set $dst (i32.add (local.get $prows) (i32.shl (local.get $pos) (i32.const 5))))
          (i64.store (local.get $dst) (i64.load (local.get $src)))
          (i64.store offset=8 (local.get $dst) (i64.load offset=8 (local.get $src)))
          (i64.store offset=16 (local.get $dst) (i64.load offset=16 (local.get $src)))
          (i64.store offset=24 (local.get $dst) (i64.load offset=24 (local.get $src)))
          (i32.store (i32.add (local.get $pidx) (i32.shl (local.get $pos) (i32.const 2))) (local.get $i))
          (i32.store (i32.add (local.get $pkey) (i32.shl (local.get $pos) (i32.const 2))) (i32.and (local.get $key) (local.get $mask)))))
      (local.set $src (i32.add (local.get $src) (i32.const 32)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $xl))))

  ;; For partitions [p0, p1) of one pass (their rows start at start[p0] = $base in prows): counting-sort
  ;; rows by the low key bits into lrows/lidx (room for the largest partition), then test every pair
  ;; inside each bucket.
  ;; Pairs with distance < radius (exclusive, as everywhere in pairs/) are written to out as (i, j, d) i32 triples, i < j, while fewer than cap
  ;; were written; the return value is how many there were, so the caller can grow out and run again.
  ;; The number of pairs tested is added to the i64 at stats (for the benchmark's candidate counts).
  ;; With $useItems, items holds an i32 item id per row and pairs of one item are skipped (several hashes
  ;; of one file or video): they never reach the output, which would otherwise fill with them.
  (func (export "scan")
    (param $prows i32) (param $pidx i32) (param $pkey i32) (param $start i32) (param $base i32) (param $low i32)
    (param $p0 i32) (param $p1 i32) (param $lcnt i32) (param $lrows i32) (param $lidx i32)
    (param $radius i32) (param $out i32) (param $cap i32) (param $stats i32)
    (param $items i32) (param $useItems i32) (result i32)
    (local $count i32) (local $nb i32) (local $p i32) (local $s i32) (local $e i32) (local $q i32)
    (local $b i32) (local $addr i32) (local $bs i32) (local $be i32) (local $x i32) (local $y i32)
    (local $gx i32) (local $ra i32) (local $rb i32) (local $d i32) (local $ia i32) (local $ib i32)
    (local $a0 i64) (local $a1 i64) (local $a2 i64) (local $a3 i64) (local $m i64) (local $checked i64)
    (local.set $nb (i32.shl (i32.const 1) (local.get $low)))
    (local.set $p (local.get $p0))
    (block $pd (loop $pl
      (br_if $pd (i32.ge_u (local.get $p) (local.get $p1)))
      (local.set $s (i32.sub (i32.load (i32.add (local.get $start) (i32.shl (local.get $p) (i32.const 2)))) (local.get $base)))
      (local.set $e (i32.sub (i32.load (i32.add (local.get $start) (i32.shl (i32.add (local.get $p) (i32.const 1)) (i32.const 2)))) (local.get $base)))
      (if (i32.ge_u (i32.sub (local.get $e) (local.get $s)) (i32.const 2))
        (then
          ;; zero lcnt[0..nb]
          (local.set $b (i32.const 0))
          (block $zd (loop $zl
            (br_if $zd (i32.gt_u (local.get $b) (local.get $nb)))
            (i32.store (i32.add (local.get $lcnt) (i32.shl (local.get $b) (i32.const 2))) (i32.const 0))
            (local.set $b (i32.add (local.get $b) (i32.const 1)))
            (br $zl)))
          ;; histogram into lcnt[b + 1]
          (local.set $q (local.get $s))
          (block $hd (loop $hl
            (br_if $hd (i32.ge_u (local.get $q) (local.get $e)))
            (local.set $addr (i32.add (local.get $lcnt)
              (i32.shl (i32.add (i32.load (i32.add (local.get $pkey) (i32.shl (local.get $q) (i32.const 2)))) (i32.const 1)) (i32.const 2))))
            (i32.store (local.get $addr) (i32.add (i32.load (local.get $addr)) (i32.const 1)))
            (local.set $q (i32.add (local.get $q) (i32.const 1)))
            (br $hl)))
          ;; prefix sums
          (local.set $b (i32.const 1))
          (block $sd (loop $sl
            (br_if $sd (i32.gt_u (local.get $b) (local.get $nb)))
            (local.set $addr (i32.add (local.get $lcnt) (i32.shl (local.get $b) (i32.const 2))))
            (i32.store (local.get $addr) (i32.add (i32.load (local.get $addr)) (i32.load (i32.sub (local.get $addr) (i32.const 4)))))
            (local.set $b (i32.add (local.get $b) (i32.const 1)))
            (br $sl)))
          ;; stable scatter of the partition's rows (read in order, so from memory at streaming speed) into
          ;; bucket order in lrows, which stays in L2; afterwards lcnt[b] is the end of bucket b
          (local.set $q (local.get $s))
          (block $od (loop $ol
            (br_if $od (i32.ge_u (local.get $q) (local.get $e)))
            (local.set $addr (i32.add (local.get $lcnt)
              (i32.shl (i32.load (i32.add (local.get $pkey) (i32.shl (local.get $q) (i32.const 2)))) (i32.const 2))))
            (local.set $x (i32.load (local.get $addr)))
            (i32.store (local.get $addr) (i32.add (local.get $x) (i32.const 1)))
            (local.set $ra (i32.add (local.get $prows) (i32.shl (local.get $q) (i32.const 5))))
            (local.set $rb (i32.add (local.get $lrows) (i32.shl (local.get $x) (i32.const 5))))
            (i64.store (local.get $rb) (i64.load (local.get $ra)))
            (i64.store offset=8 (local.get $rb) (i64.load offset=8 (local.get $ra)))
            (i64.store offset=16 (local.get $rb) (i64.load offset=16 (local.get $ra)))
            (i64.store offset=24 (local.get $rb) (i64.load offset=24 (local.get $ra)))
            (i32.store (i32.add (local.get $lidx) (i32.shl (local.get $x) (i32.const 2)))
              (i32.load (i32.add (local.get $pidx) (i32.shl (local.get $q) (i32.const 2)))))
            (local.set $q (i32.add (local.get $q) (i32.const 1)))
            (br $ol)))
          ;; every pair inside every bucket
          (local.set $bs (i32.const 0))
          (local.set $b (i32.const 0))
          (block $bd (loop $bl
            (br_if $bd (i32.ge_u (local.get $b) (local.get $nb)))
            (local.set $be (i32.load (i32.add (local.get $lcnt) (i32.shl (local.get $b) (i32.const 2)))))
            (local.set $m (i64.extend_i32_u (i32.sub (local.get $be) (local.get $bs))))
            (local.set $checked (i64.add (local.get $checked)
              (i64.shr_u (i64.mul (local.get $m) (i64.sub (local.get $m) (i64.const 1))) (i64.const 1))))
            (local.set $x (local.get $bs))
            (local.set $ra (i32.add (local.get $lrows) (i32.shl (local.get $bs) (i32.const 5))))
            (local.set $gx (i32.add (local.get $lrows) (i32.shl (local.get $be) (i32.const 5))))
            (block $xd (loop $xl
              (br_if $xd (i32.ge_u (i32.add (local.get $x) (i32.const 1)) (local.get $be)))
              (local.set $a0 (i64.load (local.get $ra)))
              (local.set $a1 (i64.load offset=8 (local.get $ra)))
              (local.set $a2 (i64.load offset=16 (local.get $ra)))
              (local.set $a3 (i64.load offset=24 (local.get $ra)))
              (local.set $rb (i32.add (local.get $ra) (i32.const 32)))
              (block $yd (loop $yl
                (br_if $yd (i32.ge_u (local.get $rb) (local.get $gx)))
                ;; half the bits first: a random pair is already past the radius there almost always
                (local.set $d (i32.wrap_i64 (i64.add
                  (i64.popcnt (i64.xor (local.get $a0) (i64.load (local.get $rb))))
                  (i64.popcnt (i64.xor (local.get $a1) (i64.load offset=8 (local.get $rb)))))))
                (if (i32.lt_u (local.get $d) (local.get $radius))
                  (then
                    (local.set $d (i32.add (local.get $d) (i32.wrap_i64 (i64.add
                      (i64.popcnt (i64.xor (local.get $a2) (i64.load offset=16 (local.get $rb))))
                      (i64.popcnt (i64.xor (local.get $a3) (i64.load offset=24 (local.get $rb))))))))
                    (if (i32.lt_u (local.get $d) (local.get $radius))
                      (then
                        (local.set $ia (i32.load (i32.add (local.get $lidx) (i32.shl (local.get $x) (i32.const 2)))))
                        (local.set $ib (i32.load (i32.add (local.get $lidx)
                          (i32.shr_u (i32.sub (local.get $rb) (local.get $lrows)) (i32.const 3)))))
                        ;; (`if`, not i32.or: wasm evaluates both operands, and the item loads must
                        ;; not run without items, where $items may point past the memory)
                        (if (if (result i32) (local.get $useItems)
                              (then (i32.ne (i32.load (i32.add (local.get $items) (i32.shl (local.get $ia) (i32.const 2))))
                                            (i32.load (i32.add (local.get $items) (i32.shl (local.get $ib) (i32.const 2))))))
                              (else (i32.const 1)))
                          (then
                            (if (i32.lt_u (local.get $count) (local.get $cap))
                              (then
                                (local.set $addr (i32.add (local.get $out) (i32.mul (local.get $count) (i32.const 12))))
                                (i32.store (local.get $addr) (local.get $ia))
                                (i32.store offset=4 (local.get $addr) (local.get $ib))
                                (i32.store offset=8 (local.get $addr) (local.get $d))))
                            (local.set $count (i32.add (local.get $count) (i32.const 1)))))))))
                (local.set $rb (i32.add (local.get $rb) (i32.const 32)))
                (br $yl)))
              (local.set $ra (i32.add (local.get $ra) (i32.const 32)))
              (local.set $x (i32.add (local.get $x) (i32.const 1)))
              (br $xl)))
            (local.set $bs (local.get $be))
            (local.set $b (i32.add (local.get $b) (i32.const 1)))
            (br $bl)))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $pl)))
    (i64.store (local.get $stats) (i64.add (i64.load (local.get $stats)) (local.get $checked)))
    (local.get $count))
)
