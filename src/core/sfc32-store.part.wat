;; Part of every kernel that draws: the locals {rng}a .. {rng}d back to the generator state at address {at}.
;;#include sfc32-state.part.wat
(i32.store offset=sfc32.a (local.get {at}) (local.get {rng}a))
(i32.store offset=sfc32.b (local.get {at}) (local.get {rng}b))
(i32.store offset=sfc32.c (local.get {at}) (local.get {rng}c))
(i32.store offset=sfc32.d (local.get {at}) (local.get {rng}d))
