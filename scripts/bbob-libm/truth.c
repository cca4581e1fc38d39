// Writes (int32 k, double log, double cos) records to stdout: the correctly rounded ln u and cos 2*pi*u
// (logl/cosl, in quad precision near a midpoint), u = k / 2.147483647e9, for argv[1] pseudo-random k
// (xorshift64) and every k listed in the files argv[2..] (int32 each, as ./scan.c writes them).
// ./check.mjs reads them.
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <quadmath.h>
static int near_mid(long double L, double c) {
  long double ulp = (long double)nextafter(fabs(c), INFINITY) - (long double)fabs(c);
  return fabsl(L - (long double)c) / ulp > 0.5L - 1.0L/256;
}
static double crlog(double u) { long double L = logl(u); double c = (double)L; return near_mid(L, c) ? (double)logq(u) : c; }
static double crcos(double x) { long double L = cosl(x); double c = (double)L; return near_mid(L, c) ? (double)cosq(x) : c; }
static void emit(int32_t k) {
  double u = (double)k / 2.147483647e9;
  double v[2] = { crlog(u), crcos(2 * M_PI * u) };
  fwrite(&k, 4, 1, stdout); fwrite(v, 8, 2, stdout);
}
int main(int argc, char **argv) {
  long n = atol(argv[1]);
  uint64_t s = 88172645463325252ull;
  for (long i = 0; i < n; i++) { s ^= s << 13; s ^= s >> 7; s ^= s << 17; emit((int32_t)(1 + s % 2147483646ull)); }
  for (int a = 2; a < argc; a++) {
    FILE *f = fopen(argv[a], "rb"); int32_t k;
    while (fread(&k, 4, 1, f) == 1) emit(k);
    fclose(f);
  }
  return 0;
}
