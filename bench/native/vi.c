/*
 * Jacobi value iteration over the compact rows tabmdp's value iteration sweeps (same layout, same
 * four-accumulator sums), to tolerance 1e-10: what this machine's compiler makes of the loop.
 * Usage: vi DIR   (DIR holds statePtr, rowPtr, next, weight, reward as .bin). Prints "sweeps ms".
 */
#include <math.h>
#include <stdint.h>
#include <string.h>
#include "common.h"

int main(int argc, char **argv) {
  if (argc != 2) return 2;
  size_t bytes;
  const int32_t *state_ptr = read_array(argv[1], "statePtr", &bytes);
  const int n_states = (int)(bytes / 4) - 1;
  const int32_t *row_ptr = read_array(argv[1], "rowPtr", &bytes);
  const int32_t *next = read_array(argv[1], "next", &bytes);
  const double *weight = read_array(argv[1], "weight", &bytes);
  const double *reward = read_array(argv[1], "reward", &bytes);
  double *v = calloc(n_states, sizeof *v);
  double *old = calloc(n_states, sizeof *old);
  const double t0 = now_ms();
  int sweeps = 0;
  double residual;
  do {
    sweeps++;
    residual = 0;
    memcpy(old, v, n_states * sizeof *v);
    for (int s = 0; s < n_states; s++) {
      if (state_ptr[s] == state_ptr[s + 1]) continue;
      double best = -INFINITY;
      for (int r = state_ptr[s]; r < state_ptr[s + 1]; r++) {
        double a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        int k = row_ptr[r];
        const int hi = row_ptr[r + 1];
        for (; k + 3 < hi; k += 4) {
          a0 += weight[k] * old[next[k]];
          a1 += weight[k + 1] * old[next[k + 1]];
          a2 += weight[k + 2] * old[next[k + 2]];
          a3 += weight[k + 3] * old[next[k + 3]];
        }
        for (; k < hi; k++) a0 += weight[k] * old[next[k]];
        const double q = reward[r] + (a0 + a1 + (a2 + a3));
        if (q > best) best = q;
      }
      const double d = fabs(best - v[s]);
      if (d > residual) residual = d;
      v[s] = best;
    }
  } while (residual > 1e-10 && sweeps < 100000);
  printf("%d %.3f\n", sweeps, now_ms() - t0);
  return 0;
}
