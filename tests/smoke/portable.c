#include <stdint.h>
#include <string.h>
uint32_t smoke_sum(const uint8_t *p, size_t n) { uint32_t s = 0; for (size_t i = 0; i < n; i++) s += p[i]; return s; }
