/* The env's sampling in C: the sfc32 generator, the one-draw alias select over 3-word records, and the
 * restart of an episode that ended. */
#ifndef TABMDP_NATIVE_SAMPLING_H
#define TABMDP_NATIVE_SAMPLING_H
#include <stdint.h>
#include "common.h"

static uint32_t st[4] = {0x9e3779b9u, 0x243f6a88u, 0xb7e15162u, 1u};

static inline uint32_t sfc32(void) {
  const uint32_t t = st[0] + st[1] + st[3];
  st[3]++;
  st[0] = st[1] ^ (st[1] >> 9);
  st[1] = st[2] + (st[2] << 3);
  st[2] = ((st[2] << 21) | (st[2] >> 11)) + t;
  return t;
}

/* Branch-free select, as the env's: the threshold test is a coin flip for most slots. */
static inline int32_t alias_draw(const uint32_t *rec, int32_t start, uint32_t len) {
  const uint64_t x = (uint64_t)sfc32() * len;
  const uint32_t o = 3u * (uint32_t)(start + (int32_t)(x >> 32));
  const uint32_t own = rec[o + 1], alias = rec[o + 2];
  const uint32_t keep = -(uint32_t)((uint32_t)x < rec[o]);
  return (int32_t)(alias ^ ((own ^ alias) & keep));
}
/* The episode after entering s2: on (terminal, or the 500-step limit) a new start from d0, else s2. */
static inline int32_t continue_episode(const env_arrays *env, int32_t s2, int32_t *elapsed, long *ended) {
  if (env->terminal[s2] || ++*elapsed >= 500) {
    ++*ended;
    *elapsed = 0;
    return alias_draw(env->d0, 0, env->d0_len);
  }
  return s2;
}
#endif
