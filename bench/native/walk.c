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
  size_t bytes;
  const int32_t *row_start = read_array(argv[1], "rowStart", &bytes);
  const int32_t *row_len = read_array(argv[1], "rowLen", &bytes);
  const uint32_t *rec = read_array(argv[1], "rec", &bytes);
  const uint8_t *terminal = read_array(argv[1], "terminal", &bytes);
  const uint32_t *d0 = read_array(argv[1], "d0rec", &bytes);
  const uint32_t d0_len = (uint32_t)(bytes / 12);
  const int32_t n_actions = *(const int32_t *)read_array(argv[1], "nA", &bytes);
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
      if (terminal[s2] || ++elapsed[e] >= 500) {
        ended++;
        state[e] = alias_draw(d0, 0, d0_len);
        elapsed[e] = 0;
      } else {
        state[e] = s2;
      }
    }
  }
  const double ms = now_ms() - t0;
  printf("%.3f %ld\n", (double)(steps / k * k) / ms / 1e3, ended);
  return 0;
}
