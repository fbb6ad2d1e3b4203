/* Shared helpers of the native reference loops: read a raw little-endian array dumped by bench/native.ts. */
#ifndef TABMDP_NATIVE_COMMON_H
#define TABMDP_NATIVE_COMMON_H
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
#endif
