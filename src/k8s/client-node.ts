/**
 * The one runtime import of @kubernetes/client-node; everything else imports it from here, or imports only its
 * types (eslint.config.mjs enforces this). Through tsx this module is the library itself. `npm run build` replaces
 * the compiled module with the library and its dependencies bundled into one minified file
 * (scripts/bundle-client-node.ts): loaded as the package's ≈ 970 separate ES modules it costs every process that
 * loads it ≈ 30 MiB more memory and ≈ 0.4 s more to load (BENCHMARKS.md, issue 14).
 */
export * from '@kubernetes/client-node';
