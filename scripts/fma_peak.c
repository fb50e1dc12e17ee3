/* The machine's single-precision floating-point peak: a register-only loop of independent fused
 * multiply-adds on every core (OpenMP), with the widest vectors the compiler is told to use.
 * Build: gcc -O3 -march=native -funroll-loops -fopenmp scripts/fma_peak.c -o fma_peak (-O2 leaves
 * the accumulators in memory and reports a third of the peak). Prints GFLOP/s. */
#include <immintrin.h>
#include <omp.h>
#include <stdio.h>

#if defined(__AVX512F__)
typedef __m512 vec;
#define WIDTH 16
#define SET1 _mm512_set1_ps
#define FMA _mm512_fmadd_ps
#define ADD _mm512_add_ps
#define STORE _mm512_storeu_ps
#else
typedef __m256 vec;
#define WIDTH 8
#define SET1 _mm256_set1_ps
#define FMA _mm256_fmadd_ps
#define ADD _mm256_add_ps
#define STORE _mm256_storeu_ps
#endif

#define CHAINS 12 /* independent accumulators: enough to hide the FMA latency on 2 ports */

int main(void) {
    const long iterations = 200000000L;
    double best = 0;
    for (int trial = 0; trial < 3; trial++) {
        double start = omp_get_wtime();
        float sink = 0;
#pragma omp parallel reduction(+ : sink)
        {
            vec a = SET1(1.0000001f), b = SET1(0.9999999f);
            vec acc[CHAINS];
            for (int c = 0; c < CHAINS; c++) acc[c] = SET1((float)c);
            for (long i = 0; i < iterations; i++) {
                for (int c = 0; c < CHAINS; c++) acc[c] = FMA(acc[c], a, b);
            }
            vec total = acc[0];
            for (int c = 1; c < CHAINS; c++) total = ADD(total, acc[c]);
            float out[WIDTH];
            STORE(out, total);
            sink += out[0];
        }
        double seconds = omp_get_wtime() - start;
        double flops = 2.0 * WIDTH * CHAINS * (double)iterations * omp_get_max_threads();
        if (flops / seconds > best) best = flops / seconds;
        if (sink == 12345.0f) printf(" ");
    }
    printf("%.1f\n", best / 1e9);
    return 0;
}
