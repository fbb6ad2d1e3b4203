/*
 * Random-action stepping over the env's alias records (same records, same one-draw alias rule, same
 * sfc32 generator, branch-free select), K independent episodes interleaved so their cache misses overlap.
 * Usage: walk DIR K STEPS   (DIR holds rowStart, rowLen, rec, terminal, d0rec, nA as .bin).
 * Prints steps per second in millions.
 */
#include <stdint.h>
#include "common.h"
#include "sampling.h"

int main(int argc, char **argv) {
  if (argc != 4) return 2;
  const env_arrays env = read_env(argv[1]);
  const int32_t *row_start = env.row_start, *row_len = env.row_len;
  const uint32_t *rec = env.rec, *d0 = env.d0;
  const uint32_t d0_len = env.d0_len;
  const int32_t n_actions = env.n_actions;
  const int k = atoi(argv[2]);
  const long steps = atol(argv[3]);
  if (k < 1 || k > 64 || steps < k) return 2;
  int32_t state[64], elapsed[64];
  for (int e = 0; e < k; e++) {
    state[e] = alias_draw(d0, 0, d0_len);
    elapsed[e] = 0;
  }
  long ended = 0;
  const double t0 = now_ms();
  for (long i = 0; i < steps / k; i++) {
    for (int e = 0; e < k; e++) {
      const int32_t action = (int32_t)(((uint64_t)sfc32() * (uint32_t)n_actions) >> 32);
      const int32_t row = state[e] * n_actions + action;
      const int32_t s2 = alias_draw(rec, row_start[row], (uint32_t)row_len[row]);
      state[e] = continue_episode(&env, s2, &elapsed[e], &ended);
    }
  }
  const double ms = now_ms() - t0;
  printf("%.3f %ld\n", (double)(steps / k * k) / ms / 1e3, ended);
  return 0;
}
