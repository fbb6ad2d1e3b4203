/* Shared helpers of the native reference loops: read a raw little-endian array dumped by bench/native.ts. */
#ifndef TABMDP_NATIVE_COMMON_H
#define TABMDP_NATIVE_COMMON_H
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static void *read_array(const char *dir, const char *name, size_t *bytes) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s.bin", dir, name);
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "cannot open %s\n", path);
    exit(2);
  }
  fseek(f, 0, SEEK_END);
  *bytes = (size_t)ftell(f);
  fseek(f, 0, SEEK_SET);
  void *p = malloc(*bytes ? *bytes : 1);
  if (fread(p, 1, *bytes, f) != *bytes) {
    fprintf(stderr, "short read on %s\n", path);
    exit(2);
  }
  fclose(f);
  return p;
}

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec * 1e-6;
}

/* The env's arrays every stepping loop reads: alias records by row, terminal flags, d0 records, nA. */
typedef struct {
  const int32_t *row_start;
  const int32_t *row_len;
  const uint32_t *rec;
  const uint8_t *terminal;
  const uint32_t *d0;
  uint32_t d0_len;
  int32_t n_actions;
} env_arrays;

static env_arrays read_env(const char *dir) {
  size_t bytes;
  env_arrays e;
  e.row_start = read_array(dir, "rowStart", &bytes);
  e.row_len = read_array(dir, "rowLen", &bytes);
  e.rec = read_array(dir, "rec", &bytes);
  e.terminal = read_array(dir, "terminal", &bytes);
  e.d0 = read_array(dir, "d0rec", &bytes);
  e.d0_len = (uint32_t)(bytes / 12);
  e.n_actions = *(const int32_t *)read_array(dir, "nA", &bytes);
  return e;
}
#endif
