;; OpenCV's INTER_AREA downscale kernel (area.ts defines it; areaWasm.ts runs this): the horizontal pass of
;; ResizeArea_Invoker fused with the grey conversion, its vertical step, and the block sums of the
;; integer-factor path. WebAssembly's f32 arithmetic is IEEE single precision, exactly what
;; OpenCV computes in: f32.mul of an exact small integer by a float32 weight is the rounded float32
;; product, f32.add the rounded float32 sum, so no emulation is needed. The accumulation order per
;; destination is OpenCV's: left partial cell, whole cells left to right, right partial cell.
;;
;; Compiled into areaWasmBytes.ts (base64) by `npm run build:wasm`; `npm run build:wasm -- --check` (part of
;; npm test) fails when the two disagree.
;;
;; Table layout, 28 bytes per destination index d:
;;   +0 i32 left partial source index   +4 f32 its weight (0 when there is none: adding +0 changes nothing)
;;   +8 i32 first whole cell            +12 i32 end of whole cells (exclusive)   +16 f32 whole-cell weight
;;   +20 i32 right partial source index +24 f32 its weight (0 when there is none)
(module
  (memory (export "memory") 1)

  ;; Grey of `n` RGB pixels at byte offset $src into f32 at $dst: (r*wr + g*wg + b*wb + 16384) >> 15.
  ;; Sixteen pixels per SIMD step (three 16-byte loads de-interleaved by shuffles), the rest one by one.
  (func $grayRow (param $src i32) (param $n i32) (param $dst i32) (param $wr i32) (param $wg i32) (param $wb i32)
    (local $end i32) (local $vend i32)
    (local $a v128) (local $b v128) (local $c v128)
    (local $r v128) (local $g v128) (local $bl v128)
    (local $vwr v128) (local $vwg v128) (local $vwb v128) (local $half v128)
    (local $r16 v128) (local $g16 v128) (local $b16 v128)
    (local.set $vwr (i32x4.splat (local.get $wr)))
    (local.set $vwg (i32x4.splat (local.get $wg)))
    (local.set $vwb (i32x4.splat (local.get $wb)))
    (local.set $half (i32x4.splat (i32.const 16384)))
    (local.set $end (i32.add (local.get $dst) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vend (i32.add (local.get $dst) (i32.shl (i32.and (local.get $n) (i32.const -16)) (i32.const 2))))
    (block $vdone
      (loop $vl
        (br_if $vdone (i32.ge_u (local.get $dst) (local.get $vend)))
        (local.set $a (v128.load (local.get $src)))
        (local.set $b (v128.load offset=16 (local.get $src)))
        (local.set $c (v128.load offset=32 (local.get $src)))
        ;; R = bytes 0,3,..,45; G = 1,4,..,46; B = 2,5,..,47 of a|b|c.
        (local.set $r (i8x16.shuffle 0 3 6 9 12 15 18 21 24 27 30 0 0 0 0 0 (local.get $a) (local.get $b)))
        (local.set $r (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 17 20 23 26 29 (local.get $r) (local.get $c)))
        (local.set $g (i8x16.shuffle 1 4 7 10 13 16 19 22 25 28 31 0 0 0 0 0 (local.get $a) (local.get $b)))
        (local.set $g (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 18 21 24 27 30 (local.get $g) (local.get $c)))
        (local.set $bl (i8x16.shuffle 2 5 8 11 14 17 20 23 26 29 0 0 0 0 0 0 (local.get $a) (local.get $b)))
        (local.set $bl (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 16 19 22 25 28 31 (local.get $bl) (local.get $c)))
        ;; eight pixels at a time: widen to 16 bits, then to 32 bits for the products
        (local.set $r16 (i16x8.extend_low_i8x16_u (local.get $r)))
        (local.set $g16 (i16x8.extend_low_i8x16_u (local.get $g)))
        (local.set $b16 (i16x8.extend_low_i8x16_u (local.get $bl)))
        (v128.store offset=0 (local.get $dst)
          (f32x4.convert_i32x4_s
            (i32x4.shr_s
              (i32x4.add
                (i32x4.add
                  (i32x4.add
                    (i32x4.mul (i32x4.extend_low_i16x8_u (local.get $r16)) (local.get $vwr))
                    (i32x4.mul (i32x4.extend_low_i16x8_u (local.get $g16)) (local.get $vwg)))
                  (i32x4.mul (i32x4.extend_low_i16x8_u (local.get $b16)) (local.get $vwb)))
                (local.get $half))
              (i32.const 15))))
        (v128.store offset=16 (local.get $dst)
          (f32x4.convert_i32x4_s
            (i32x4.shr_s
              (i32x4.add
                (i32x4.add
                  (i32x4.add
                    (i32x4.mul (i32x4.extend_high_i16x8_u (local.get $r16)) (local.get $vwr))
                    (i32x4.mul (i32x4.extend_high_i16x8_u (local.get $g16)) (local.get $vwg)))
                  (i32x4.mul (i32x4.extend_high_i16x8_u (local.get $b16)) (local.get $vwb)))
                (local.get $half))
              (i32.const 15))))
        (local.set $r16 (i16x8.extend_high_i8x16_u (local.get $r)))
        (local.set $g16 (i16x8.extend_high_i8x16_u (local.get $g)))
        (local.set $b16 (i16x8.extend_high_i8x16_u (local.get $bl)))
        (v128.store offset=32 (local.get $dst)
          (f32x4.convert_i32x4_s
            (i32x4.shr_s
              (i32x4.add
                (i32x4.add
                  (i32x4.add
                    (i32x4.mul (i32x4.extend_low_i16x8_u (local.get $r16)) (local.get $vwr))
                    (i32x4.mul (i32x4.extend_low_i16x8_u (local.get $g16)) (local.get $vwg)))
                  (i32x4.mul (i32x4.extend_low_i16x8_u (local.get $b16)) (local.get $vwb)))
                (local.get $half))
              (i32.const 15))))
        (v128.store offset=48 (local.get $dst)
          (f32x4.convert_i32x4_s
            (i32x4.shr_s
              (i32x4.add
                (i32x4.add
                  (i32x4.add
                    (i32x4.mul (i32x4.extend_high_i16x8_u (local.get $r16)) (local.get $vwr))
                    (i32x4.mul (i32x4.extend_high_i16x8_u (local.get $g16)) (local.get $vwg)))
                  (i32x4.mul (i32x4.extend_high_i16x8_u (local.get $b16)) (local.get $vwb)))
                (local.get $half))
              (i32.const 15))))
        (local.set $src (i32.add (local.get $src) (i32.const 48)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 64)))
        (br $vl)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $dst) (local.get $end)))
        (f32.store (local.get $dst)
          (f32.convert_i32_s
            (i32.shr_s
              (i32.add
                (i32.add
                  (i32.add
                    (i32.mul (i32.load8_u (local.get $src)) (local.get $wr))
                    (i32.mul (i32.load8_u offset=1 (local.get $src)) (local.get $wg)))
                  (i32.mul (i32.load8_u offset=2 (local.get $src)) (local.get $wb)))
                (i32.const 16384))
              (i32.const 15))))
        (local.set $src (i32.add (local.get $src) (i32.const 3)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
        (br $l))))

  ;; `n` bytes at $src to f32 at $dst (a single-channel source row).
  (func $u8Row (param $src i32) (param $n i32) (param $dst i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $dst) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $dst) (local.get $end)))
        (f32.store (local.get $dst) (f32.convert_i32_s (i32.load8_u (local.get $src))))
        (local.set $src (i32.add (local.get $src) (i32.const 1)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
        (br $l))))

  ;; Contribution of one destination: the weighted sum of the f32 row at $row, in OpenCV's order.
  (func $cell (param $row i32) (param $t i32) (result f32)
    (local $acc f32) (local $p i32) (local $e i32) (local $w f32)
    (local.set $acc
      (f32.mul (f32.load (i32.add (local.get $row) (i32.shl (i32.load (local.get $t)) (i32.const 2))))
               (f32.load offset=4 (local.get $t))))
    (local.set $p (i32.add (local.get $row) (i32.shl (i32.load offset=8 (local.get $t)) (i32.const 2))))
    (local.set $e (i32.add (local.get $row) (i32.shl (i32.load offset=12 (local.get $t)) (i32.const 2))))
    (local.set $w (f32.load offset=16 (local.get $t)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $p) (local.get $e)))
        (local.set $acc (f32.add (local.get $acc) (f32.mul (f32.load (local.get $p)) (local.get $w))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br $l)))
    (f32.add (local.get $acc)
      (f32.mul (f32.load (i32.add (local.get $row) (i32.shl (i32.load offset=20 (local.get $t)) (i32.const 2))))
               (f32.load offset=24 (local.get $t)))))

  ;; All destinations of one row. Four destinations at a time, their whole cells interleaved up to the
  ;; shortest run, so four independent f32 chains keep the adder busy; each keeps OpenCV's order.
  (func $accumRow (param $row i32) (param $t i32) (param $dw i32) (param $out i32)
    (local $end i32) (local $end4 i32)
    (local $a0 f32) (local $a1 f32) (local $a2 f32) (local $a3 f32)
    (local $p0 i32) (local $p1 i32) (local $p2 i32) (local $p3 i32)
    (local $e0 i32) (local $e1 i32) (local $e2 i32) (local $e3 i32)
    (local $w0 f32) (local $w1 f32) (local $w2 f32) (local $w3 f32)
    (local $m i32) (local $k i32)
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $dw) (i32.const 2))))
    (local.set $end4 (i32.add (local.get $out) (i32.shl (i32.and (local.get $dw) (i32.const -4)) (i32.const 2))))
    (block $done4
      (loop $l4
        (br_if $done4 (i32.ge_u (local.get $out) (local.get $end4)))
        (local.set $a0 (f32.mul (f32.load (i32.add (local.get $row) (i32.shl (i32.load (local.get $t)) (i32.const 2)))) (f32.load offset=4 (local.get $t))))
        (local.set $a1 (f32.mul (f32.load (i32.add (local.get $row) (i32.shl (i32.load offset=28 (local.get $t)) (i32.const 2)))) (f32.load offset=32 (local.get $t))))
        (local.set $a2 (f32.mul (f32.load (i32.add (local.get $row) (i32.shl (i32.load offset=56 (local.get $t)) (i32.const 2)))) (f32.load offset=60 (local.get $t))))
        (local.set $a3 (f32.mul (f32.load (i32.add (local.get $row) (i32.shl (i32.load offset=84 (local.get $t)) (i32.const 2)))) (f32.load offset=88 (local.get $t))))
        (local.set $p0 (i32.add (local.get $row) (i32.shl (i32.load offset=8 (local.get $t)) (i32.const 2))))
        (local.set $p1 (i32.add (local.get $row) (i32.shl (i32.load offset=36 (local.get $t)) (i32.const 2))))
        (local.set $p2 (i32.add (local.get $row) (i32.shl (i32.load offset=64 (local.get $t)) (i32.const 2))))
        (local.set $p3 (i32.add (local.get $row) (i32.shl (i32.load offset=92 (local.get $t)) (i32.const 2))))
        (local.set $e0 (i32.add (local.get $row) (i32.shl (i32.load offset=12 (local.get $t)) (i32.const 2))))
        (local.set $e1 (i32.add (local.get $row) (i32.shl (i32.load offset=40 (local.get $t)) (i32.const 2))))
        (local.set $e2 (i32.add (local.get $row) (i32.shl (i32.load offset=68 (local.get $t)) (i32.const 2))))
        (local.set $e3 (i32.add (local.get $row) (i32.shl (i32.load offset=96 (local.get $t)) (i32.const 2))))
        (local.set $w0 (f32.load offset=16 (local.get $t)))
        (local.set $w1 (f32.load offset=44 (local.get $t)))
        (local.set $w2 (f32.load offset=72 (local.get $t)))
        (local.set $w3 (f32.load offset=100 (local.get $t)))
        ;; m = the shortest of the four runs, in bytes
        (local.set $m (i32.sub (local.get $e0) (local.get $p0)))
        (if (i32.lt_s (i32.sub (local.get $e1) (local.get $p1)) (local.get $m)) (then (local.set $m (i32.sub (local.get $e1) (local.get $p1)))))
        (if (i32.lt_s (i32.sub (local.get $e2) (local.get $p2)) (local.get $m)) (then (local.set $m (i32.sub (local.get $e2) (local.get $p2)))))
        (if (i32.lt_s (i32.sub (local.get $e3) (local.get $p3)) (local.get $m)) (then (local.set $m (i32.sub (local.get $e3) (local.get $p3)))))
        (local.set $k (i32.const 0))
        (block $rd
          (loop $r
            (br_if $rd (i32.ge_s (local.get $k) (local.get $m)))
            (local.set $a0 (f32.add (local.get $a0) (f32.mul (f32.load (i32.add (local.get $p0) (local.get $k))) (local.get $w0))))
            (local.set $a1 (f32.add (local.get $a1) (f32.mul (f32.load (i32.add (local.get $p1) (local.get $k))) (local.get $w1))))
            (local.set $a2 (f32.add (local.get $a2) (f32.mul (f32.load (i32.add (local.get $p2) (local.get $k))) (local.get $w2))))
            (local.set $a3 (f32.add (local.get $a3) (f32.mul (f32.load (i32.add (local.get $p3) (local.get $k))) (local.get $w3))))
            (local.set $k (i32.add (local.get $k) (i32.const 4)))
            (br $r)))
        ;; the longer runs finish alone, then the right partial cells
        (local.set $p0 (i32.add (local.get $p0) (local.get $m)))
        (local.set $p1 (i32.add (local.get $p1) (local.get $m)))
        (local.set $p2 (i32.add (local.get $p2) (local.get $m)))
        (local.set $p3 (i32.add (local.get $p3) (local.get $m)))
        (block $d0 (loop $l0 (br_if $d0 (i32.ge_u (local.get $p0) (local.get $e0)))
          (local.set $a0 (f32.add (local.get $a0) (f32.mul (f32.load (local.get $p0)) (local.get $w0))))
          (local.set $p0 (i32.add (local.get $p0) (i32.const 4))) (br $l0)))
        (block $d1 (loop $l1 (br_if $d1 (i32.ge_u (local.get $p1) (local.get $e1)))
          (local.set $a1 (f32.add (local.get $a1) (f32.mul (f32.load (local.get $p1)) (local.get $w1))))
          (local.set $p1 (i32.add (local.get $p1) (i32.const 4))) (br $l1)))
        (block $d2 (loop $l2 (br_if $d2 (i32.ge_u (local.get $p2) (local.get $e2)))
          (local.set $a2 (f32.add (local.get $a2) (f32.mul (f32.load (local.get $p2)) (local.get $w2))))
          (local.set $p2 (i32.add (local.get $p2) (i32.const 4))) (br $l2)))
        (block $d3 (loop $l3 (br_if $d3 (i32.ge_u (local.get $p3) (local.get $e3)))
          (local.set $a3 (f32.add (local.get $a3) (f32.mul (f32.load (local.get $p3)) (local.get $w3))))
          (local.set $p3 (i32.add (local.get $p3) (i32.const 4))) (br $l3)))
        (f32.store (local.get $out)
          (f32.add (local.get $a0) (f32.mul (f32.load (i32.add (local.get $row) (i32.shl (i32.load offset=20 (local.get $t)) (i32.const 2)))) (f32.load offset=24 (local.get $t)))))
        (f32.store offset=4 (local.get $out)
          (f32.add (local.get $a1) (f32.mul (f32.load (i32.add (local.get $row) (i32.shl (i32.load offset=48 (local.get $t)) (i32.const 2)))) (f32.load offset=52 (local.get $t)))))
        (f32.store offset=8 (local.get $out)
          (f32.add (local.get $a2) (f32.mul (f32.load (i32.add (local.get $row) (i32.shl (i32.load offset=76 (local.get $t)) (i32.const 2)))) (f32.load offset=80 (local.get $t)))))
        (f32.store offset=12 (local.get $out)
          (f32.add (local.get $a3) (f32.mul (f32.load (i32.add (local.get $row) (i32.shl (i32.load offset=104 (local.get $t)) (i32.const 2)))) (f32.load offset=108 (local.get $t)))))
        (local.set $t (i32.add (local.get $t) (i32.const 112)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (br $l4)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
        (f32.store (local.get $out) (call $cell (local.get $row) (local.get $t)))
        (local.set $t (i32.add (local.get $t) (i32.const 28)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br $l))))

  ;; Horizontal pass of `rows` consecutive source rows starting at byte $src (row stride $stride, $sw
  ;; pixels): grey of RGB when $gray is 1 (weights wr, wg, wb), plain bytes otherwise. Each row becomes
  ;; $dw f32 at $out (rows packed). $tmp holds one f32 row of $sw values.
  (func (export "horizontal")
        (param $src i32) (param $rows i32) (param $stride i32) (param $sw i32) (param $gray i32)
        (param $wr i32) (param $wg i32) (param $wb i32)
        (param $tab i32) (param $dw i32) (param $tmp i32) (param $out i32)
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get $rows)))
        (if (local.get $gray)
          (then (call $grayRow (local.get $src) (local.get $sw) (local.get $tmp) (local.get $wr) (local.get $wg) (local.get $wb)))
          (else (call $u8Row (local.get $src) (local.get $sw) (local.get $tmp))))
        (call $accumRow (local.get $tmp) (local.get $tab) (local.get $dw) (local.get $out))
        (local.set $src (i32.add (local.get $src) (local.get $stride)))
        (local.set $out (i32.add (local.get $out) (i32.shl (local.get $dw) (i32.const 2))))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $l))))
;; Integer-factor INTER_AREA (resizeAreaFast_): add the grey (or byte) values of `rows` source rows, in
  ;; blocks of $ix pixels, to the i32 sums at $sums ($dw of them). Sums of at most 2^24 / 255 small
  ;; integers are exact in f32, so the block sums are taken on the f32 row and converted once.
  (func (export "blockSums")
        (param $src i32) (param $rows i32) (param $stride i32) (param $sw i32) (param $gray i32)
        (param $wr i32) (param $wg i32) (param $wb i32)
        (param $ix i32) (param $dw i32) (param $tmp i32) (param $sums i32)
    (local $p i32) (local $q i32) (local $e i32) (local $end i32) (local $s f32)
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get $rows)))
        (if (local.get $gray)
          (then (call $grayRow (local.get $src) (local.get $sw) (local.get $tmp) (local.get $wr) (local.get $wg) (local.get $wb)))
          (else (call $u8Row (local.get $src) (local.get $sw) (local.get $tmp))))
        (local.set $p (local.get $tmp))
        (local.set $q (local.get $sums))
        (local.set $end (i32.add (local.get $sums) (i32.shl (local.get $dw) (i32.const 2))))
        (block $bd
          (loop $b
            (br_if $bd (i32.ge_u (local.get $q) (local.get $end)))
            (local.set $e (i32.add (local.get $p) (i32.shl (local.get $ix) (i32.const 2))))
            (local.set $s (f32.const 0))
            (block $cd
              (loop $c
                (br_if $cd (i32.ge_u (local.get $p) (local.get $e)))
                (local.set $s (f32.add (local.get $s) (f32.load (local.get $p))))
                (local.set $p (i32.add (local.get $p) (i32.const 4)))
                (br $c)))
            (i32.store (local.get $q) (i32.add (i32.load (local.get $q)) (i32.trunc_f32_s (local.get $s))))
            (local.set $q (i32.add (local.get $q) (i32.const 4)))
            (br $b)))
        (local.set $src (i32.add (local.get $src) (local.get $stride)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $l))))
;; The vertical step for one source row: sum[i] = beta * row[i] for the first row of a destination row
  ;; (OpenCV adds it to a zeroed sum, which is the same), sum[i] + beta * row[i] afterwards.
  (func (export "vertical") (param $row i32) (param $beta f32) (param $sum i32) (param $n i32) (param $first i32)
    (local $end i32) (local $vb v128)
    (local.set $end (i32.add (local.get $sum) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vb (f32x4.splat (local.get $beta)))
    (if (local.get $first)
      (then
        (block $d (loop $l
          (br_if $d (i32.ge_u (i32.add (local.get $sum) (i32.const 12)) (local.get $end)))
          (v128.store (local.get $sum) (f32x4.mul (local.get $vb) (v128.load (local.get $row))))
          (local.set $row (i32.add (local.get $row) (i32.const 16)))
          (local.set $sum (i32.add (local.get $sum) (i32.const 16)))
          (br $l)))
        (block $d (loop $l
          (br_if $d (i32.ge_u (local.get $sum) (local.get $end)))
          (f32.store (local.get $sum) (f32.mul (local.get $beta) (f32.load (local.get $row))))
          (local.set $row (i32.add (local.get $row) (i32.const 4)))
          (local.set $sum (i32.add (local.get $sum) (i32.const 4)))
          (br $l))))
      (else
        (block $d (loop $l
          (br_if $d (i32.ge_u (i32.add (local.get $sum) (i32.const 12)) (local.get $end)))
          (v128.store (local.get $sum) (f32x4.add (v128.load (local.get $sum)) (f32x4.mul (local.get $vb) (v128.load (local.get $row)))))
          (local.set $row (i32.add (local.get $row) (i32.const 16)))
          (local.set $sum (i32.add (local.get $sum) (i32.const 16)))
          (br $l)))
        (block $d (loop $l
          (br_if $d (i32.ge_u (local.get $sum) (local.get $end)))
          (f32.store (local.get $sum) (f32.add (f32.load (local.get $sum)) (f32.mul (local.get $beta) (f32.load (local.get $row)))))
          (local.set $row (i32.add (local.get $row) (i32.const 4)))
          (local.set $sum (i32.add (local.get $sum) (i32.const 4)))
          (br $l))))))
)
