/*
 * Q-learning on the env's alias records, the algorithm of the learning benchmark: epsilon-greedy (0.3) on
 * a cached greedy action over the admissible actions, step size n(s,a)^-0.6 from a table, gamma 1, time
 * limit 500 with bootstrapping, the greedy cache rescanned when the greedy value drops to a bound on the
 * other actions' values (ties: lowest action, where tabmdp breaks them at random). The layout is tabmdp's compact Q-learning kernel's: tables
 * indexed by admissible (state, action) pair, and the admissible rows' records packed to 8 bytes. K actors
 * step in turns and share one Q table; K = 1 is the usual one-episode-at-a-time loop. Rescans stay inside
 * the step, so every action reads an exact cache.
 * Usage: qlearn DIR K EPISODES   (DIR as for walk, plus setPtr, setAct, rS, nS). Prints M steps/s.
 */
#include <math.h>
#include <stdint.h>
#include "common.h"
#include "sampling.h"

#define MAX_K 1024
#define POW_SIZE 65536

typedef struct {
  uint32_t threshold;
  uint16_t own, alias;
} record8;

typedef struct {
  uint32_t start, len;
} pair_row;

int main(int argc, char **argv) {
  if (argc != 4) return 2;
  const env_arrays env = read_env(argv[1]);
  const int32_t *row_start = env.row_start, *row_len = env.row_len;
  const uint32_t *rec = env.rec, *d0 = env.d0;
  const uint8_t *terminal = env.terminal;
  const uint32_t d0_len = env.d0_len;
  const int32_t n_actions = env.n_actions;
  size_t bytes;
  const int32_t n_states = *(const int32_t *)read_array(argv[1], "nS", &bytes);
  const int32_t *set_ptr = read_array(argv[1], "setPtr", &bytes);
  const int32_t *set_act = read_array(argv[1], "setAct", &bytes);
  const double *reward = read_array(argv[1], "rS", &bytes);
  const int k = atoi(argv[2]);
  const long episodes = atol(argv[3]);
  if (k < 1 || k > MAX_K || episodes < 1) return 2;
  /* The compact layout: each admissible pair's row copied out, records packed to 8 bytes. */
  const int32_t n_pairs = set_ptr[n_states];
  pair_row *rows = malloc(sizeof *rows * (size_t)n_pairs);
  size_t total = 0;
  for (int32_t s = 0; s < n_states; s++)
    for (int32_t p = set_ptr[s]; p < set_ptr[s + 1]; p++) total += (size_t)row_len[s * n_actions + set_act[p]];
  record8 *packed = malloc(sizeof *packed * total);
  size_t at = 0;
  for (int32_t s = 0; s < n_states; s++) {
    for (int32_t p = set_ptr[s]; p < set_ptr[s + 1]; p++) {
      const int32_t row = s * n_actions + set_act[p];
      rows[p].start = (uint32_t)at;
      rows[p].len = (uint32_t)row_len[row];
      for (int32_t j = 0; j < row_len[row]; j++, at++) {
        const uint32_t *r = rec + 3 * (row_start[row] + j);
        packed[at] = (record8){r[0], (uint16_t)r[1], (uint16_t)r[2]};
      }
    }
  }
  double *q = calloc((size_t)n_pairs, sizeof *q);
  int32_t *visits = calloc((size_t)n_pairs, sizeof *visits);
  double *max_q = calloc(n_states, sizeof *max_q);
  int32_t *best = calloc(n_states, sizeof *best);
  double *second = malloc(sizeof *second * (size_t)n_states);
  static double pow_table[POW_SIZE];
  for (int n = 1; n < POW_SIZE; n++) pow_table[n] = pow(n, -0.6);
  for (int32_t s = 0; s < n_states; s++) {
    best[s] = set_ptr[s];
    second[s] = set_ptr[s + 1] - set_ptr[s] > 1 ? 0 : -INFINITY;
  }
  const double eps = 0.3;
  int32_t state[MAX_K], pair[MAX_K], elapsed[MAX_K], next[MAX_K];
  const record8 *chosen[MAX_K];
  uint32_t low[MAX_K];
  for (int e = 0; e < k; e++) {
    state[e] = alias_draw(d0, 0, d0_len);
    elapsed[e] = 0;
  }
  long steps = 0, ended = 0;
  const double t0 = now_ms();
  while (ended < episodes) {
    /* Act and draw each actor's record (reads overlap across actors). */
    for (int e = 0; e < k; e++) {
      const int32_t s = state[e];
      const double u = sfc32() / 4294967296.0;
      const int32_t lo = set_ptr[s];
      /* Exploring: u / eps as a 32-bit fraction, scaled by the row length (tabmdp's rule). */
      const uint64_t fraction = (uint64_t)((u / eps) * 4294967296.0);
      const int32_t p = u < eps ? lo + (int32_t)((fraction * (uint64_t)(set_ptr[s + 1] - lo)) >> 32) : best[s];
      const uint64_t x = (uint64_t)sfc32() * rows[p].len;
      pair[e] = p;
      chosen[e] = packed + rows[p].start + (uint32_t)(x >> 32);
      low[e] = (uint32_t)x;
    }
    for (int e = 0; e < k; e++) next[e] = low[e] < chosen[e]->threshold ? chosen[e]->own : chosen[e]->alias;
    /* Learn, in actor order. */
    for (int e = 0; e < k; e++) {
      const int32_t s = state[e], p = pair[e], s2 = next[e];
      const double target = terminal[s2] ? reward[s2] : reward[s2] + max_q[s2];
      const int32_t n = ++visits[p];
      const double old = q[p];
      const double v = old + (n < POW_SIZE ? pow_table[n] : pow(n, -0.6)) * (target - old);
      q[p] = v;
      if (p == best[s]) {
        /* The greedy pair stays greedy unless it dropped to the bound on the others (tabmdp's rule). */
        if (v < old && !(v > second[s])) {
          int32_t b = set_ptr[s];
          double m = q[b], rest = -INFINITY;
          for (int32_t i = b + 1; i < set_ptr[s + 1]; i++) {
            if (q[i] > m) {
              rest = m;
              m = q[i];
              b = i;
            } else if (q[i] > rest) {
              rest = q[i];
            }
          }
          max_q[s] = m;
          best[s] = b;
          second[s] = rest;
        } else {
          max_q[s] = v;
        }
      } else {
        const double other = v > max_q[s] ? max_q[s] : v;
        if (v > max_q[s]) {
          max_q[s] = v;
          best[s] = p;
        }
        if (other > second[s]) second[s] = other;
      }
      steps++;
      state[e] = continue_episode(&env, s2, &elapsed[e], &ended);
    }
  }
  const double ms = now_ms() - t0;
  printf("%.3f %ld\n", (double)steps / ms / 1e3, steps);
  return 0;
}
