;; Part of every kernel that draws: the generator state at address {at} into the locals {rng}a .. {rng}d.
;;#include sfc32-state.part.wat
(local.set {rng}a (i32.load offset=sfc32.a (local.get {at})))
(local.set {rng}b (i32.load offset=sfc32.b (local.get {at})))
(local.set {rng}c (i32.load offset=sfc32.c (local.get {at})))
(local.set {rng}d (i32.load offset=sfc32.d (local.get {at})))
