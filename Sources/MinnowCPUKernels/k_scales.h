/* Internal: the 6-bit scales and mins of a Q4_K/Q5_K block (its 12 scale bytes at `q`), 8 of each,
 * as bytes. One definition for the plain kernels and the repacking. */
#ifndef MINNOW_K_SCALES_H
#define MINNOW_K_SCALES_H

#include <stdint.h>
#include <string.h>

static inline void minnow_k4_scales(const uint8_t *q, uint8_t sc[8], uint8_t mn[8]) {
    uint32_t w0, w1, w2;
    memcpy(&w0, q, 4);
    memcpy(&w1, q + 4, 4);
    memcpy(&w2, q + 8, 4);
    uint32_t s_lo = w0 & 0x3f3f3f3fu, m_lo = w1 & 0x3f3f3f3fu;
    uint32_t s_hi = (w2 & 0x0f0f0f0fu) | ((w0 >> 2) & 0x30303030u);
    uint32_t m_hi = ((w2 >> 4) & 0x0f0f0f0fu) | ((w1 >> 2) & 0x30303030u);
    memcpy(sc, &s_lo, 4);
    memcpy(sc + 4, &s_hi, 4);
    memcpy(mn, &m_lo, 4);
    memcpy(mn + 4, &m_hi, 4);
}

#endif
