/* Compiled only to produce cacheable actions for .ci/cache_check.sh's salt check. */
int viperdos_cache_probe(int x) { return 3 * x + 1; }
