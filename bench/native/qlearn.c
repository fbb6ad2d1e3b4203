/*
 * Q-learning on the env's alias records, the algorithm of the learning benchmark: epsilon-greedy (0.3) on
 * a cached greedy action over the admissible actions, step size n(s,a)^-0.6 from a table, gamma 1, time
 * limit 500 with bootstrapping, the greedy cache rescanned when the greedy value drops (ties: lowest
 * action, where tabmdp breaks them at random). K actors step in turns and share one Q table; K = 1 is
 * the usual one-episode-at-a-time loop. Rescans stay inside the step, so every action reads an exact cache.
 * Usage: qlearn DIR K EPISODES   (DIR as for walk, plus setPtr, setAct, rS, nS). Prints M steps/s.
 */
#include <math.h>
#include <stdint.h>
#include "common.h"
#include "sampling.h"

#define MAX_K 1024
#define POW_SIZE 65536

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
  const int32_t n_states = *(const int32_t *)read_array(argv[1], "nS", &bytes);
  const int32_t *set_ptr = read_array(argv[1], "setPtr", &bytes);
  const int32_t *set_act = read_array(argv[1], "setAct", &bytes);
  const double *reward = read_array(argv[1], "rS", &bytes);
  const int k = atoi(argv[2]);
  const long episodes = atol(argv[3]);
  if (k < 1 || k > MAX_K || episodes < 1) return 2;
  double *q = calloc((size_t)n_states * n_actions, sizeof *q);
  int32_t *visits = calloc((size_t)n_states * n_actions, sizeof *visits);
  double *max_q = calloc(n_states, sizeof *max_q);
  int32_t *best = calloc(n_states, sizeof *best);
  static double pow_table[POW_SIZE];
  for (int n = 1; n < POW_SIZE; n++) pow_table[n] = pow(n, -0.6);
  for (int s = 0; s < n_states; s++) best[s] = set_act[set_ptr[s]];
  const double eps = 0.3;
  int32_t state[MAX_K], action[MAX_K], elapsed[MAX_K], next[MAX_K];
  const uint32_t *chosen[MAX_K];
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
      const int32_t explore = set_act[lo + (int32_t)((u / eps) * (set_ptr[s + 1] - lo))];
      const int32_t a = u < eps ? explore : best[s];
      const int32_t row = s * n_actions + a;
      const uint64_t x = (uint64_t)sfc32() * (uint32_t)row_len[row];
      action[e] = a;
      chosen[e] = rec + 3 * (row_start[row] + (int32_t)(x >> 32));
      low[e] = (uint32_t)x;
    }
    for (int e = 0; e < k; e++) next[e] = (int32_t)(low[e] < chosen[e][0] ? chosen[e][1] : chosen[e][2]);
    /* Learn, in actor order. */
    for (int e = 0; e < k; e++) {
      const int32_t s = state[e], a = action[e], s2 = next[e], row = s * n_actions + a;
      const double target = terminal[s2] ? reward[s2] : reward[s2] + max_q[s2];
      const int32_t n = ++visits[row];
      const double old = q[row];
      const double v = old + (n < POW_SIZE ? pow_table[n] : pow(n, -0.6)) * (target - old);
      q[row] = v;
      if (v > max_q[s]) {
        max_q[s] = v;
        best[s] = a;
      } else if (a == best[s] && v < old) {
        int32_t b = set_act[set_ptr[s]];
        double m = q[s * n_actions + b];
        for (int32_t i = set_ptr[s] + 1; i < set_ptr[s + 1]; i++) {
          const double w = q[s * n_actions + set_act[i]];
          if (w > m) {
            m = w;
            b = set_act[i];
          }
        }
        max_q[s] = m;
        best[s] = b;
      }
      steps++;
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
  printf("%.3f %ld\n", (double)steps / ms / 1e3, steps);
  return 0;
}
