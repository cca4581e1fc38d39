// Scans the BBOB legacy generator's domain, u = k / 2.147483647e9 for k in [K0, K1) (all: 1 2147483647):
// glibc's log(u) and cos(2*pi*u) against the correctly rounded value (logl/cosl, in quad precision
// near a midpoint), and writes the k where glibc differs to LOGBAD and COSBAD (int32 each).
//   gcc -O2 -o /tmp/scan scripts/bbob-libm/scan.c -lquadmath -lm && /tmp/scan 1 2147483647 /tmp/log.bin /tmp/cos.bin
// (glibc 2.36 on x86-64 with FMA: 1,738,801 log and 2,962,942 cos of the 2,147,483,646; about 10 min.
//  GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX2,-FMA selects glibc's other variants, which round differently.)
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <quadmath.h>
static int near_mid(long double L, double c) {
  long double ulp = (long double)nextafter(fabs(c), INFINITY) - (long double)fabs(c);
  long double f = fabsl(L - (long double)c) / ulp; // in [0, 0.5]
  return f > 0.5L - 1.0L/256;
}
int main(int argc, char **argv) {
  long k0 = atol(argv[1]), k1 = atol(argv[2]);
  FILE *fl = fopen(argv[3], "wb"), *fc = fopen(argv[4], "wb");
  long nl = 0, nc = 0, hardl = 0, hardc = 0;
  for (long k = k0; k < k1; k++) {
    double u = (double)k / 2.147483647e9;
    double g = log(u);
    long double L = logl((long double)u);
    double c = (double)L;
    if (g != c || near_mid(L, c)) {
      hardl++;
      double q = (double)logq((__float128)u);
      if (g != q) { nl++; int kk = (int)k; fwrite(&kk, 4, 1, fl); }
    }
    double x = 2 * M_PI * u;
    double gc = cos(x);
    long double C = cosl((long double)x);
    double cc = (double)C;
    if (gc != cc || near_mid(C, cc)) {
      hardc++;
      double q = (double)cosq((__float128)x);
      if (gc != q) { nc++; int kk = (int)k; fwrite(&kk, 4, 1, fc); }
    }
  }
  fclose(fl); fclose(fc);
  printf("k in [%ld, %ld): log differs from CR at %ld (checked %ld), cos at %ld (checked %ld)\n", k0, k1, nl, hardl, nc, hardc);
  return 0;
}
