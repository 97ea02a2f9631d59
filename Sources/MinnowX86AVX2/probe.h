/* Intentionally empty: see module.modulemap. Importable only when AVX2, FMA and F16C are enabled. */
